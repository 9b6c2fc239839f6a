package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etlprofiler.report.analyze.Analyzer;
import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.analyze.Finding.Severity;
import dev.etlprofiler.report.analyze.Thresholds;
import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.render.JsonRenderer;
import dev.etlprofiler.report.render.Report;
import dev.etlprofiler.report.render.TextRenderer;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Findings that would be false on these workloads do not fire; true ones come once per subject. */
class FindingsTruthTest {
  private static List<Finding> analyze(Profile p) {
    return new Analyzer(Thresholds.defaults()).analyze(p);
  }

  private static List<Finding> rule(List<Finding> findings, String rule) {
    return findings.stream().filter(f -> f.rule().equals(rule)).toList();
  }

  /** Adds calls of one latency to an operation (a second mode of its distribution). */
  private static void addCalls(OperationStats s, long calls, long nanosEach) {
    Histogram h = new Histogram(1, OperationStats.HIGHEST_NANOS, 2);
    h.recordValueWithCount(nanosEach, calls);
    s.addCalls(calls, calls, false);
    s.addTime(calls * nanosEach, nanosEach);
    s.addHistogram(h);
  }

  @Test
  void aJdbcInsertAlreadyBatchedIsNotToldToBatch() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1, 1_000_000_000L, "load");
    // 3,376 rows in 34 batches of about 100: 800 ms in the database
    OperationStats insert =
        Profiles.op(p, null, "jdbc", 34, 23_529_412L, "load", "INSERT airports");
    insert.addCounter("batchedStatements", 3376);
    insert.addCounter("batchSize11to100", 34);
    // 200,000 rows in 2,000 batches of 100, 0.5 ms each
    OperationStats lines = Profiles.op(p, null, "jdbc", 2000, 500_000L, "load2", "INSERT lines");
    lines.addCounter("batchedStatements", 200_000);
    lines.addCounter("batchSize11to100", 2000);
    List<Finding> f = analyze(p);
    Finding waiting = rule(f, "waiting-on-clients").get(0);
    assertEquals("load", waiting.subject());
    assertFalse(waiting.recommendation().contains("batch the calls"), waiting.recommendation());
    assertTrue(
        waiting.recommendation().contains("already batched (99.3 statements per execution)"),
        waiting.recommendation());
    assertEquals(List.of(), rule(f, "per-record-call"), "2,000 batches are not 2,000 records");
    assertEquals(List.of(), rule(f, "jdbc-batch-size-1"));
  }

  @Test
  void aPerRecordCallIsJudgedByItsMedianNotByOneSlowFirstCall() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1, 2_000_000_000L, "job");
    // the first read opens the file: 558 ms; the other 1,499 take 14 µs (mean 386 µs)
    OperationStats read = Profiles.op(p, 1, 558_000_000L, "job", "read");
    addCalls(read, 1499, 14_000);
    Profiles.op(p, 1500, 100_000, "job", "parse");
    Profiles.op(p, 1500, 150_000, "job", "write");
    assertEquals(List.of(), rule(analyze(p), "per-record-call"));
  }

  @Test
  void tailLatencyAdvisesPoolingOnlyForClientCalls() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    OperationStats cpu = Profiles.op(p, 60, 1_000_000, "job", "transform");
    addCalls(cpu, 6, 50_000_000);
    OperationStats http =
        Profiles.op(p, null, "http", 60, 1_000_000, "job", "GET https://api.x.com:443/geo/{n}");
    addCalls(http, 6, 50_000_000);
    List<Finding> tail = rule(analyze(p), "tail-latency");
    assertEquals(2, tail.size(), tail.toString());
    for (Finding f : tail) {
      boolean client = f.subject().contains("GET ");
      assertEquals(client, f.recommendation().contains("Pool and reuse connections"), f.toString());
    }
  }

  @Test
  void aDominantStageNeedsAtLeastThreeStages() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1, 10_000_000_000L, "job");
    Profiles.op(p, 1, 7_000_000_000L, "job", "slow");
    Profiles.op(p, 1, 3_000_000_000L, "job", "fast");
    assertEquals(List.of(), rule(analyze(p), "dominant-stage"), "two stages: one is always most");
  }

  @Test
  void failedCloudMetadataProbesAreInformation() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    for (String probe :
        List.of(
            "GET http://169.254.169.254:80/latest/meta-data/instance-id",
            "GET http://metadata.google.internal:80/computeMetadata/v1/project/project-id",
            "GET http://100.100.100.200:80/latest/meta-data/region-id")) {
      Profiles.op(p, null, "http", 3, 1_000_000_000L, "main", probe)
          .addError("java.net.ConnectException", 3);
    }
    Profiles.op(p, null, "http", 3, 1_000_000, "main", "GET https://api.x.com:443/geo/{n}")
        .addError("java.net.ConnectException", 3);
    List<Finding> errors = rule(analyze(p), "error-rate");
    assertEquals(4, errors.size());
    for (Finding f : errors) {
      boolean probe = !f.subject().contains("api.x.com");
      assertEquals(probe ? Severity.INFO : Severity.CRITICAL, f.severity(), f.toString());
      assertEquals(probe, f.title().contains("cloud-metadata probe"), f.title());
    }
  }

  /**
   * enrich fails 7 % of its calls, is called once per record and has a long tail: three findings,
   * one entry.
   */
  private static Profile oneStageManyFindings() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 100_000);
    Profiles.op(p, 1, 90_000_000_000L, "job");
    Profiles.op(p, 5000, 20_000, "job", "parse");
    OperationStats enrich = Profiles.op(p, 4900, 1_500_000, "job", "enrich");
    addCalls(enrich, 100, 200_000_000);
    enrich.addError("java.net.SocketTimeoutException", 350);
    Profiles.op(p, 5000, 30_000, "job", "write");
    return p;
  }

  @Test
  void findingsAreGroupedBySubjectInTextAndJson() throws Exception {
    Profile p = oneStageManyFindings();
    List<Finding> findings = analyze(p);
    assertEquals(
        List.of("error-rate", "per-record-call", "tail-latency"),
        findings.stream()
            .filter(f -> f.subject().equals("job > enrich"))
            .map(Finding::rule)
            .toList());
    String text = new TextRenderer().findings(findings);
    assertEquals(1, text.lines().filter(l -> l.endsWith("job > enrich")).count(), text);
    assertTrue(text.startsWith("CRITICAL  job > enrich\n"), text);
    assertEquals(1, text.lines().filter(l -> l.trim().startsWith("calls: ")).count(), text);
    JsonNode groups =
        new ObjectMapper()
            .readTree(
                new JsonRenderer()
                    .render(
                        new Report(
                            p,
                            findings,
                            new CostEstimator().estimate(p, CostModel.defaults(), 1.0))))
            .get("findings");
    assertEquals(1, groups.size(), groups.toString());
    JsonNode g = groups.get(0);
    assertEquals("job > enrich", g.get("subject").asText());
    assertEquals("critical", g.get("severity").asText());
    assertEquals(3, g.get("findings").size());
    assertEquals("5000", g.get("evidence").get("calls").asText());
    assertEquals("7.00%", g.get("evidence").get("error rate").asText());
  }

  /** A job that is fine: no finding may fire. */
  @Test
  void aCleanWorkloadHasNoFindings() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    p.resources().seen = true;
    p.resources().availableProcessors = 2;
    p.resources().cpuNanos = 10_000_000_000L; // 50 % of 2 CPUs
    p.resources().heapMaxBytes = 1000;
    p.resources().heapUsedPeakBytes = 400;
    p.resources().gc.put("G1 Young Generation", new long[] {10, 100});
    Profiles.op(p, 1, 9_000_000_000L, "job");
    Profiles.op(p, 100, 30_000_000, "job", "read").addCounter("records", 100_000);
    Profiles.op(p, 100, 30_000_000, "job", "transform").addCounter("records", 100_000);
    Profiles.op(p, 100, 29_000_000, "job", "write").addCounter("records", 100_000);
    OperationStats insert =
        Profiles.op(p, null, "jdbc", 100, 10_000_000, "job", "write", "INSERT t");
    insert.addCounter("batchedStatements", 100_000);
    insert.addCounter("batchSize101to1000", 100);
    Profiles.op(p, null, "kafka-send", 100_000, 5_000_000, "job", "write", "out-topic");
    assertEquals(List.of(), analyze(p));
  }

  /**
   * Ten independent calls to an endpoint that is down: the agent counts each call after a failed
   * one to the same endpoint as a retry (9), which no client or retry loop made.
   */
  @Test
  void retriesTheAgentInfersForClientCallsAreEvidenceNotAFinding() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 10, 1_000_000, "job", "lookup");
    OperationStats http =
        Profiles.op(p, null, "http", 10, 1_000_000, "job", "lookup", "GET https://api.x.com:443/a");
    http.addError("java.net.ConnectException", 10);
    http.addCounter("retries", 9);
    List<Finding> f = analyze(p);
    assertEquals(List.of(), rule(f, "retry-rate"), f.toString());
    Finding errors = rule(f, "error-rate").get(0);
    assertEquals(
        "9", errors.evidence().get("calls right after a failed call to the same endpoint"));
  }

  @Test
  void retriesTheApplicationCountsAreAFinding() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, null, "api", 200, 1_000_000, "enrich").addCounter("retries", 30);
    List<Finding> f = rule(analyze(p), "retry-rate");
    assertEquals(1, f.size());
    assertEquals("enrich: 30 of its 200 calls were retries (15.0%)", f.get(0).title());
  }
}
