package dev.etlprofiler.frameworks.kafkastreams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.KafkaBroker;
import dev.etlprofiler.it.harness.Snapshots;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kafka-streams preset on a real Kafka Streams application ({@link AirportsStreams}) against a
 * real KRaft broker, with {@code presets: [kafka-streams]} alone: every processor node of the
 * topology is an operation named by the node's name, under its task ({@code task 0_1 >
 * KSTREAM-SOURCE-0000000000 > parse > …}), with as many calls as the framework's metrics and the
 * application's own code counted; no framework class appears; the output and exit code are those of
 * a run without the agent. With {@code instrument.framework-internals: true} the old class targets
 * (the DSL's processor classes) come back.
 */
class KafkaStreamsIT {
  /** Every call timed: a sampled node's calls are an estimate, not comparable exactly. */
  private static final String EXACT =
      "instrument:\n  presets: [kafka-streams]\noverhead:\n  cpu-budget: 0\n";

  private static final Pattern METRIC =
      Pattern.compile("METRIC (\\S+) task=(\\S+)(?: node=(\\S+))? process-total=(\\d+)");

  /** What the agent records of the Kafka clients' calls by default (clients.kafka.enabled). */
  private static final Set<String> CLIENT_KINDS =
      Set.of("kafka-send", "kafka-poll", "kafka-commit", "kafka-topic");

  @TempDir Path tmp;

  @Test
  void nodesByNameUnderTheirTasks() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("broker"))) {
      ForkedJvm.Result plain = run(broker, "plain", null);
      ForkedJvm.Result profiled = run(broker, "profiled", EXACT);
      ForkedJvm.Result internals =
          run(
              broker,
              "internals",
              "instrument:\n  presets: [kafka-streams]\n  framework-internals: true\n");

      assertEquals(0, plain.exitCode(), plain::toString);
      assertEquals(0, profiled.exitCode(), profiled::toString);
      assertEquals(line(plain, "COUNTS "), line(profiled, "COUNTS "), "the same output");
      assertEquals(line(plain, "CALLS "), line(profiled, "CALLS "), "the same calls");
      assertEquals(lines(plain, "NODE "), lines(profiled, "NODE "), "the same topology");

      assertProfile(profiled);

      // Kafka Streams 3.9 (and its 3.9 clients): the same classes and methods
      ForkedJvm.Result v39 = run(broker, "v39", EXACT, streams39());
      assertEquals(0, v39.exitCode(), v39::toString);
      assertEquals(line(plain, "COUNTS "), line(v39, "COUNTS "), "the same output on 3.9");
      assertProfile(v39);

      // the option that shows the framework's internals: the old class targets come back
      assertEquals(0, internals.exitCode(), internals::toString);
      Set<String> internalNames = new TreeSet<>();
      for (JsonNode line : internals.snapshots().lines()) {
        for (JsonNode op : line.path("operations")) {
          if (!op.path("kind").asText().startsWith("kafka-streams-")) {
            internalNames.add(op.path("name").asText());
          }
        }
      }
      assertTrue(
          internalNames.stream().anyMatch(n -> n.contains("KStreamFilter")),
          "framework classes with framework-internals: " + internalNames);
      assertTrue(
          internalNames.stream().anyMatch(n -> n.contains("StateOf.process")),
          "the FixedKeyProcessor class with framework-internals: " + internalNames);
    }
  }

  /**
   * The operations of a profiled run: the topology's nodes under their tasks, each with the calls
   * the application and the framework counted.
   */
  private static void assertProfile(ForkedJvm.Result profiled) throws Exception {
    Snapshots s = profiled.snapshots();
    int records = 1000;
    Map<String, Long> calls = calls(line(profiled, "CALLS "));
    assertEquals(records, calls.get("parse"), profiled::toString);

    // every operation is a node or a task of the topology: no framework class, no lambda class
    Set<String> nodes = new TreeSet<>();
    for (String n : lines(profiled, "NODE ")) {
      nodes.add(n.split(" ")[2]);
    }
    Map<String, Long> byName = new TreeMap<>();
    Set<String> kinds = new TreeSet<>();
    for (JsonNode line : s.lines()) {
      for (JsonNode op : line.path("operations")) {
        String kind = op.path("kind").asText();
        kinds.add(kind);
        if (kind.equals("kafka-streams-node")) {
          byName.merge(op.path("name").asText(), op.path("calls").asLong(), Long::sum);
        }
      }
    }
    // Kafka Streams' operations, and the Kafka client calls the agent records by default
    assertTrue(
        kinds.containsAll(
            Set.of("kafka-streams-task", "kafka-streams-node", "kafka-streams-commit")),
        kinds.toString());
    assertTrue(
        kinds.stream().allMatch(k -> k.startsWith("kafka-streams-") || CLIENT_KINDS.contains(k)),
        "only Kafka Streams' own operations and Kafka client calls: " + kinds);
    assertEquals(nodes, byName.keySet(), "every node of the topology, and nothing else");

    // calls of the nodes that run the application's code = how often its code was called
    assertEquals(calls.get("parse"), byName.get("parse"));
    assertEquals(calls.get("filter"), byName.get(named(nodes, "KSTREAM-FILTER-")));
    assertEquals(calls.get("state-of"), byName.get("state-of"));
    assertEquals(calls.get("groupBy"), byName.get(named(nodes, "KSTREAM-KEY-SELECT-")));

    // per task: the task's records and its source nodes' records = the framework's metrics
    Map<String, Long> taskMetric = new TreeMap<>();
    Map<String, Long> sourceMetric = new TreeMap<>();
    for (String m : lines(profiled, "METRIC ")) {
      Matcher x = METRIC.matcher(m);
      assertTrue(x.matches(), m);
      if (x.group(3) != null) {
        sourceMetric.put(x.group(2) + " " + x.group(3), Long.parseLong(x.group(4)));
      } else if (x.group(1).equals("stream-task-metrics")) {
        taskMetric.put(x.group(2), Long.parseLong(x.group(4)));
      }
    }
    assertFalse(sourceMetric.isEmpty(), profiled::toString);
    long inputRecords = 0;
    for (Map.Entry<String, Long> e : sourceMetric.entrySet()) {
      String task = "task " + e.getKey().split(" ")[0];
      String source = e.getKey().split(" ")[1];
      assertEquals(e.getValue().longValue(), callsAt(s, source, task + " > " + source), e.getKey());
      if (source.equals(named(nodes, "KSTREAM-SOURCE-0000000000"))) {
        inputRecords += e.getValue();
      }
    }
    assertEquals(records, inputRecords, "the framework processed every input record");
    assertFalse(taskMetric.isEmpty(), profiled::toString);
    for (Map.Entry<String, Long> e : taskMetric.entrySet()) {
      assertEquals(e.getValue().longValue(), s.calls("task " + e.getKey()), e.getKey());
    }
    // the nesting: a record forwarded through the nodes the topology chains
    assertTrue(
        s.paths("parse").stream()
            .allMatch(p -> p.matches("task 0_\\d > KSTREAM-SOURCE-0000000000 > parse")),
        s.paths("parse").toString());
    assertTrue(
        s.paths("state-of").stream()
            .allMatch(p -> p.matches("task 0_\\d > .*KSTREAM-FILTER-\\d+ > state-of")),
        s.paths("state-of").toString());
    assertTrue(s.calls("commit") > 0, "commits recorded");
    long punctuations = Long.parseLong(line(profiled, "PUNCTUATIONS ").split(" ")[1]);
    assertTrue(punctuations > 0, profiled::toString);
    assertEquals(punctuations, s.calls("punctuate"), "punctuations: " + s.paths("punctuate"));
    assertTrue(
        s.paths("punctuate").stream().allMatch(p -> p.matches("task 0_\\d > punctuate")),
        s.paths("punctuate").toString());
  }

  private static String named(Set<String> nodes, String prefix) {
    return nodes.stream()
        .filter(n -> n.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node " + prefix + " in " + nodes));
  }

  private static long callsAt(Snapshots s, String name, String path) {
    long n = 0;
    for (JsonNode op : s.operations(name)) {
      List<String> p = new ArrayList<>();
      op.path("path").forEach(x -> p.add(x.asText()));
      if (String.join(" > ", p).equals(path)) {
        n += op.path("calls").asLong();
      }
    }
    return n;
  }

  private static Map<String, Long> calls(String line) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String kv : line.substring("CALLS ".length()).split(" ")) {
      out.put(kv.substring(0, kv.indexOf('=')), Long.parseLong(kv.substring(kv.indexOf('=') + 1)));
    }
    return out;
  }

  private static String line(ForkedJvm.Result r, String prefix) {
    List<String> l = lines(r, prefix);
    assertEquals(1, l.size(), () -> prefix + ": " + r);
    return l.get(0);
  }

  private static List<String> lines(ForkedJvm.Result r, String prefix) {
    return r.stdout().lines().filter(l -> l.startsWith(prefix)).sorted().toList();
  }

  /** Kafka Streams 3.9.1 with its own clients (target/kafka-streams-3.9). */
  private static List<Path> streams39() throws Exception {
    try (java.util.stream.Stream<Path> jars =
        Files.list(Path.of(System.getProperty("it.streams39.dir")))) {
      return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
  }

  private static List<Path> streams43() {
    List<Path> out = new ArrayList<>();
    for (String p : System.getProperty("it.kafka.classpath").split(File.pathSeparator)) {
      out.add(Path.of(p));
    }
    return out;
  }

  private ForkedJvm.Result run(KafkaBroker broker, String tag, String config) throws Exception {
    return run(broker, tag, config, streams43());
  }

  private ForkedJvm.Result run(KafkaBroker broker, String tag, String config, List<Path> classPath)
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(tag));
    Path csv = dir.resolve("airports.csv");
    try (InputStream in = KafkaStreamsIT.class.getResourceAsStream("/airports-sample.csv")) {
      Files.copy(in, csv);
    }
    ForkedJvm jvm = new ForkedJvm(dir);
    if (config == null) {
      jvm.withoutAgent();
    } else {
      jvm.config(config);
    }
    classPath.forEach(jvm::classPath);
    return jvm.main(AirportsStreams.class, broker.bootstrap(), tag, csv.toString()).run();
  }
}
