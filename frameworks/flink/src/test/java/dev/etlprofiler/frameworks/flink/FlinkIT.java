package dev.etlprofiler.frameworks.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flink preset on a real bounded job (app-1.20, app-2.1: {@code AirportsJob}, lambdas, a local
 * MiniCluster with parallelism 2): {@code fromData} of 1,500 airports rows, {@code map} named
 * {@code parse}, {@code filter}, {@code keyBy}/{@code reduce}, a legacy {@code SinkFunction} of the
 * job's own ({@code addSink}, in 2.x from {@code ...sink.legacy}) and {@code executeAndCollect}.
 * Checked against the calls the job's own functions counted and printed, and the job's output and
 * exit code without the agent.
 */
class FlinkIT {
  /** Every call timed: a sampled hot operation's calls would be an estimate. */
  private static final String EXACT =
      "instrument:\n  presets: [flink]\noverhead:\n  cpu-budget: 0\n";

  private static final String INTERNALS =
      "instrument:\n  presets: [flink]\n  framework-internals: true\noverhead:\n  cpu-budget: 0\n";

  /** What Flink needs opened on JDK 17 (its Kryo and closure cleaner reflect into java.base). */
  private static final List<String> OPENS =
      List.of(
          "java.util",
          "java.lang",
          "java.lang.reflect",
          "java.lang.invoke",
          "java.io",
          "java.net",
          "java.nio",
          "sun.nio.ch",
          "java.util.concurrent",
          "java.time",
          "java.text",
          "java.math");

  private static final String COLLECT = "Sink: Data stream collect sink";

  /** The operator nodes, and nothing else, by name. */
  private static final Set<String> OPERATORS =
      new TreeSet<>(Set.of("parse", "Filter", "Keyed Reduce", "Sink: count-sink", COLLECT));

  @TempDir Path tmp;

  /** A Flink version: the job compiled against it, and its class path. */
  record Version(String label, Path classes, List<Path> classPath) {
    static Version of(String label, String property) throws IOException {
      List<Path> cp = new ArrayList<>();
      for (String p :
          Files.readString(Path.of(System.getProperty("it." + property + ".classpath")))
              .trim()
              .split(File.pathSeparator)) {
        cp.add(Path.of(p));
      }
      return new Version(label, Path.of(System.getProperty("it." + property + ".classes")), cp);
    }
  }

  /** One run of the job: the result and the counts it printed ({@code COUNT name=n}). */
  record Run(ForkedJvm.Result result, Map<String, Long> counts, List<String> states) {
    long count(String name) {
      Long n = counts.get(name);
      if (n == null) throw new AssertionError("no COUNT " + name + ": " + result);
      return n;
    }
  }

  @Test
  void flink120() throws Exception {
    Version v = Version.of("1.20", "flink120");
    Run plain = run(v, null);
    Run exact = run(v, EXACT);
    assertUnchanged(plain, exact);
    assertOperators(exact);
  }

  @Test
  void flink21() throws Exception {
    Version v = Version.of("2.1", "flink21");
    Run plain = run(v, null);
    Run exact = run(v, EXACT);
    assertUnchanged(plain, exact);
    assertOperators(exact);
    assertInternals(run(v, INTERNALS));
  }

  /** The same exit code, counts and results with the agent as without it. */
  private static void assertUnchanged(Run plain, Run profiled) {
    assertEquals(0, plain.result().exitCode(), plain.result()::toString);
    assertEquals(0, profiled.result().exitCode(), profiled.result()::toString);
    assertEquals(plain.counts(), profiled.counts());
    assertEquals(plain.states(), profiled.states());
    assertTrue(plain.states().size() > 5, plain.result()::toString);
  }

