package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.compare.Comparison;
import dev.etlprofiler.report.compare.Comparison.Verdict;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.render.TextRenderer;
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

  @Test
  void theOutputExplainsItsVerdictsAndGivesTheCostWithItsCurrency() {
    Comparison c =
        Comparison.of(run(100_000, 50_000), run(200_000, 50_000), 1.5, 0.01, 0.02, "EUR");
    String text = new TextRenderer().comparison(c);
    assertTrue(
        text.contains("  unchanged      no change of the typical call of 1.50× or more"), text);
    assertTrue(
        text.contains("  too_few_calls  fewer than 20 timed calls on one side: not judged"), text);
    assertTrue(text.contains("\ncost per run: 0.01 EUR -> 0.02 EUR\n"), text);
    assertTrue(
        text.lines()
            .anyMatch(l -> l.startsWith("regression    job > parse ") && l.contains("2.00")),
        text);
  }

  @Test
  void loopbackEndpointsMatchWhateverTheirEphemeralPort() {
    String a = "GET http://127.0.0.1:40013/regions/{n}";
    String b = "GET http://127.0.0.1:45527/regions/{n}";
    Profile base = run(100_000, 50_000);
    Profiles.op(base, null, "http", 100, 1_000_000, "job", a);
    Profile cur = run(100_000, 50_000);
    // the current run's server restarted once: two ports in one run, matched as one endpoint
    Profiles.op(cur, null, "http", 60, 1_000_000, "job", b);
    Profiles.op(cur, null, "http", 40, 1_000_000, "job", b.replace("45527", "51234"));
    Comparison c = Comparison.of(base, cur, 1.5);
    assertEquals(List.of(), c.onlyInBaseline());
    assertEquals(List.of(), c.onlyInCurrent());
    Comparison.Change http =
        c.changes().stream().filter(x -> x.subject().contains("GET")).findFirst().orElseThrow();
    assertEquals("job > GET http://127.0.0.1:{port}/regions/{n} [http]", http.subject());
    assertEquals(100, http.baselineCalls());
    assertEquals(100, http.currentCalls());
    assertEquals(Verdict.UNCHANGED, http.verdict());
  }

  @Test
  void onlyEphemeralPortsOfLoopbackHostsAreIgnored() {
    for (String[] same :
        new String[][] {
          {"GET http://localhost:33000/a", "GET http://localhost:{port}/a"},
          {"POST https://[::1]:60999/b/{n}", "POST https://[::1]:{port}/b/{n}"},
          {"GET 127.0.0.1:40013/regions/{id}", "GET 127.0.0.1:{port}/regions/{id}"},
          {"GET http://127.0.0.1:8080/a", "GET http://127.0.0.1:8080/a"},
          {"GET http://10.0.0.5:40013/a", "GET http://10.0.0.5:40013/a"},
          {"GET http://api.x.com:45000/a", "GET http://api.x.com:45000/a"},
          {"Stages.parse", "Stages.parse"}
        }) {
      OperationKey key = new OperationKey(null, null, "http", List.of("job", same[0]));
      assertEquals(List.of("job", same[1]), Comparison.matchKey(key).path(), same[0]);
    }
  }
}
