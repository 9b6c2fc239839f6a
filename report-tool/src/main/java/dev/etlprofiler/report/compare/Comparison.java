package dev.etlprofiler.report.compare;

import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A baseline run against a current one, operation by operation: p50, p99, mean time per call, calls
 * and throughput. An operation is a regression when its p50 or its mean per call grew by the
 * threshold factor or more (default 1.5) and its total time grew by at least 1 % of the baseline's
 * wall time (so that a 5 µs method measured at 15 µs in a cold JVM is not a regression worth
 * failing a build for); an improvement when one shrank by the factor and neither grew. Operations
 * with fewer than {@link #MIN_CALLS} calls on either side are compared but never flagged. Pure.
 */
public record Comparison(
    double threshold,
    List<Change> changes,
    List<String> onlyInBaseline,
    List<String> onlyInCurrent,
    double baselineCostPerRun,
    double currentCostPerRun) {
  public static final long MIN_CALLS = 10;

  /** One operation in both runs. */
  public record Change(
      String subject,
      long baselineCalls,
      long currentCalls,
      long baselineP50,
      long currentP50,
      long baselineP99,
      long currentP99,
      double baselineMean,
      double currentMean,
      double baselineRecordsPerSecond,
      double currentRecordsPerSecond,
      double baselineCallsPerRecord,
      double currentCallsPerRecord,
      Verdict verdict) {
    public double p50Ratio() {
      return baselineP50 > 0 ? (double) currentP50 / baselineP50 : Double.NaN;
    }

    public double meanRatio() {
      return baselineMean > 0 ? currentMean / baselineMean : Double.NaN;
    }
  }

  public enum Verdict {
    REGRESSION,
    IMPROVEMENT,
    UNCHANGED,
    TOO_FEW_CALLS
  }

  public static Comparison of(Profile baseline, Profile current, double threshold) {
    return of(baseline, current, threshold, Double.NaN, Double.NaN);
  }

  /** With the cost per run of both sides (from the same cost model). */
  public static Comparison of(
      Profile baseline,
      Profile current,
      double threshold,
      double baselineCost,
      double currentCost) {
    List<Change> changes = new ArrayList<>();
    List<String> onlyBaseline = new ArrayList<>();
    for (Map.Entry<OperationKey, OperationStats> e : baseline.operations().entrySet()) {
      OperationStats cur = current.operations().get(e.getKey());
      if (cur == null) {
        onlyBaseline.add(e.getKey().label());
      } else {
        changes.add(
            change(
                e.getKey().label(),
                e.getValue(),
                cur,
                threshold,
                records(baseline),
                records(current),
                baseline.jvmWallMillis() * 1_000_000L / 100));
      }
    }
    List<String> onlyCurrent = new ArrayList<>();
    for (OperationKey key : current.operations().keySet()) {
      if (!baseline.operations().containsKey(key)) onlyCurrent.add(key.label());
    }
    return new Comparison(
        threshold,
        List.copyOf(changes),
        List.copyOf(onlyBaseline),
        List.copyOf(onlyCurrent),
        baselineCost,
        currentCost);
  }

  public List<Change> regressions() {
    return changes.stream().filter(c -> c.verdict() == Verdict.REGRESSION).toList();
  }

  /** Records a run handled: the largest records count of any operation (-1 when none counts). */
  static long records(Profile p) {
    return p.operations().values().stream().mapToLong(s -> s.counter("records")).max().orElse(0);
  }

  private static Change change(
      String subject,
      OperationStats b,
      OperationStats c,
      double threshold,
      long bRecords,
      long cRecords,
      long minAddedNanos) {
    double bMean = b.calls() == 0 ? 0 : (double) b.totalNanos() / b.calls();
    double cMean = c.calls() == 0 ? 0 : (double) c.totalNanos() / c.calls();
    long bP50 = b.percentile(50);
    long cP50 = c.percentile(50);
    Verdict verdict;
    if (b.timedCalls() < MIN_CALLS || c.timedCalls() < MIN_CALLS) {
      verdict = Verdict.TOO_FEW_CALLS;
    } else {
      double p50Ratio = bP50 > 0 ? (double) cP50 / bP50 : 1;
      double meanRatio = bMean > 0 ? cMean / bMean : 1;
      if ((p50Ratio >= threshold || meanRatio >= threshold)
          && c.totalNanos() - b.totalNanos() >= minAddedNanos) {
        verdict = Verdict.REGRESSION;
      } else if ((p50Ratio <= 1 / threshold || meanRatio <= 1 / threshold)
          && p50Ratio < threshold
          && meanRatio < threshold) {
        verdict = Verdict.IMPROVEMENT;
      } else {
        verdict = Verdict.UNCHANGED;
      }
    }
    return new Change(
        subject,
        b.calls(),
        c.calls(),
        bP50,
        cP50,
        b.percentile(99),
        c.percentile(99),
        bMean,
        cMean,
        recordsPerSecond(b),
        recordsPerSecond(c),
        bRecords > 0 ? (double) b.calls() / bRecords : Double.NaN,
        cRecords > 0 ? (double) c.calls() / cRecords : Double.NaN,
        verdict);
  }

  private static double recordsPerSecond(OperationStats s) {
    return s.counter("records") > 0 && s.totalNanos() > 0
        ? s.counter("records") / (s.totalNanos() / 1e9)
        : Double.NaN;
  }
}
