package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.render.JsonRenderer;
import dev.etlprofiler.report.render.Report;
import dev.etlprofiler.report.render.SummaryRenderer;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * A sampled operation's total is an estimate (calls × the timed calls' mean): the report gives its
 * confidence interval and never lets it exceed what is possible.
 */
class SampledEstimateTest {
  /** A sampled operation: {@code calls} estimated, the timed calls' latencies, the estimate. */
  private static OperationStats sampled(
      Profile p, long calls, long estimateNanos, long[][] timed, String... path) {
    OperationStats s = p.operation(new OperationKey(null, null, "method", List.of(path)));
    Histogram h = new Histogram(1, OperationStats.HIGHEST_NANOS, 2);
    long n = 0;
    long max = 0;
    for (long[] valueCount : timed) {
      h.recordValueWithCount(valueCount[0], valueCount[1]);
      n += valueCount[1];
      max = Math.max(max, valueCount[0]);
    }
    s.addCalls(calls, n, true);
    s.addTime(estimateNanos, max);
    s.addHistogram(h);
    return s;
  }

  private static String row(String summary, String name) {
    return summary
        .lines()
        .filter(l -> l.strip().startsWith(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in\n" + summary));
  }

  private static String wallColumn(String summary, String name) {
    String[] cols = row(summary, name).substring(60).trim().split("\\s+");
    return cols[cols.length - 3];
  }

  /**
   * One thread for 10 s: job (10 s, measured) calls write (4 s, measured) and parse, hot enough to
   * be sampled: 25 M calls of which 50,000 were timed, 1,000 of those cold (20 µs) and 49,000 warm
   * (400 ns). The timed mean, 792 ns, makes the agent's estimate 25 M × 792 ns = 19.8 s: more than
   * its parent's 10 s. parse can have taken at most job's 10 s less write's 4 s.
   */
  private static Profile hotChild() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    p.resources().seen = true;
    p.resources().threadsPeak = 1;
    Profiles.op(p, 1, 10_000_000_000L, "job");
    Profiles.op(p, 1000, 4_000_000, "job", "write");
    sampled(
        p,
        25_000_000,
        19_800_000_000L,
        new long[][] {{400, 49_000}, {20_000, 1_000}},
        "job",
        "parse");
    return p;
  }

  @Test
  void aSampledChildsEstimateIsCappedAtItsParentsTimeLessItsMeasuredSiblings() {
    Profile p = hotChild();
    OperationStats parse =
        p.operations().get(new OperationKey(null, null, "method", List.of("job", "parse")));
    assertEquals(6_000_000_000L, parse.totalNanos());
    assertEquals(19_800_000_000L, parse.rawTotalNanos());
    assertTrue(parse.capped());
    String summary = new SummaryRenderer().render(p);
    assertEquals("100%", wallColumn(summary, "job"), summary);
    assertEquals("60.0%", wallColumn(summary, "parse"), summary);
    assertEquals("40.0%", wallColumn(summary, "write"), summary);
    assertTrue(row(summary, "parse *").contains(" 6.00 s "), summary);
    assertTrue(
        summary.contains(
            "job > parse: 50000 of 25000000 calls timed; estimated 19.8 s (95 % interval 19.2 s …"
                + " 20.4 s), more than is possible: capped at 6.00 s, its parent's time less its"
                + " measured siblings'"),
        summary);
  }

  @Test
  void aSampledRootIsCappedAtTheWallTimeTimesTheThreads() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    p.resources().seen = true;
    p.resources().threadsPeak = 2;
    sampled(p, 1_000_000, 30_000_000_000L, new long[][] {{30_000, 1000}}, "hot");
    OperationStats hot = p.operations().values().iterator().next();
    assertEquals(20_000_000_000L, hot.totalNanos(), "2 threads for 10 s at most");
    assertEquals("×2.00", wallColumn(new SummaryRenderer().render(p), "hot"));
  }

  /**
   * 1 M calls of which 10,000 timed, half at 1 µs and half at 3 µs: mean 2 µs, standard deviation 1
   * µs. The estimate is 2.00 s; its 95 % interval 1 M × (2 µs ± 1.96 × 1 µs / √10,000 × √(1 −
   * 0.01)) = 2.00 s ± 19.5 ms.
   */
  @Test
  void aSampledEstimateComesWithItsConfidenceInterval() throws Exception {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 10_000);
    p.resources().seen = true;
    p.resources().threadsPeak = 4;
    Profiles.op(p, 1, 9_000_000_000L, "job");
    OperationStats s =
        sampled(
            p, 1_000_000, 2_000_000_000L, new long[][] {{1000, 5000}, {3000, 5000}}, "job", "map");
    p.operations();
    assertFalse(s.capped());
    double half = 1_000_000 * 1.96 * 1000 / Math.sqrt(10_000) * Math.sqrt(1 - 0.01);
    long[] ci = s.totalInterval();
    assertEquals(2e9 - half, ci[0], half * 0.005);
    assertEquals(2e9 + half, ci[1], half * 0.005);
    String summary = new SummaryRenderer().render(p);
    assertTrue(
        summary.contains(
            "job > map: 10000 of 1000000 calls timed; estimated 2.00 s (95 % interval 1.98 s …"
                + " 2.02 s)\n"),
        summary);
    JsonNode map = null;
    String json =
        new JsonRenderer()
            .render(
                new Report(
                    p, List.of(), new CostEstimator().estimate(p, CostModel.defaults(), 1.0)));
    for (JsonNode op : new ObjectMapper().readTree(json).get("operations")) {
      if (op.get("name").asText().equals("map")) map = op;
    }
    assertEquals(2_000_000_000L, map.get("totalNanos").asLong());
    assertEquals(ci[0], map.get("totalNanosLow").asLong());
    assertEquals(ci[1], map.get("totalNanosHigh").asLong());
    assertEquals(10_000, map.get("timedCalls").asLong());
    assertFalse(map.has("totalCappedFrom"));
  }
}
