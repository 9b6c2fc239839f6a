package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etlprofiler.report.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One hand-built job written as the agent writes it (two snapshot lines), with every figure known,
 * read through the command line: every number summary, analyze and the JSON report print for it.
 *
 * <p>The job ({@code IngestJob.run}, 19.5 s of a 20 s JVM, one thread): {@code CsvReader.read}
 * reads 3,376 records, the first call 900 ms (opening the file), the others 14 µs (947.25 ms in
 * all, over both intervals); {@code Stages.parseRecord} is sampled: 1,000,000 calls, 10,000 timed
 * (half 1 µs, half 3 µs), estimated 2.00 s; {@code Enricher.enrichAll} (250 ms) starts 50
 * concurrent asynchronous HTTP calls of 200 ms (10 s in flight); {@code Publisher.publish} (6 s)
 * sends 3,376 records to Kafka, each acknowledged 420 ms later (1417.92 s in flight); {@code
 * Loader.load} (4 s) inserts them in 34 JDBC batches of about 100 (34 × 100 ms) and commits each
 * (34 × 10 ms); at start a framework probes the cloud metadata service three times (2 ms each, all
 * failing). CPU 16 s of 2 CPUs over 20 s (40 %).
 */
class GroundTruthTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final String RUN = "IngestJob.run";
  private static final String HTTP = "GET http://127.0.0.1:40013/regions/{state}";
  private static final String PROBE = "GET http://169.254.169.254:80/latest/meta-data/instance-id";

  @TempDir static Path dir;

  private record Out(int code, String out) {}

  private static Out run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Out(code, o.toString(java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
    }
  }

  /** A histogram of {value, count} pairs, encoded as the agent encodes it. */
  private static String histogram(long... valueCounts) {
    Histogram h = new Histogram(1, 3_600_000_000_000L, 2);
    for (int i = 0; i < valueCounts.length; i += 2) {
      h.recordValueWithCount(valueCounts[i], valueCounts[i + 1]);
    }
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
  }

  private static String op(
      String kind,
      long calls,
      long total,
      long max,
      String histogram,
      String extra,
      String... path) {
    StringBuilder p = new StringBuilder();
    for (String s : path) p.append(p.length() == 0 ? "" : ",").append('"').append(s).append('"');
    return "{\"kind\":\""
        + kind
        + "\",\"name\":\""
        + path[path.length - 1]
        + "\",\"path\":["
        + p
        + "],\"calls\":"
        + calls
        + ",\"totalNanos\":"
        + total
        + ",\"maxNanos\":"
        + max
        + ",\"histogram\":\""
        + histogram
        + "\""
        + extra
        + "}";
  }

  private static String line(int seq, boolean last, List<String> ops, String resources) {
    return "{\"format\":\"etl-profiler-snapshot\",\"version\":1,\"runId\":\"ground-truth\","
        + "\"host\":\"etl-7\",\"pid\":4242,\"jvmStartMillis\":"
        + T0
        + ",\"seq\":"
        + seq
        + ",\"startMillis\":"
        + (T0 + seq * 10_000L)
        + ",\"endMillis\":"
        + (T0 + (seq + 1) * 10_000L)
        + ",\"final\":"
        + last
        + ",\"operations\":["
        + String.join(",", ops)
        + "],\"resources\":"
        + resources
        + "}\n";
  }

  private static String resources(long cpu, long user, long gcCount, long gcMillis) {
    return "{\"availableProcessors\":2,\"cpuNanos\":"
        + cpu
        + ",\"cpuUserNanos\":"
        + user
        + ",\"cpuSystemNanos\":"
        + (cpu - user)
        + ",\"heapUsedPeakBytes\":209715200,\"heapMaxBytes\":4294967296,\"rssPeakBytes\":314572800,"
        + "\"threadsPeak\":25,\"diskWriteBytes\":1048576,"
        + "\"gc\":[{\"name\":\"G1 Young Generation\",\"count\":"
        + gcCount
        + ",\"timeMillis\":"
        + gcMillis
        + "}]}";
  }

  @BeforeAll
  static void writeSnapshots() throws Exception {
    List<String> first = new ArrayList<>();
    first.add(
        op(
            "http",
            3,
            6_000_000,
            2_000_000,
            histogram(2_000_000, 3),
            ",\"errors\":{\"java.net.ConnectException\":3}",
            RUN,
            PROBE));
    first.add(
        op(
            "method",
            1688,
            900_000_000L + 1687 * 14_000L,
            900_000_000,
            histogram(900_000_000, 1, 14_000, 1687),
            ",\"counters\":{\"records\":1688}",
            RUN,
            "CsvReader.read"));
    List<String> second = new ArrayList<>();
    second.add(
        op(
            "method",
            1688,
            1688 * 14_000L,
            14_000,
            histogram(14_000, 1688),
            ",\"counters\":{\"records\":1688}",
            RUN,
            "CsvReader.read"));
    second.add(
        op(
            "method",
            1_000_000,
            2_000_000_000L,
            3000,
            histogram(1000, 5000, 3000, 5000),
            ",\"sampling\":{\"oneIn\":100,\"timedCalls\":10000}",
            RUN,
            "Stages.parseRecord"));
    second.add(
        op(
            "method",
            1,
            250_000_000,
            250_000_000,
            histogram(250_000_000, 1),
            "",
            RUN,
            "Enricher.enrichAll"));
    second.add(
        op(
            "http",
            50,
            10_000_000_000L,
            200_000_000,
            histogram(200_000_000, 50),
            ",\"async\":true,\"counters\":{\"status2xx\":50}",
            RUN,
            "Enricher.enrichAll",
            HTTP));
    second.add(
        op(
            "method",
            1,
            6_000_000_000L,
            6_000_000_000L,
            histogram(6_000_000_000L, 1),
            "",
            RUN,
            "Publisher.publish"));
    second.add(
        op(
            "kafka-send",
            3376,
            3376 * 420_000_000L,
            420_000_000,
            histogram(420_000_000, 3376),
            ",\"counters\":{\"records\":3376,\"bytes\":1688000}",
            RUN,
            "Publisher.publish",
            "airports-raw"));
    second.add(
        op(
            "method",
            1,
            4_000_000_000L,
            4_000_000_000L,
            histogram(4_000_000_000L, 1),
            "",
            RUN,
            "Loader.load"));
    second.add(
        op(
            "jdbc",
            34,
            3_400_000_000L,
            100_000_000,
            histogram(100_000_000, 34),
            ",\"counters\":{\"rows\":3376,\"batchedStatements\":3376,\"batchSize11to100\":34}",
            RUN,
            "Loader.load",
            "INSERT airports"));
    second.add(
        op(
            "jdbc",
            34,
            340_000_000,
            10_000_000,
            histogram(10_000_000, 34),
            "",
            RUN,
            "Loader.load",
            "COMMIT"));
    second.add(
        op("method", 1, 19_500_000_000L, 19_500_000_000L, histogram(19_500_000_000L, 1), "", RUN));
    Files.writeString(
        dir.resolve("etl-7-4242.jsonl"),
        line(0, false, first, resources(7_000_000_000L, 6_000_000_000L, 1, 50))
            + line(1, true, second, resources(9_000_000_000L, 8_000_000_000L, 3, 150)));
  }

  @Test
  void summary() {
    Out r = run("summary", dir.toString());
    assertEquals(0, r.code());
    String expected =
        """
        ETL Cost Profiler summary: 1 run(s), 1 JVM(s), 1 snapshot file(s), 2 interval(s); wall 20.0 s
        runs: ground-truth

        session (no session)
        operation                                                        calls   records  errors       p50       p95       p99       max     total   %wall  records/s    bytes/s
        IngestJob.run                                                        1         -       0    19.5 s    19.5 s    19.5 s    19.5 s    19.5 s   97.5%          -          -
          Publisher.publish                                                  1         -       0    6.00 s    6.00 s    6.00 s    6.00 s    6.00 s   30.0%          -          -
            airports-raw [kafka-send]                                     3376      3376       0    420 ms    420 ms    420 ms    420 ms  23.6 min   ×70.9          -          -
          Loader.load                                                        1         -       0    4.00 s    4.00 s    4.00 s    4.00 s    4.00 s   20.0%          -          -
            INSERT airports [jdbc]                                          34         -       0    100 ms    100 ms    100 ms    100 ms    3.40 s   17.0%          -          -
            COMMIT [jdbc]                                                   34         -       0   10.0 ms   10.0 ms   10.0 ms   10.0 ms    340 ms   1.70%          -          -
          Stages.parseRecord *                                         1000000         -       0   1.00 µs   3.00 µs   3.00 µs   3.00 µs    2.00 s   10.0%          -          -
          CsvReader.read                                                  3376      3376       0   14.0 µs   14.0 µs   14.0 µs    900 ms    947 ms   4.74%      3.56k          -
          Enricher.enrichAll                                                 1         -       0    250 ms    250 ms    250 ms    250 ms    250 ms   1.25%          -          -
            GET http://127.0.0.1:40013/regions/{state} [http]               50         -       0    200 ms    200 ms    200 ms    200 ms    10.0 s   ×0.50          -          -
          GET http://169.254.169.25…est/meta-data/instance-id [http]         3         -       3   2.00 ms   2.00 ms   2.00 ms   2.00 ms   6.00 ms   0.03%          -          -

        ×N in %wall: the operation's calls overlap, so its time is not a share of the wall time: asynchronous calls
          (kafka-send, or marked async) are timed from start to completion while the caller goes on, and other
          operations may run on several threads at once. N = its time / the wall time, the mean number in flight.

        resources
          CPU      16.0 s (user 14.0 s, system 2.00 s) = 40.0% of 2 CPU(s) over the wall time
          heap     peak 200 MiB of 4.00 GiB max (4.88%)
          GC       4 collection(s), 200 ms = 1.00% of wall time
                   G1 Young Generation: 4, 200 ms
          RSS      peak 300 MiB
          threads  peak 25
          disk     read 0 B, written 2.00 MiB
          network  received 0 B, sent 0 B (host interfaces, loopback excluded)

        * sampled: the operation was hot, so only some calls were timed (overhead.cpu-budget); calls and total
          time are estimates (calls × the timed calls' mean), percentiles come from the timed calls:
          IngestJob.run > Stages.parseRecord: 10000 of 1000000 calls timed; estimated 2.00 s (95 % interval 1.98 s … 2.02 s)
        """;
    assertEquals(expected, r.out());
  }

  @Test
  void analyzeFindsOnlyWhatIsTrue() {
    Out r = run("analyze", dir.toString(), "--fail-on", "warning");
    assertEquals(1, r.code(), r.out());
    String expected =
        """
        WARNING  IngestJob.run > Loader.load
          Loader.load spends 93.5% of its time in client calls, most to jdbc INSERT airports [waiting-on-clients]
            stage time: 4.00 s
            in client calls: 3.74 s
            share in client calls: 93.5%
            most time to: jdbc INSERT airports
          → The stage waits on jdbc INSERT airports, already batched (99.3 statements per execution): \
        the time is the database's. Check its indexes, locks and constraints on the table, commit per \
        batch rather than per row, and use the database's bulk load (COPY, LOAD DATA) for large loads.

        INFO  IngestJob.run > GET http://169.254.169.254:80/latest/meta-data/instance-id
          GET http://169.254.169.254:80/latest/meta-data/instance-id fails 100% of its calls: a \
        cloud-metadata probe [error-rate]
            calls: 3
            errors: 3
            error rate: 100%
            most frequent: java.net.ConnectException (3)
          → SDKs and frameworks ask the cloud's metadata service on start-up which cloud they run on; \
        off that cloud the probe fails, as it should. Nothing to fix, unless the probes' time-outs \
        delay the start: then turn the detection off in the SDK's configuration.

        """;
    assertEquals(expected, r.out());
    assertEquals(0, run("analyze", dir.toString(), "--fail-on", "critical").code());
  }

  @Test
  void jsonReport() throws Exception {
    Out r = run("report", dir.toString(), "--format", "json");
    assertEquals(0, r.code());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertEquals(2, root.get("reportVersion").asInt());
    assertEquals(20_000, root.get("wallMillis").asLong());
    Map<String, JsonNode> ops = new HashMap<>();
    for (JsonNode op : root.get("operations")) ops.put(op.get("name").asText(), op);
    assertEquals(11, ops.size());
    // name: calls, timed calls, total ns, p50 ns (1 % precision), max ns
    Object[][] truth = {
      {RUN, 1L, 1L, 19_500_000_000L, 19_500_000_000L, 19_500_000_000L},
      {"Publisher.publish", 1L, 1L, 6_000_000_000L, 6_000_000_000L, 6_000_000_000L},
      {"airports-raw", 3376L, 3376L, 1_417_920_000_000L, 420_000_000L, 420_000_000L},
      {"Loader.load", 1L, 1L, 4_000_000_000L, 4_000_000_000L, 4_000_000_000L},
      {"INSERT airports", 34L, 34L, 3_400_000_000L, 100_000_000L, 100_000_000L},
      {"COMMIT", 34L, 34L, 340_000_000L, 10_000_000L, 10_000_000L},
      {"Stages.parseRecord", 1_000_000L, 10_000L, 2_000_000_000L, 1000L, 3000L},
      {"CsvReader.read", 3376L, 3376L, 947_250_000L, 14_000L, 900_000_000L},
      {"Enricher.enrichAll", 1L, 1L, 250_000_000L, 250_000_000L, 250_000_000L},
      {HTTP, 50L, 50L, 10_000_000_000L, 200_000_000L, 200_000_000L},
      {PROBE, 3L, 3L, 6_000_000L, 2_000_000L, 2_000_000L},
    };
    for (Object[] t : truth) {
      JsonNode op = ops.get((String) t[0]);
      assertEquals((long) t[1], op.get("calls").asLong(), t[0] + " calls");
      assertEquals((long) t[2], op.get("timedCalls").asLong(), t[0] + " timed calls");
      assertEquals((long) t[3], op.get("totalNanos").asLong(), t[0] + " total");
      assertEquals((long) t[4], op.get("p50Nanos").asLong(), (long) t[4] / 100.0, t[0] + " p50");
      assertEquals((long) t[5], op.get("maxNanos").asLong(), t[0] + " max");
      boolean async = t[0].equals("airports-raw") || t[0].equals(HTTP);
      assertEquals(async, op.get("async").asBoolean(), t[0] + " async");
      double overWall = (long) t[3] / 20e9;
      assertEquals(
          overWall,
          op.get(async ? "meanConcurrency" : "wallShare").asDouble(),
          1e-12,
          t[0].toString());
      assertFalse(op.has(async ? "wallShare" : "meanConcurrency"), t[0].toString());
    }
    JsonNode parse = ops.get("Stages.parseRecord");
    assertTrue(parse.get("sampled").asBoolean());
    double half = 1_000_000 * 1.96 * 1000 / Math.sqrt(10_000) * Math.sqrt(1 - 0.01);
    assertEquals(2e9 - half, parse.get("totalNanosLow").asDouble(), half * 0.005);
    assertEquals(2e9 + half, parse.get("totalNanosHigh").asDouble(), half * 0.005);
    assertEquals(3376, ops.get("airports-raw").get("counters").get("records").asLong());
    assertEquals(3, ops.get(PROBE).get("errors").asLong());
    JsonNode topic = ops.get("INSERT airports").get("counters");
    assertEquals(3376, topic.get("batchedStatements").asLong());

    JsonNode findings = root.get("findings");
    assertEquals(2, findings.size());
    assertEquals("IngestJob.run > Loader.load", findings.get(0).get("subject").asText());
    assertEquals("warning", findings.get(0).get("severity").asText());
    assertEquals("[\"waiting-on-clients\"]", findings.get(0).get("rules").toString());
    assertEquals("93.5%", findings.get(0).get("evidence").get("share in client calls").asText());
    assertEquals("IngestJob.run > " + PROBE, findings.get(1).get("subject").asText());
    assertEquals("info", findings.get(1).get("severity").asText());

    JsonNode byOperation = root.get("cost").get("byOperation");
    assertEquals(1, byOperation.size(), byOperation.toString());
    assertEquals(
        root.get("cost").get("lines").get(0).get("perRun").asDouble()
            + root.get("cost").get("lines").get(1).get("perRun").asDouble(),
        byOperation.get(RUN).asDouble(),
        1e-15,
        "all compute to the job's thread, none to the sends in flight");
  }
}
