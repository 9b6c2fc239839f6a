package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.etlprofiler.report.compare.Comparison;
import dev.etlprofiler.report.compare.Comparison.Verdict;
import dev.etlprofiler.report.model.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  private static Profile run(long parseNanos, long writeNanos) {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 1000);
    Profiles.op(p, 1000, parseNanos, "job", "parse");
    Profiles.op(p, 1000, writeNanos, "job", "write");
    Profiles.op(p, 3, 5_000_000, "job", "rare");
    return p;
  }

  @Test
  void flagsExactlyTheSlowedOperation() {
    Comparison c = Comparison.of(run(100_000, 50_000), run(100_000 * 2, 52_000), 1.5);
    assertEquals(
        List.of("job > parse"), c.regressions().stream().map(Comparison.Change::subject).toList());
    assertEquals(
        Verdict.UNCHANGED,
        c.changes().stream()
            .filter(x -> x.subject().equals("job > write"))
            .findFirst()
            .orElseThrow()
            .verdict());
    assertEquals(
        Verdict.TOO_FEW_CALLS,
        c.changes().stream()
            .filter(x -> x.subject().equals("job > rare"))
            .findFirst()
            .orElseThrow()
            .verdict());
  }

  @Test
  void theThresholdIsConfigurableAndFasterIsAnImprovement() {
    assertEquals(
        0, Comparison.of(run(100_000, 50_000), run(140_000, 50_000), 1.5).regressions().size());
    assertEquals(
        1, Comparison.of(run(100_000, 50_000), run(140_000, 50_000), 1.3).regressions().size());
    Comparison faster = Comparison.of(run(100_000, 50_000), run(50_000, 50_000), 1.5);
    assertEquals(Verdict.IMPROVEMENT, faster.changes().get(0).verdict());
  }

  @Test
  void aSlowdownThatAddsLessThanOnePercentOfTheWallTimeIsNotARegression() {
    Profile base = run(100_000, 50_000);
    Profile cur = run(100_000, 50_000);
    Profiles.op(base, 1000, 1_000, "job", "tiny"); // 1 ms in all
    Profiles.op(cur, 1000, 3_000, "job", "tiny"); // 3 ms: 3x slower, +2 ms of a 1 s wall
    Comparison c = Comparison.of(base, cur, 1.5);
    assertEquals(List.of(), c.regressions());
  }

  @Test
  void listsOperationsFoundOnOneSideOnly() {
    Profile extra = run(100_000, 50_000);
    Profiles.op(extra, 10, 1000, "job", "new-stage");
    Comparison c = Comparison.of(run(100_000, 50_000), extra, 1.5);
    assertEquals(List.of("job > new-stage"), c.onlyInCurrent());
    assertEquals(List.of(), c.onlyInBaseline());
  }
}
