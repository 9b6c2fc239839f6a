package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etlprofiler.report.analyze.Analyzer;
import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.analyze.Thresholds;
import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.read.SnapshotReader;
import dev.etlprofiler.report.render.JsonRenderer;
import dev.etlprofiler.report.render.Report;
import dev.etlprofiler.report.render.SummaryRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asynchronous calls (Kafka sends, HTTP calls marked {@code async}) are timed from start to
 * completion while the caller goes on: their time overlaps, so it is shown as the mean number in
 * flight, never as a share of the wall time, and no finding or cost share treats it as time a
 * thread spent.
 */
class AsyncTimeTest {
  private static final String HTTP = "GET http://127.0.0.1:40013/regions/{n}";

  /**
   * A 10 s job: {@code job} (10 s) runs {@code enrich} (1 call, 250 ms) which starts 50 concurrent
   * HTTP calls of 200 ms each (10 s in flight), and {@code publish} (9 s, 3376 records), whose 3376
   * Kafka sends are each acknowledged 420 ms after the send (1418 s = 23.6 min in flight). {@code
   * validate} and {@code serialize} share publish's time with the sends.
   */
  static Profile job() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    p.resources().seen = true;
    p.resources().cpuNanos = 8_000_000_000L;
    p.resources().availableProcessors = 1;
    p.resources().rssPeakBytes = 1_000_000_000L;
    p.resources().threadsPeak = 20;
    Profiles.op(p, 1, 10_000_000_000L, "job");
    Profiles.op(p, 1, 250_000_000L, "job", "enrich");
    Profiles.op(p, null, "http", 50, 200_000_000L, "job", "enrich", HTTP).markAsync();
    Profiles.op(p, 1, 9_000_000_000L, "job", "publish").addCounter("records", 3376);
    Profiles.op(p, 3376, 1_000_000L, "job", "publish", "validate");
    Profiles.op(p, 3376, 1_500_000L, "job", "publish", "serialize");
    OperationStats send =
        Profiles.op(p, null, "kafka-send", 3376, 420_000_000L, "job", "publish", "airports-raw");
    send.addCounter("records", 3376);
    send.addCounter("bytes", 3376L * 500);
    return p;
  }

  private static List<Finding> analyze(Profile p) {
    return new Analyzer(Thresholds.defaults()).analyze(p);
  }

  /** The %wall column of the summary row whose operation starts with {@code name}. */
  private static String wallColumn(String summary, String name) {
    String row =
        summary
            .lines()
            .filter(l -> l.strip().startsWith(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError(name + " not in\n" + summary));
    // the columns after the name: calls … total, %wall, records/s, bytes/s
    String[] cols = row.substring(60).trim().split("\\s+");
    return cols[cols.length - 3];
  }

  @Test
  void theAsyncFlagOfASnapshotLineIsRead(@TempDir Path dir) throws Exception {
    String http =
        "{\"kind\":\"http\",\"name\":\""
            + HTTP
            + "\",\"path\":[\"enrich\",\""
            + HTTP
            + "\"],\"async\":true,\"calls\":2,\"totalNanos\":400000000,\"maxNanos\":200000000,"
            + "\"histogram\":\""
            + SnapshotReaderTest.histogram(200_000_000L, 200_000_000L)
            + "\"}";
    String sync = http.replace(",\"async\":true", "").replace("/regions", "/cities");
    String send =
        "{\"kind\":\"kafka-send\",\"name\":\"airports-raw\",\"path\":[\"enrich\",\"airports-raw\"],"
            + "\"calls\":1,\"totalNanos\":5000000,\"maxNanos\":5000000,\"histogram\":\""
            + SnapshotReaderTest.histogram(5_000_000L)
            + "\"}";
    Files.writeString(
        dir.resolve("h-1.jsonl"),
        SnapshotReaderTest.line("r", 1, 0, 0, 1000, true, http + "," + sync + "," + send, null)
            + "\n");
    Profile p = new SnapshotReader(null).read(dir);
    assertTrue(
        p.operations().get(new OperationKey(null, null, "http", List.of("enrich", HTTP))).async());
    assertFalse(
        p.operations()
            .get(
                new OperationKey(
                    null, null, "http", List.of("enrich", HTTP.replace("/regions", "/cities"))))
            .async());
    assertTrue(
        p.operations()
            .get(new OperationKey(null, null, "kafka-send", List.of("enrich", "airports-raw")))
            .async(),
        "every Kafka send is asynchronous");
  }

  @Test
  void theSummaryShowsTheMeanInFlightNeverAShareAboveAHundredPercent() {
    String summary = new SummaryRenderer().render(job());
    assertEquals("×1.00", wallColumn(summary, HTTP), summary); // 10 s in flight over 10 s
    assertEquals("×142", wallColumn(summary, "airports-raw"), summary); // 1418 s over 10 s
    assertEquals("100%", wallColumn(summary, "job"), summary);
    assertEquals("90.0%", wallColumn(summary, "publish"), summary);
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)%").matcher(summary);
    while (m.find()) {
      assertTrue(Double.parseDouble(m.group(1)) <= 100, m.group() + " in\n" + summary);
    }
    assertTrue(summary.contains("mean number in flight"), summary);
    String sendRow =
        summary.lines().filter(l -> l.strip().startsWith("airports-raw")).findFirst().orElseThrow();
    assertTrue(
        sendRow.trim().endsWith("-          -"),
        "no records/s or bytes/s over time in flight: " + sendRow);
  }

  @Test
  void theJsonReportSaysWhichTimeIsInFlight() throws Exception {
    Profile p = job();
    CostReport cost = new CostEstimator().estimate(p, CostModel.defaults(), 1.0);
    JsonNode ops =
        new ObjectMapper()
            .readTree(
                new JsonRenderer()
                    .render(new Report(p, new Analyzer(Thresholds.defaults()).analyze(p), cost)))
            .get("operations");
    JsonNode send = null;
    JsonNode publish = null;
    for (JsonNode op : ops) {
      if (op.get("name").asText().equals("airports-raw")) send = op;
      if (op.get("name").asText().equals("publish")) publish = op;
    }
    assertTrue(send.get("async").asBoolean());
    assertEquals(141.7920, send.get("meanConcurrency").asDouble(), 1e-9);
    assertFalse(send.has("wallShare"));
    assertFalse(publish.get("async").asBoolean());
    assertEquals(0.9, publish.get("wallShare").asDouble(), 1e-12);
    assertFalse(publish.has("meanConcurrency"));
  }

  @Test
  void aSynchronousOperationOnSeveralThreadsShowsThreadsBusyNotAShareAboveAHundredPercent() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 8, 10_000_000_000L, "worker"); // 8 threads for the whole 10 s
    assertEquals("×8.00", wallColumn(new SummaryRenderer().render(p), "worker"));
  }

  @Test
  void noFindingTreatsTimeInFlightAsTimeSpent() {
    List<Finding> f = analyze(job());
    assertEquals(
        List.of(),
        f.stream()
            .filter(x -> x.subject().contains("airports-raw") || x.subject().contains(HTTP))
            .filter(
                x ->
                    List.of("low-throughput", "dominant-stage", "per-record-call")
                        .contains(x.rule()))
            .toList(),
        "findings on asynchronous calls: " + f);
    assertEquals(
        List.of(),
        f.stream().filter(x -> x.rule().equals("waiting-on-clients")).toList(),
        "enrich does not wait for its asynchronous calls");
    assertEquals(List.of(), f.stream().filter(x -> x.title().matches(".*\\d{4,}.*%.*")).toList());
  }

  @Test
  void asynchronousCallsGetNoShareOfTheComputeCost() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 3_600_000);
    p.resources().seen = true;
    p.resources().cpuNanos = 3_600_000_000_000L; // one CPU-hour
    p.resources().rssPeakBytes = 0;
    Profiles.op(p, 1, 3_000_000_000_000L, "job");
    // sends outside any stage: a root of their own, 10 h in flight
    Profiles.op(p, null, "kafka-send", 90_000, 400_000_000L, "airports-raw")
        .addCounter("bytes", 2_000_000_000L);
    CostModel model = new CostModel("USD", 0.04, 0.005, 0, 0, 0, 0.5, List.of());
    CostReport r = new CostEstimator().estimate(p, model, 1.0);
    assertEquals(0.04, r.byOperation().get("job"), 1e-12, "all the CPU time goes to the job");
    assertEquals(
        2 * 0.5,
        r.byOperation().get("airports-raw"),
        1e-12,
        "the sends cost their 2 GB at the processing price, not compute");
  }

  /** Two JVMs of one run (a fleet), 10 s each on 2 CPUs, 30 s of CPU between them: 75 %. */
  @Test
  void theCpuShareOfAFleetIsOfEveryJvmsCpus() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000).processors = 2;
    dev.etlprofiler.report.model.JvmStats second = p.jvm("r-2.jsonl");
    second.runId = "r";
    second.lines = 1;
    second.sawFinal = true;
    second.startMillis = 0;
    second.endMillis = 10_000;
    second.processors = 2;
    p.resources().seen = true;
    p.resources().availableProcessors = 2;
    p.resources().cpuNanos = 30_000_000_000L;
    String summary = new SummaryRenderer().render(p);
    assertTrue(
        summary.contains("= 75.0% of 2 CPU(s) in each of 2 JVM(s) over their wall time"), summary);
    assertEquals(
        List.of(),
        analyze(p).stream().filter(f -> f.rule().equals("cpu-bound")).toList(),
        "75 % is not CPU-bound (the threshold is 80 %)");
    p.resources().cpuNanos = 34_000_000_000L;
    Finding cpu =
        analyze(p).stream().filter(f -> f.rule().equals("cpu-bound")).findFirst().orElseThrow();
    assertEquals("85.0%", cpu.evidence().get("share of the CPUs"));
  }

  /** A concurrent collector reports 15 s of GC work in a 10 s JVM: not 150 % of the wall. */
  @Test
  void gcTimeBeyondTheWallIsNotAShare() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    p.resources().seen = true;
    p.resources().availableProcessors = 4;
    p.resources().cpuNanos = 20_000_000_000L;
    p.resources().gc.put("ZGC Cycles", new long[] {30, 15_000});
    String summary = new SummaryRenderer().render(p);
    assertTrue(
        summary.contains(
            "  GC       30 collection(s), 15.0 s = ×1.50 the wall time (concurrent)\n"),
        summary);
    Finding gc =
        analyze(p).stream().filter(f -> f.rule().equals("gc-time")).findFirst().orElseThrow();
    assertEquals("GC threads took 1.50× the wall time", gc.title());
  }

  /** A stage (1 s) whose synchronous HTTP calls ran on a pool of 4 threads: 3.2 s of calls. */
  @Test
  void clientCallsInParallelAreNotAShareAboveAHundredPercentOfTheStage() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1, 1_000_000_000L, "job", "enrich");
    Profiles.op(p, null, "http", 400, 8_000_000, "job", "enrich", "GET https://api.x.com:443/a");
    Finding f =
        analyze(p).stream()
            .filter(x -> x.rule().equals("waiting-on-clients"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "enrich waits on client calls made in parallel: 3.20× its own time, most to"
            + " https://api.x.com:443",
        f.title());
    assertEquals("×3.20", f.evidence().get("client calls over the stage's time"));
    assertFalse(f.evidence().containsKey("share in client calls"));
  }
}
