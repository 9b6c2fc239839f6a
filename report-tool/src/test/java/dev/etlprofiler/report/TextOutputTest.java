package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.render.SummaryRenderer;
import dev.etlprofiler.report.render.TextRenderer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the text outputs print: names that stay distinct, records where calls are none, units. */
class TextOutputTest {
  private static final String TOPIC = "airports-enriched-with-regions-and-timezones-v2";
  private static final String STAGE = "KafkaPipeline.consumeAndPublishEnrichedAirports";

  private static final String POLL = "airports-enriched-with-regions-and-timezones-v1," + TOPIC;

  /**
   * A consumer stage that polls two versions of a topic (named by both, one kafka-topic child per
   * topic) and sends to the newer one.
   */
  private static Profile kafka() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    Profiles.op(p, 1, 9_000_000_000L, STAGE);
    Profiles.op(p, null, "kafka-poll", 40, 50_000_000, STAGE, POLL).addCounter("records", 3400);
    p.operation(new OperationKey(null, null, "kafka-topic", List.of(STAGE, POLL, TOPIC)))
        .addCounter("records", 3376);
    p.operation(
            new OperationKey(
                null, null, "kafka-topic", List.of(STAGE, POLL, TOPIC.replace("v2", "v1"))))
        .addCounter("records", 24);
    Profiles.op(p, null, "kafka-send", 3376, 2_000_000, STAGE, TOPIC).addCounter("records", 3376);
    return p;
  }

  private static String row(String summary, String tag) {
    List<String> rows = summary.lines().filter(l -> l.contains(tag)).toList();
    assertEquals(1, rows.size(), tag + " in\n" + summary);
    return rows.get(0);
  }

  @Test
  void longNamesAreShortenedInTheMiddleAndKeepTheirKind() {
    String summary = new SummaryRenderer().render(kafka());
    List<String> rows =
        summary.lines().filter(l -> l.contains("airports-enriched")).map(String::strip).toList();
    assertEquals(4, rows.size(), summary);
    assertEquals(4, rows.stream().map(r -> r.substring(0, r.indexOf(']') + 1)).distinct().count());
    for (String r : rows) {
      String name = r.substring(0, r.indexOf(']') + 1);
      assertTrue(name.contains("…"), r);
      assertTrue(name.startsWith("airports-enriched"), r);
      assertTrue(name.matches(".*-v[12] \\[kafka-(poll|send|topic)]"), r);
    }
  }

  @Test
  void aPerTopicRowShowsItsRecordsNotZeroCalls() {
    String summary = new SummaryRenderer().render(kafka());
    assertTrue(summary.contains(" records "), summary);
    String[] topic = row(summary, "v2 [kafka-topic]").substring(60).trim().split("\\s+");
    assertEquals(
        List.of("-", "3376", "0", "-", "-", "-", "-", "-", "-", "-", "-"),
        List.of(topic),
        "no calls or time of its own: its records");
    String[] poll = row(summary, "[kafka-poll]").substring(60).trim().split("\\s+");
    assertEquals("40", poll[0]);
    assertEquals("3400", poll[1]);
  }

  @Test
  void costLinesSayWhichQuantityIsPerRunAndHowItBecomesThePeriods() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 3_600_000);
    p.resources().seen = true;
    p.resources().cpuNanos = 3_600_000_000_000L; // 1 vCPU-hour a run
    CostModel model = new CostModel("USD", 0.04, 0, 0, 0, 0, 0, List.of());
    CostReport c = new CostEstimator().estimate(p, model, 24.0);
    String text = new TextRenderer().cost(c, "monthly");
    assertTrue(
        text.contains(
            "compute    CPU time                                28.80 USD\n"
                + "           per run: process CPU time 3600 s / 1 run(s) / 3600 = 1.00 vCPU-hour ×"
                + " 0.04 = 0.04 USD; × 720 runs a month = 720 vCPU-hour, 28.80 USD\n"),
        text);
  }

  @Test
  void compareKeepsLongNamesApartAndListsCallsPerRecordOnlyWhenOneChanged() {
    Profile base = kafka();
    Profile cur = kafka();
    String text =
        new TextRenderer().comparison(dev.etlprofiler.report.compare.Comparison.of(base, cur, 1.5));
    List<String> rows =
        text.lines().filter(l -> l.contains("[kafka-")).map(l -> l.substring(14, 74)).toList();
    assertEquals(4, rows.size(), text);
    assertEquals(4, rows.stream().distinct().count(), text);
    assertTrue(rows.stream().allMatch(r -> r.contains("…")), text);
    assertTrue(!text.contains("calls per record"), "no call per record changed:\n" + text);
  }

  @Test
  void compareKeepsSessionAndKindWhenItShortensAPath() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    String[] load = {"ingest", "load", "DatabaseLoader.loadBatch"};
    Profiles.op(p, "airports", "jdbc", 30, 100_000_000, append(load, "INSERT airports"));
    Profiles.op(p, "airports", "jdbc", 30, 10_000_000, append(load, "COMMIT"));
    String text =
        new TextRenderer().comparison(dev.etlprofiler.report.compare.Comparison.of(p, p, 1.5));
    List<String> rows = text.lines().filter(l -> l.contains("[jdbc]")).toList();
    assertEquals(2, rows.size(), text);
    for (String r : rows) {
      assertTrue(r.contains("[airports / src] [jdbc]"), r);
      assertTrue(r.contains("INSERT airports") || r.contains("COMMIT"), r);
    }
  }

  @Test
  void costLinesGiveSmallPerRunAmountsInSignificantDigits() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 3_600_000);
    p.resources().seen = true;
    p.resources().cpuNanos = 13_090_000_000L;
    CostModel model = new CostModel("USD", 0.04, 0, 0, 0, 0, 0, List.of());
    String text = new TextRenderer().cost(new CostEstimator().estimate(p, model, 24.0), "monthly");
    assertTrue(
        text.contains(" = 0.000145 USD; × 720 runs a month = 2.62 vCPU-hour, 0.1047 USD"), text);
  }

  private static String[] append(String[] path, String name) {
    String[] out = java.util.Arrays.copyOf(path, path.length + 1);
    out[path.length] = name;
    return out;
  }
}
