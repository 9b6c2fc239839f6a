package dev.etlprofiler.fw.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etlprofiler.fw.camel.apps.CamelAirportsJob;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code camel} preset on a real Camel 4 job ({@link CamelAirportsJob}: a split over a sample
 * of airports.csv, a second route called with {@code to("direct:load")} that aggregates batches, a
 * processor that fails for some lines with redeliveries and {@code onException}), run in a child
 * JVM with {@code presets: [camel]} alone. The operations are checked against the counts Camel
 * itself keeps (its JMX MBeans, printed by the job), the job's own counts, and its output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CamelPresetIT {
  private static final String CAMEL_CLASSPATH = System.getProperty("it.camel.classpath");

  /** What the user sees: every route and node, by id, nested as the routes are written. */
  private static final Set<String> TREE =
      Set.of(
          "ingest",
          "ingest > lines",
          "ingest > lines > filter1",
          "ingest > lines > filter1 > parse",
          "ingest > lines > filter1 > process1",
          "ingest > lines > filter1 > to1",
          "load",
          "load > enrich",
          "load > aggregate1",
          "load > aggregate1 > write",
          "load > reject");

  @TempDir Path tmp;

  private final Map<String, Run> runs = new HashMap<>();

  /** One child JVM per style and configuration, shared by the tests that need it. */
  private Run run(String style, String yaml) throws Exception {
    String key = style + "|" + yaml;
    Run cached = runs.get(key);
    if (cached != null) return cached;
    Path dir = Files.createDirectories(tmp.resolve("run" + runs.size()));
    ForkedJvm jvm = new ForkedJvm(dir);
    for (String entry : CAMEL_CLASSPATH.split(File.pathSeparator)) {
      jvm.classPath(Path.of(entry));
    }
    if (yaml == null) {
      jvm.withoutAgent();
    } else {
      jvm.config(yaml);
    }
    ForkedJvm.Result result = jvm.main(CamelAirportsJob.class, style).run();
    Run run = new Run(result, yaml == null ? null : result.snapshots());
    runs.put(key, run);
    return run;
  }

  private static final String CAMEL = "output:\n  interval: 1s\ninstrument:\n  presets: [camel]\n";

  @Test
  void lambdaRoutesAreOperationsByRouteAndNodeIdWithCamelsOwnCounts() throws Exception {
    Run plain = run("lambdas", null);
    Run profiled = run("lambdas", CAMEL);
    // the job is unchanged: same exit code, same output (its counts and Camel's), nothing on stderr
    assertEquals(0, plain.result.exitCode(), plain.result.toString());
    assertEquals(plain.result.exitCode(), profiled.result.exitCode(), profiled.result.toString());
    assertEquals(plain.jobLines(), profiled.jobLines());
    assertEquals(List.of(), profiled.result.agentLines().stream().skip(1).toList());

    Map<String, Long> count = profiled.counts();
    Map<String, Op> ops = profiled.camelOps();
    assertEquals(TREE, ops.keySet(), "routes and nodes: " + ops);
    // nothing but routes, nodes and the job's own operation: no DelegateSyncProcessor, no lambda
    // class, no Camel internals
    assertEquals(List.of("lookupRegion [api]"), profiled.otherOps());
    // the work a node runs, redelivery attempts too, nests under the node
    assertEquals(List.of("load > enrich > lookupRegion"), profiled.snapshots.paths("lookupRegion"));
    assertEquals(count.get("enrichAttempts"), profiled.snapshots.calls("lookupRegion"));

    // routes: exchanges in, failed (Camel's ExchangesFailed), handled (FailuresHandled)
    for (String route : List.of("ingest", "load")) {
      long[] camel = profiled.route(route);
      assertEquals(camel[0], ops.get(route).calls, route + " exchanges");
      assertEquals(camel[1], ops.get(route).errorCount(), route + " failures");
      assertEquals(camel[2], ops.get(route).counter("failuresHandled"), route + " handled");
    }
    assertEquals(1, ops.get("ingest").errors.get("java.lang.IllegalArgumentException"));
    // redelivery attempts: what the failing processors saw beyond their first attempt
    long validateRedeliveries = count.get("validateAttempts") - count.get("parsed");
    long enrichRedeliveries = count.get("enrichAttempts") - profiled.route("load")[0];
    assertEquals(2 * 2, validateRedeliveries); // two malformed lines, two redeliveries each
    assertEquals(2 * count.get("rejected"), enrichRedeliveries);
    assertEquals(validateRedeliveries, ops.get("ingest").counter("redeliveries"));
    assertEquals(enrichRedeliveries, ops.get("load").counter("redeliveries"));

    // nodes: one call per exchange processed; Camel's own per-processor count also counts every
    // redelivery attempt
    Map<String, long[]> camelNodes = profiled.nodes();
    for (String path : TREE) {
      String id = path.substring(path.lastIndexOf(' ') + 1);
      if (!camelNodes.containsKey(id) || id.equals("reject"))
        continue; // reject: two routes, one id
      long redeliveries =
          id.equals("process1")
              ? validateRedeliveries
              : id.equals("enrich") ? enrichRedeliveries : 0;
      assertEquals(camelNodes.get(id)[0] - redeliveries, ops.get(path).calls, path + " calls");
    }
    assertEquals(count.get("parsed"), ops.get("ingest > lines > filter1 > parse").calls);
    assertEquals(count.get("rejected"), ops.get("load > reject").calls);
    assertEquals(count.get("batches"), ops.get("load > aggregate1 > write").calls);
    assertEquals(
        2,
        ops.get("ingest > lines > filter1 > process1")
            .errors
            .get("java.lang.IllegalArgumentException"));
    // a node is timed to Camel's completion of it: to1 includes the route it sends to
    assertTrue(
        ops.get("ingest > lines > filter1 > to1").totalNanos >= 0.97 * ops.get("load").totalNanos,
        ops.toString());
  }

  @Test
  void classRoutesGiveTheSameOperationsAndInternalsShowOnlyWhenAsked() throws Exception {
    Run lambdas = run("lambdas", CAMEL);
    Run classes = run("classes", CAMEL + "  framework-internals: true\n");
    assertEquals(0, classes.result.exitCode(), classes.result.toString());
    assertEquals(lambdas.jobLines(), classes.jobLines());
    // the same routes and nodes; with the internals shown, Camel's processors that enclose a
    // route (the ProducerTemplate's, the direct: producer) come before it in its path
    assertEquals(lambdas.callsByPath(), classes.callsByPath());
    // internals, asked for: Camel's processors and the user's, each under its node
    List<String> parse = classes.snapshots.paths("ClassRoutes$Parse.process");
    assertFalse(parse.isEmpty(), classes.otherOps().toString());
    for (String path : parse) {
      assertTrue(path.contains("ingest > lines > filter1 > parse > "), path);
    }
    assertFalse(classes.snapshots.operations("DelegateSyncProcessor.process").isEmpty());
  }

  @Test
  void parallelSplitKeepsItsLinesUnderTheSplit() throws Exception {
    Run lambdas = run("lambdas", CAMEL);
    Run parallel = run("parallel", CAMEL);
    assertEquals(0, parallel.result.exitCode(), parallel.result.toString());
    assertEquals(lambdas.jobLines(), parallel.jobLines());
    assertEquals(lambdas.callsByPath(), parallel.callsByPath());
    assertEquals(List.of("load > enrich > lookupRegion"), parallel.snapshots.paths("lookupRegion"));
  }

  // ---- reading a run ----

  /** One operation summed over the snapshot's intervals. */
  static final class Op {
    long calls;
    double totalNanos;
    final Map<String, Long> errors = new TreeMap<>();
    final Map<String, Long> counters = new TreeMap<>();

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    long counter(String name) {
      return counters.getOrDefault(name, 0L);
    }

    @Override
    public String toString() {
      return calls + " calls " + (long) totalNanos + " ns " + errors + " " + counters;
    }
  }

  record Run(ForkedJvm.Result result, Snapshots snapshots) {
    /** The job's own output (not the agent's lines). */
    List<String> jobLines() {
      return result.stdout().lines().filter(l -> !l.startsWith("[etl-profiler]")).toList();
    }

    Map<String, Long> counts() {
      Map<String, Long> m = new HashMap<>();
      Matcher x = Pattern.compile("(?m)^count (\\w+)=(\\d+)$").matcher(result.stdout());
      while (x.find()) m.put(x.group(1), Long.parseLong(x.group(2)));
      return m;
    }

    /** Camel's counts of a route: total, failed, failures handled. */
    long[] route(String id) {
      Matcher x =
          Pattern.compile(
                  "(?m)^route "
                      + id
                      + " total=(\\d+) failed=(\\d+) handled=(\\d+) redelivered=\\d+$")
              .matcher(result.stdout());
      assertTrue(x.find(), result.stdout());
      return new long[] {
        Long.parseLong(x.group(1)), Long.parseLong(x.group(2)), Long.parseLong(x.group(3))
      };
    }

    /** Camel's counts per processor id: total, failed. */
    Map<String, long[]> nodes() {
      Map<String, long[]> m = new HashMap<>();
      Matcher x =
          Pattern.compile("(?m)^node (\\S+) route=\\S+ total=(\\d+) failed=(\\d+)$")
              .matcher(result.stdout());
      while (x.find()) {
        m.put(x.group(1), new long[] {Long.parseLong(x.group(2)), Long.parseLong(x.group(3))});
      }
      return m;
    }

    /** Routes and nodes by path. */
    Map<String, Op> camelOps() {
      Map<String, Op> ops = new TreeMap<>();
      for (JsonNode line : snapshots.lines()) {
        for (JsonNode o : line.path("operations")) {
          String kind = o.path("kind").asText();
          if (!kind.equals("camel-route") && !kind.equals("camel-node")) continue;
          List<String> path = new ArrayList<>();
          o.path("path").forEach(n -> path.add(n.asText()));
          while (!path.isEmpty() && path.get(0).endsWith(".process")) {
            path.remove(0); // an internal processor of Camel's around the route, when shown
          }
          Op op = ops.computeIfAbsent(String.join(" > ", path), k -> new Op());
          long calls = o.path("calls").asLong();
          op.calls += calls;
          op.totalNanos += o.path("totalNanos").asDouble();
          o.path("errors")
              .fields()
              .forEachRemaining(e -> op.errors.merge(e.getKey(), e.getValue().asLong(), Long::sum));
          o.path("counters")
              .fields()
              .forEachRemaining(
                  e -> op.counters.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
      }
      return ops;
    }

    Map<String, String> callsByPath() {
      Map<String, String> m = new TreeMap<>();
      camelOps().forEach((k, v) -> m.put(k, v.calls + " " + v.errors + " " + v.counters));
      return m;
    }

    /** Operations that are neither a route nor a node: name and kind. */
    List<String> otherOps() {
      List<String> other = new ArrayList<>();
      for (JsonNode line : snapshots.lines()) {
        for (JsonNode o : line.path("operations")) {
          String kind = o.path("kind").asText();
          if (!kind.equals("camel-route") && !kind.equals("camel-node")) {
            other.add(o.path("name").asText() + " [" + kind + "]");
          }
        }
      }
      return other.stream().distinct().toList();
    }
  }
}