  /**
   * One node per operator, named as the job graph names it, with calls and Flink's own record
   * counts equal to what the job's functions counted; the filter chained into {@code parse}, the
   * job's sink chained into the reduce.
   */
  private static void assertOperators(Run run) throws IOException {
    Snapshots s = run.result().snapshots();
    Set<String> names = new TreeSet<>();
    s.lines().forEach(l -> l.path("operations").forEach(o -> names.add(o.path("name").asText())));
    assertEquals(OPERATORS, names, "only the operators, no framework internals");
    for (String op : OPERATORS) {
      assertEquals(List.of("flink-operator"), s.kinds(op), op);
    }
    long rows = run.count("parse");
    long passed = run.count("passed");
    assertEquals(1500, rows);
    assertTrue(passed > 0 && passed < rows, "the filter drops some rows: " + passed);

    assertEquals(List.of("parse"), s.paths("parse"));
    assertEquals(rows, s.calls("parse"));
    assertEquals(rows, s.counter("parse", "recordsIn"));
    assertEquals(rows, s.counter("parse", "recordsOut"));

    assertEquals(List.of("parse > Filter"), s.paths("Filter"), "chained into parse");
    assertEquals(run.count("filter"), s.calls("Filter"));
    assertEquals(run.count("filter"), s.counter("Filter", "recordsIn"));
    assertEquals(passed, s.counter("Filter", "recordsOut"));

    // the reduce operator takes every record passed; the job's reduce function is called for
    // each but the first of each state
    assertEquals(List.of("Keyed Reduce"), s.paths("Keyed Reduce"));
    assertEquals(passed, s.calls("Keyed Reduce"));
    assertEquals(run.count("reduce") + run.states().size(), s.calls("Keyed Reduce"));
    assertEquals(passed, s.counter("Keyed Reduce", "recordsIn"));
    assertEquals(passed, s.counter("Keyed Reduce", "recordsOut"));

    assertEquals(List.of("Keyed Reduce > Sink: count-sink"), s.paths("Sink: count-sink"));
    assertEquals(run.count("sink"), s.calls("Sink: count-sink"));
    assertEquals(run.count("sink"), s.counter("Sink: count-sink", "recordsIn"));
    assertEquals(run.count("collected"), s.calls(COLLECT));
  }

  /** With framework-internals, the old class targets come back besides the operators. */
  private static void assertInternals(Run run) throws IOException {
    assertEquals(0, run.result().exitCode(), run.result()::toString);
    Snapshots s = run.result().snapshots();
    Set<String> names = new TreeSet<>();
    s.lines().forEach(l -> l.path("operations").forEach(o -> names.add(o.path("name").asText())));
    assertTrue(names.containsAll(OPERATORS), names::toString);
    assertTrue(
        names.stream().anyMatch(n -> n.contains("CollectSinkFunction")),
        "Flink's own sink function shown: " + names);
    assertEquals(run.count("parse"), s.calls("parse"));
  }

  private Run run(Version v, String config) throws Exception {
    Path dir =
        Files.createDirectories(
            tmp.resolve(
                v.label()
                    + "-"
                    + (config == null ? "plain" : config == EXACT ? "exact" : "internals")));
    try (InputStream in = FlinkIT.class.getResourceAsStream("/airports-sample.csv")) {
      Files.copy(in, dir.resolve("airports.csv"));
    }
    ForkedJvm jvm = new ForkedJvm(dir).classPath(v.classes()).jvmArg("-Xmx512m");
    OPENS.forEach(p -> jvm.jvmArg("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    v.classPath().forEach(jvm::classPath);
    if (config == null) {
      jvm.withoutAgent();
    } else {
      jvm.config(config);
    }
    ForkedJvm.Result r =
        jvm.main(Launcher.class, "dev.etlprofiler.flinkapp.AirportsJob", "airports.csv").run();
    Map<String, Long> counts = new HashMap<>();
    List<String> states = new ArrayList<>();
    for (String line : r.stdout().lines().toList()) {
      if (line.startsWith("COUNT ")) {
        String[] kv = line.substring(6).split("=");
        counts.put(kv[0], Long.parseLong(kv[1]));
      } else if (line.startsWith("STATE ")) {
        states.add(line);
      }
    }
    return new Run(r, counts, states);
  }
}
