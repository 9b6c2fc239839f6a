package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.compare.Comparison;
import dev.etlprofiler.report.compare.Comparison.Verdict;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * {@code compare} on simulated runs of one job under load, 20 trials each with fixed seeds: two
 * runs of the same code compare as unchanged every time, and a job with one operation slowed 2× is
 * flagged, on exactly that operation, every time.
 *
 * <p>The job, per run: {@code Stages.parseRecord} (300,000 calls of 150 ns), an HTTP lookup (1,000
 * calls of 2 ms to a local server on an ephemeral port that changes every run), {@code Load.write}
 * (1,000 calls of 50 µs), {@code Config.load} (25 calls of 10 ms, widely spread) and {@code
 * Rare.flush} (5 calls). Each call's latency is its operation's base × a log-normal jitter (σ 0.15
 * for the CPU-bound parse, 0.3 for write, 0.5 for the network, 0.8 for the config load). What
 * "under load" adds, drawn anew for every run:
 *
 * <ul>
 *   <li>a speed factor for the whole run's CPU-bound work (log-normal, σ 0.05: two runs differ by
 *       up to about ±15 %);
 *   <li>stalls (preemption, GC): a call is stalled with a probability of its duration / 10 ms × the
 *       run's load (uniform 0 … 0.5), for an exponential time of mean 4 ms;
 *   <li>for parse, a JIT phase: a fraction of the calls (uniform 0.35 … 0.65) runs before the
 *       method is compiled, 2× slower, so its p50 jumps between 150 ns and 300 ns from run to run —
 *       the "151 ns → 301 ns" of two runs of identical code.
 * </ul>
 */
class ComparisonNoiseTest {
  private static final int TRIALS = 20;
  private static final double SPEED_SIGMA = 0.05;
  private static final String PARSE = "job > Stages.parseRecord";
  private static final String WRITE = "job > Load.write";
  private static final String HTTP = "job > GET http://127.0.0.1:{port}/regions/{n} [http]";

  /** One simulated run; {@code slowed} names the operation whose code is 2× slower, or null. */
  static Profile run(long seed, String slowed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double speed = Math.exp(SPEED_SIGMA * gaussian(rnd));
    double load = rnd.nextDouble() * 0.5;
    double cold = 0.35 + rnd.nextDouble() * 0.3;
    int port = 32768 + rnd.nextInt(60999 - 32768);
    Profile p = new Profile();
    long total = 0;
    total += op(p, rnd, "Stages.parseRecord", 300_000, 150, 0.15, cold, speed, load, slowed);
    total +=
        op(
            p,
            rnd,
            "GET http://127.0.0.1:" + port + "/regions/{n}",
            1000,
            2_000_000,
            0.5,
            0,
            1, // the server's speed, not this machine's
            load,
            slowed);
    total += op(p, rnd, "Load.write", 1000, 50_000, 0.3, 0, speed, load, slowed);
    total += op(p, rnd, "Config.load", 25, 10_000_000, 0.8, 0, speed, load, slowed);
    total += op(p, rnd, "Rare.flush", 5, 5_000_000, 0.3, 0, speed, load, slowed);
    Profiles.op(p, 1, total + 100_000_000, "job");
    Profiles.jvm(p, "run-" + seed, 0, (total + 150_000_000) / 1_000_000);
    return p;
  }

  private static long op(
      Profile p,
      SplittableRandom rnd,
      String name,
      int calls,
      long baseNanos,
      double sigma,
      double coldFraction,
      double speed,
      double load,
      String slowed) {
    String kind = name.startsWith("GET ") ? "http" : "method";
    OperationStats s = p.operation(new OperationKey(null, null, kind, List.of("job", name)));
    Histogram h = new Histogram(1, OperationStats.HIGHEST_NANOS, 2);
    double factor =
        speed * (name.equals(slowed) || name.startsWith(String.valueOf(slowed)) ? 2 : 1);
    long total = 0;
    long max = 0;
    for (int i = 0; i < calls; i++) {
      double v = baseNanos * factor * Math.exp(sigma * gaussian(rnd));
      if (rnd.nextDouble() < coldFraction) v *= 2;
      if (rnd.nextDouble() < Math.min(1, v / 10_000_000 * load)) {
        v += -4_000_000 * Math.log(1 - rnd.nextDouble());
      }
      long nanos = Math.max(1, Math.round(v));
      h.recordValue(nanos);
      total += nanos;
      max = Math.max(max, nanos);
    }
    s.addCalls(calls, calls, false);
    s.addTime(total, max);
    s.addHistogram(h);
    return total;
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box–Muller: SplittableRandom has no nextGaussian on JDK 17
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()))
        * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  private static Map<String, Verdict> verdicts(Comparison c) {
    Map<String, Verdict> m = new java.util.TreeMap<>();
    c.changes().forEach(ch -> m.put(ch.subject(), ch.verdict()));
    return m;
  }

  @Test
  void twoRunsOfTheSameCodeUnderLoadCompareAsUnchanged() {
    List<String> flagged = new ArrayList<>();
    for (int trial = 0; trial < TRIALS; trial++) {
      Comparison c = Comparison.of(run(1000 + 2 * trial, null), run(1001 + 2 * trial, null), 1.5);
      assertEquals(List.of(), c.onlyInBaseline(), "the endpoint matches whatever its port");
      Map<String, Verdict> v = verdicts(c);
      for (Map.Entry<String, Verdict> e : v.entrySet()) {
        if (e.getValue() != Verdict.UNCHANGED && e.getValue() != Verdict.TOO_FEW_CALLS) {
          flagged.add("trial " + trial + ": " + e);
        }
      }
      assertEquals(Verdict.TOO_FEW_CALLS, v.get("job > Rare.flush"));
    }
    assertEquals(List.of(), flagged);
  }

  @Test
  void anOperationSlowedTwofoldIsFlaggedEveryTimeAndNothingElse() {
    for (String slowed : List.of("Stages.parseRecord", "GET ", "Load.write")) {
      String subject = slowed.equals("GET ") ? HTTP : slowed.equals("Load.write") ? WRITE : PARSE;
      List<String> wrong = new ArrayList<>();
      for (int trial = 0; trial < TRIALS; trial++) {
        Comparison c =
            Comparison.of(run(5000 + 2 * trial, null), run(5001 + 2 * trial, slowed), 1.5);
        List<String> regressions =
            c.regressions().stream().map(Comparison.Change::subject).toList();
        if (!regressions.equals(List.of(subject))) {
          wrong.add("trial " + trial + ": " + regressions);
        }
      }
      assertEquals(List.of(), wrong, slowed + " slowed 2×");
    }
  }

  @Test
  void theThresholdIsTheSmallestSlowdownFlagged() {
    // the same 2× slowdown of Load.write is not a regression at a threshold of 3
    for (int trial = 0; trial < 5; trial++) {
      Comparison c = Comparison.of(run(7000 + trial, null), run(7100 + trial, "Load.write"), 3);
      assertTrue(c.regressions().isEmpty(), c.regressions().toString());
    }
  }
}
