package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.analyze.Analyzer;
import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.analyze.Finding.Severity;
import dev.etlprofiler.report.analyze.Thresholds;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Each rule on a hand-made profile with a known answer. */
class AnalyzerTest {
  private static List<Finding> analyze(Profile p) {
    return new Analyzer(Thresholds.defaults()).analyze(p);
  }

  private static List<Finding> rule(List<Finding> findings, String rule) {
    return findings.stream().filter(f -> f.rule().equals(rule)).toList();
  }

  @Test
  void errorRateIsWarningFromOnePercentAndCriticalFromFive() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1000, 1_000, "job", "a").addError("java.io.IOException", 20); // 2%
    OperationStats b = Profiles.op(p, 1000, 1_000, "job", "b");
    b.addError("java.net.SocketTimeoutException", 60);
    b.addError("java.io.IOException", 10); // 7%
    Profiles.op(p, 1000, 1_000, "job", "c").addError("X", 5); // 0.5%
    List<Finding> errors = rule(analyze(p), "error-rate");
    assertEquals(2, errors.size());
    assertEquals(Severity.CRITICAL, errors.get(0).severity());
    assertEquals("job > b", errors.get(0).subject());
    assertEquals("7.00%", errors.get(0).evidence().get("error rate"));
    assertEquals(
        "java.net.SocketTimeoutException (60)", errors.get(0).evidence().get("most frequent"));
    assertEquals(Severity.WARNING, errors.get(1).severity());
    assertEquals("2.00%", errors.get(1).evidence().get("error rate"));
  }

  @Test
  void thresholdsCanBeChanged() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1000, 1_000, "job", "c").addError("X", 5); // 0.5%
    List<Finding> f =
        new Analyzer(Thresholds.defaults().with("error-rate-warning", "0.004")).analyze(p);
    assertEquals(1, rule(f, "error-rate").size());
  }

  @Test
  void findsTheOneCallPerRecordPatternWithItsNumbers() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1, 9_000_000_000L, "job");
    Profiles.op(p, 5000, 20_000, "job", "parse");
    Profiles.op(p, 5000, 1_500_000, "job", "enrich"); // 1.5 ms per record
    Profiles.op(p, 5000, 30_000, "job", "write");
    List<Finding> f = rule(analyze(p), "per-record-call");
    assertEquals(1, f.size());
    assertEquals("job > enrich", f.get(0).subject());
    assertEquals("5000", f.get(0).evidence().get("calls"));
    assertEquals("1.50 ms", f.get(0).evidence().get("mean per call"));
    assertEquals(
        "up to 7.43 s",
        f.get(0)
            .evidence()
            .get("time saved if 100 records went per call (at the median call's cost)"));
  }

  @Test
  void aClientKindCalledThousandsOfTimesIsAPerRecordCallEvenWithoutSiblings() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, null, "jdbc", 2000, 400_000, "load", "INSERT orders");
    assertEquals(1, rule(analyze(p), "per-record-call").size());
  }

  @Test
  void namesTheStageThatDominatesItsParent() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1, 10_000_000_000L, "job");
    Profiles.op(p, 1, 7_000_000_000L, "job", "slow");
    Profiles.op(p, 1, 2_000_000_000L, "job", "fast");
    Profiles.op(p, 1, 1_000_000_000L, "job", "faster");
    List<Finding> f = rule(analyze(p), "dominant-stage");
    assertEquals(1, f.size());
    assertEquals("job > slow", f.get(0).subject());
    assertEquals("70.0%", f.get(0).evidence().get("share of the parent"));
  }

  @Test
  void lowThroughputSlowP99AndTailLatency() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 10, 1_000_000_000L, "load").addCounter("records", 5000); // 500 records/s
    OperationStats tail = Profiles.op(p, 980, 1_000_000, "lookup");
    Histogram slow = new Histogram(1, OperationStats.HIGHEST_NANOS, 2);
    slow.recordValueWithCount(2_000_000_000L, 20); // 2% of calls take 2 s: p99 is 2 s
    tail.addCalls(20, 20, false);
    tail.addTime(20 * 2_000_000_000L, 2_000_000_000L);
    tail.addHistogram(slow);
    List<Finding> f = analyze(p);
    assertEquals("500", rule(f, "low-throughput").get(0).evidence().get("records/s"));
    assertEquals("lookup", rule(f, "slow-p99").get(0).subject());
    assertEquals("lookup", rule(f, "tail-latency").get(0).subject());
  }

  @Test
  void gcHeapAndCpuFromResources() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    p.resources().seen = true;
    p.resources().gc.put("G1 Young Generation", new long[] {50, 1_500});
    p.resources().heapUsedPeakBytes = 900;
    p.resources().heapMaxBytes = 1000;
    p.resources().availableProcessors = 4;
    p.resources().cpuNanos = 4_000_000_000L; // 4 s of 40 CPU-seconds
    List<Finding> f = analyze(p);
    assertEquals("15.0%", rule(f, "gc-time").get(0).evidence().get("share of wall"));
    assertEquals(1, rule(f, "heap-near-max").size());
    assertEquals("10.0%", rule(f, "mostly-waiting").get(0).evidence().get("share of the CPUs"));
    assertEquals(0, rule(f, "cpu-bound").size());
  }

  @Test
  void findingsComeMostSeriousFirst() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1000, 1_000, "a").addError("X", 20);
    Profiles.op(p, 1000, 1_000, "b").addError("X", 90);
    List<Finding> f = analyze(p);
    assertTrue(f.get(0).severity().compareTo(f.get(f.size() - 1).severity()) >= 0);
    assertEquals(Severity.CRITICAL, f.get(0).severity());
  }

  @Test
  void namesTheHostAStageWaitsOn() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1000, 1_000_000, "job", "enrich"); // 1 s
    Profiles.op(
        p, null, "http", 1000, 830_000, "job", "enrich", "GET https://api.x.com:443/v1/geo/{n}");
    Profiles.op(p, null, "http", 10, 1_000_000, "job", "enrich", "GET http://cache:80/k");
    List<Finding> f = rule(analyze(p), "waiting-on-clients");
    assertEquals(1, f.size());
    assertEquals("job > enrich", f.get(0).subject());
    assertEquals("84.0%", f.get(0).evidence().get("share in client calls"));
    assertEquals("https://api.x.com:443", f.get(0).evidence().get("most time to"));
  }

  @Test
  void asynchronousKafkaSendsAreNotTimeTheStageWaits() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1, 1_000_000_000L, "job", "publish"); // 1 s
    // 5000 sends each acknowledged 20 ms after send: 100 s of overlapping send-to-ack time
    Profiles.op(p, null, "kafka-send", 5000, 20_000_000, "job", "publish", "orders");
    assertEquals(0, rule(analyze(p), "waiting-on-clients").size());
    assertEquals(
        0, rule(analyze(p), "per-record-call").size(), "the producer batches sends itself");
  }

  @Test
  void aStageWaitingOnKafkaPollsAndCommitsNamesThem() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1, 1_000_000_000L, "consume"); // 1 s
    Profiles.op(p, null, "kafka-poll", 10, 30_000_000, "consume", "orders");
    Profiles.op(p, null, "kafka-commit", 2000, 300_000, "consume", "commitSync");
    List<Finding> f = rule(analyze(p), "waiting-on-clients");
    assertEquals(1, f.size());
    assertEquals("90.0%", f.get(0).evidence().get("share in client calls"));
    assertEquals("kafka-commit commitSync", f.get(0).evidence().get("most time to"));
    List<Finding> perRecord = rule(analyze(p), "per-record-call");
    assertEquals(
        List.of("consume > commitSync"),
        perRecord.stream().map(Finding::subject).toList(),
        "a commit per record is the N+1 pattern; polls are not");
  }

  @Test
  void flagsJdbcWritesWithBatchSizeOne() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, null, "jdbc", 500, 100_000, "load", "INSERT orders");
    OperationStats batched = Profiles.op(p, null, "jdbc", 5, 10_000_000, "load", "INSERT lines");
    batched.addCounter("batchedStatements", 2500);
    Profiles.op(p, null, "jdbc", 500, 100_000, "load", "SELECT orders");
    List<Finding> f = rule(analyze(p), "jdbc-batch-size-1");
    assertEquals(List.of("load > INSERT orders"), f.stream().map(Finding::subject).toList());
  }

  @Test
  void heapThatKeepsGrowingThroughTheRunIsFlagged() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 16_000);
    p.resources().seen = true;
    p.resources().heapMaxBytes = 1000;
    for (int i = 0; i < 16; i++) {
      p.series().add(i * 1000L + 500, 1000, 1_000_000, 100 + 40L * i, 0); // 100 … 700 of 1000
    }
    Profiles.op(p, 1, 1_000_000_000L, "job");
    Profiles.op(p, 1000, 900_000, "job", "collect");
    List<Finding> f = rule(analyze(p), "heap-growth");
    assertEquals(1, f.size());
    assertEquals("job > collect", f.get(0).evidence().get("longest-running operation"));
    Profile flat = new Profile();
    Profiles.jvm(flat, "r", 0, 16_000);
    flat.resources().seen = true;
    flat.resources().heapMaxBytes = 1000;
    for (int i = 0; i < 16; i++) flat.series().add(i * 1000L + 500, 1000, 1_000_000, 500, 0);
    assertEquals(0, rule(analyze(flat), "heap-growth").size());
  }
}
