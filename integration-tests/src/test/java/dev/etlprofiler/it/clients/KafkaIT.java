package dev.etlprofiler.it.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.KafkaBroker;
import dev.etlprofiler.it.harness.Snapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka producer sends, consumer polls and commits against a real single-node KRaft broker started
 * by the test, with each supported line of kafka-clients (3.0, the oldest supported and the one the
 * agent compiles against; the last 3.x; the 4.x on the test class path).
 */
class KafkaIT {
  static final int RECORDS = 100;
  static final int VALUE = 100;

  /** key-0001 (8) + value + header source=it (6 + 2) */
  static final int RECORD_BYTES = 8 + VALUE + 8;

  static final int LINGER_MS = 20;
  static final int MAX_POLL = 10;
  static final String TOO_LARGE = "org.apache.kafka.common.errors.RecordTooLargeException";

  @TempDir static Path brokerDir;
  static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(brokerDir);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) broker.close();
  }

  static Stream<String> clients() {
    return Stream.of("3.0.2", "3.9.1", "4.3.1");
  }

  /** The kafka-clients jar of a version, and the slf4j API it needs. */
  static List<Path> clientJars(String version) throws Exception {
    Path jar =
        version.equals("4.3.1")
            ? HttpClientsIT.jarOf(org.apache.kafka.clients.producer.KafkaProducer.class)
            : Path.of(System.getProperty("it.client.libs"), "kafka-clients-" + version + ".jar");
    assertTrue(
        Files.isRegularFile(jar), "kafka-clients " + version + " prepared by the build: " + jar);
    if (version.equals("4.3.1")) {
      assertTrue(jar.getFileName().toString().contains(version), jar.toString());
    }
    return List.of(jar, HttpClientsIT.jarOf(org.slf4j.LoggerFactory.class));
  }

  static ForkedJvm.Result run(Path dir, String version, boolean agent, String... args)
      throws Exception {
    Files.createDirectories(dir);
    ForkedJvm jvm = new ForkedJvm(dir);
    if (!agent) jvm.withoutAgent();
    for (Path jar : clientJars(version)) jvm.classPath(jar);
    ForkedJvm.Result r = jvm.main(KafkaApp.class, args).run();
    assertEquals(0, r.exitCode(), r.toString());
    return r;
  }

  static String topic(String version, String name) {
    return name + "-" + version.replace('.', '_');
  }

  @ParameterizedTest(name = "kafka-clients {0}")
  @MethodSource("clients")
  void sendsPollsAndCommitsAreRecordedPerTopic(String version, @TempDir Path dir) throws Exception {
    String orders = topic(version, "orders");
    String a = topic(version, "a");
    String b = topic(version, "b");
    broker.createTopics(Map.of(orders, 1, a, 1, b, 2));

    ForkedJvm.Result produced =
        run(
            dir.resolve("produce"),
            version,
            true,
            "produce",
            broker.bootstrap(),
            Integer.toString(VALUE),
            Integer.toString(LINGER_MS),
            orders + ":" + RECORDS,
            a + ":5",
            b + ":7");
    assertTrue(produced.stdout().contains("too large: " + TOO_LARGE), produced.stdout());
    assertTrue(
        produced.stdout().contains("callbacks=" + (RECORDS / 2 + 3 + 4 + 1)), produced.stdout());
    Snapshots sends = produced.snapshots();
    assertEquals(List.of("kafka-send"), sends.kinds(orders));
    assertTrue(
        sends.operations(orders).stream().allMatch(o -> o.path("async").asBoolean()),
        "sends are timed to their acknowledgement on the producer's thread: marked async");
    assertEquals(RECORDS + 1, sends.calls(orders), "every send once, acknowledged or failed");
    assertEquals(RECORDS, sends.counter(orders, "records"));
    assertEquals((long) RECORDS * RECORD_BYTES, sends.counter(orders, "bytes"));
    assertEquals(1, sends.errors(orders, TOO_LARGE));
    assertEquals(5, sends.counter(a, "records"));
    assertEquals(7L * RECORD_BYTES, sends.counter(b, "bytes"));
    // every synchronous send waits for linger.ms before its batch goes out: the floor of the
    // latency
    Histogram h = sends.histogram(orders);
    assertTrue(
        h.getValueAtPercentile(2) >= (LINGER_MS - 0.2) * 1_000_000,
        "p2 " + h.getValueAtPercentile(2));
    long appP50Nanos = 1000 * Long.parseLong(find(produced.stdout(), "p50Micros=(\\d+)"));
    // the callback runs before the application's future completes: never later than what it saw
    assertTrue(
        h.getValueAtPercentile(50) <= appP50Nanos * 1.02 + 500_000,
        "agent p50 " + h.getValueAtPercentile(50) + " vs the application's " + appP50Nanos);

    ForkedJvm.Result consumed =
        run(
            dir.resolve("consume"),
            version,
            true,
            "consume",
            broker.bootstrap(),
            "g-orders",
            Integer.toString(MAX_POLL),
            Integer.toString(RECORDS),
            orders);
    assertTrue(
        consumed
            .stdout()
            .contains(
                "consumed records="
                    + RECORDS
                    + " valueChars="
                    + RECORDS * VALUE
                    + " commits="
                    + RECORDS / MAX_POLL),
        consumed.stdout());
    Snapshots polls = consumed.snapshots();
    assertEquals(List.of("kafka-poll"), polls.kinds(orders));
    assertTrue(
        polls.operations(orders).stream().noneMatch(o -> o.has("async")),
        "a poll is timed on the thread that polls");
    assertEquals(Long.parseLong(find(consumed.stdout(), "polls=(\\d+)")), polls.calls(orders));
    assertEquals(
        Long.parseLong(find(consumed.stdout(), "empty=(\\d+)")),
        polls.counter(orders, "emptyPolls"));
    assertEquals(RECORDS, polls.counter(orders, "records"));
    assertEquals((long) RECORDS * RECORD_BYTES, polls.counter(orders, "bytes"));
    assertEquals(
        RECORDS / MAX_POLL,
        polls.counter(orders, "partitions"),
        "one partition in each non-empty poll");
    // the first poll hands out MAX_POLL of the RECORDS the fetch brought: the rest is the lag
    assertEquals(RECORDS - MAX_POLL, polls.gaugeMax(orders, "consumerLagMax"));
    assertEquals(RECORDS / MAX_POLL, polls.calls("commitSync"));
    assertEquals(List.of("kafka-commit"), polls.kinds("commitSync"));

    ForkedJvm.Result both =
        run(
            dir.resolve("consume-two"),
            version,
            true,
            "consume",
            broker.bootstrap(),
            "g-ab",
            "500",
            "12",
            a,
            b);
    assertTrue(both.stdout().contains("consumed records=12 "), both.stdout());
    Snapshots ab = both.snapshots();
    String name = a.compareTo(b) < 0 ? a + "," + b : b + "," + a;
    assertEquals(12, ab.counter(name, "records"));
    assertEquals(List.of("kafka-topic"), ab.kinds(a));
    assertEquals(5, ab.counter(a, "records"));
    assertEquals(7, ab.counter(b, "records"));
    assertEquals(7L * RECORD_BYTES, ab.counter(b, "bytes"));
    assertEquals(List.of(name + " > " + b), ab.paths(b));
  }

  @Test
  void theApplicationSeesTheSameResultsWithAndWithoutTheAgent(@TempDir Path dir) throws Exception {
    String version = "4.3.1";
    String with = "same-with";
    String without = "same-without";
    broker.createTopics(Map.of(with, 1, without, 1));
    String p1 =
        run(
                dir.resolve("p1"),
                version,
                true,
                "produce",
                broker.bootstrap(),
                "50",
                "0",
                with + ":20")
            .stdout();
    String p2 =
        run(
                dir.resolve("p2"),
                version,
                false,
                "produce",
                broker.bootstrap(),
                "50",
                "0",
                without + ":20")
            .stdout();
    assertEquals(stable(p2).replace(without, with), stable(p1));
    String c1 =
        run(dir.resolve("c1"), version, true, "consume", broker.bootstrap(), "g1", "7", "20", with)
            .stdout();
    String c2 =
        run(
                dir.resolve("c2"),
                version,
                false,
                "consume",
                broker.bootstrap(),
                "g2",
                "7",
                "20",
                without)
            .stdout();
    assertEquals(stable(c2), stable(c1));
  }

  @Test
  void aSendToABrokerThatIsDownIsAFailureByType(@TempDir Path dir) throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ForkedJvm.Result r = run(dir, "4.3.1", true, "unreachable", "127.0.0.1:" + closed, "nowhere");
    String timeout = "org.apache.kafka.common.errors.TimeoutException";
    assertTrue(r.stdout().contains("unreachable: " + timeout), r.stdout());
    Snapshots s = r.snapshots();
    assertEquals(1, s.calls("nowhere"));
    assertEquals(1, s.errors("nowhere", timeout));
    assertEquals(0, s.counter("nowhere", "records"));
    assertTrue(
        s.histogram("nowhere").getValueAtPercentile(50) >= 990_000_000L,
        "waited max.block.ms for metadata");
  }

  @Test
  void kafkaInstrumentationCanBeSwitchedOff(@TempDir Path dir) throws Exception {
    String topic = "switched-off";
    broker.createTopics(Map.of(topic, 1));
    ForkedJvm jvm = new ForkedJvm(dir).agentArgs("clients.kafka.enabled=false");
    for (Path jar : clientJars("4.3.1")) jvm.classPath(jar);
    ForkedJvm.Result r =
        jvm.main(KafkaApp.class, "produce", broker.bootstrap(), "10", "0", topic + ":3").run();
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("produced " + topic + " 3"), r.stdout());
    Snapshots s = r.snapshots();
    assertTrue(!s.lines().isEmpty(), "the agent still wrote snapshots");
    assertEquals(0, s.operations(topic).size(), "no Kafka node");
  }

  /** The lines that do not depend on timing. */
  private static String stable(String stdout) {
    return String.join(
        "\n",
        stdout.lines().filter(l -> !l.startsWith("timing") && !l.startsWith("polls=")).toList());
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " in " + text);
    return m.group(1);
  }
}
