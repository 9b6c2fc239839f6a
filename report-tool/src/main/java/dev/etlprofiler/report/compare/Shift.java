package dev.etlprofiler.report.compare;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * How much slower the typical call of one latency histogram is than another's, with a confidence
 * bound: the Hodges–Lehmann estimator of the ratio (the median, over every pair of a baseline call
 * and a current call, of current / baseline) and its Moses confidence interval, which inverts the
 * Mann–Whitney rank-sum test. Both are computed from the histograms' bucket counts: a pair of
 * buckets stands for count × count pairs of calls, each with the ratio of the buckets' middle
 * values, so nothing is enumerated call by call. Working on ratios (differences of logarithms)
 * makes the answer the same for a 150 ns method and a 2 s HTTP call.
 *
 * <p>The estimator is robust: a few stalls (GC, preemption) or a JIT phase that moves the median
 * from one mode of a two-mode distribution to the other hardly move it, while a slowdown of most
 * calls moves it by the slowdown. The interval assumes independent calls, which calls of one run
 * are not (the run's machine, load and JIT state are shared); with many calls it is narrow, which
 * is why {@link Comparison} also asks for a minimum effect size.
 */
final class Shift {
  /** The one-sided normal quantile of the confidence bound: 99.9 %. */
  static final double Z = 3.090232;

  /**
   * @param ratio the typical ratio current / baseline (Hodges–Lehmann)
   * @param lower the lower confidence bound of the ratio (0 when there are too few calls for one)
   * @param upper the upper bound (infinite when there are too few calls)
   */
  record Result(double ratio, double lower, double upper) {}

  private final double[] baseLog;
  private final double[] baseCount;
  private final double[] curLog;
  private final double[] curCount;
  private final double baseN;
  private final double curN;

  private Shift(Histogram base, Histogram cur) {
    double[][] b = buckets(base);
    double[][] c = buckets(cur);
    baseLog = b[0];
    baseCount = b[1];
    curLog = c[0];
    curCount = c[1];
    baseN = sum(baseCount);
    curN = sum(curCount);
  }

  /** The shift from {@code base} to {@code cur}; null when either has no calls. */
  static Result of(Histogram base, Histogram cur) {
    if (base == null || cur == null || base.getTotalCount() == 0 || cur.getTotalCount() == 0) {
      return null;
    }
    return new Shift(base, cur).result();
  }

  private Result result() {
    double pairs = baseN * curN;
    // the median of the pairwise log-ratios: the mean of the two middle ones
    double median =
        (quantile(Math.floor((pairs + 1) / 2)) + quantile(Math.ceil((pairs + 1) / 2))) / 2;
    // Moses: the k-th smallest and k-th largest pairwise difference bound the shift
    double k = Math.floor(pairs / 2 - Z * Math.sqrt(baseN * curN * (baseN + curN + 1) / 12));
    double lower = k >= 1 ? Math.exp(quantile(k)) : 0;
    double upper = k >= 1 ? Math.exp(quantile(pairs - k + 1)) : Double.POSITIVE_INFINITY;
    return new Result(Math.exp(median), lower, upper);
  }

  /** Logarithms of the buckets' middle values (ascending) and their counts. */
  private static double[][] buckets(Histogram h) {
    List<double[]> list = new ArrayList<>();
    for (HistogramIterationValue v : h.recordedValues()) {
      long value = Math.max(1, h.medianEquivalentValue(v.getValueIteratedTo()));
      list.add(new double[] {Math.log(value), v.getCountAtValueIteratedTo()});
    }
    double[][] out = new double[2][list.size()];
    for (int i = 0; i < list.size(); i++) {
      out[0][i] = list.get(i)[0];
      out[1][i] = list.get(i)[1];
    }
    return out;
  }

  private static double sum(double[] a) {
    double s = 0;
    for (double v : a) s += v;
    return s;
  }

  /** Pairs (baseline call, current call) whose log-ratio is at most {@code t}. */
  private double pairsAtMost(double t) {
    double pairs = 0;
    double curBelow = 0;
    int j = 0;
    for (int i = 0; i < baseLog.length; i++) {
      double limit = baseLog[i] + t + 1e-12;
      while (j < curLog.length && curLog[j] <= limit) {
        curBelow += curCount[j++];
      }
      pairs += baseCount[i] * curBelow;
    }
    return pairs;
  }

  /**
   * The {@code rank}-th smallest pairwise log-ratio (1-based): the smallest t with at least rank
   * pairs at or below it, found by bisection to 1e-9 (far below the histograms' 1 % buckets).
   */
  private double quantile(double rank) {
    double lo = curLog[0] - baseLog[baseLog.length - 1];
    double hi = curLog[curLog.length - 1] - baseLog[0];
    if (pairsAtMost(lo) >= rank) return lo;
    while (hi - lo > 1e-9) {
      double mid = (lo + hi) / 2;
      if (pairsAtMost(mid) >= rank) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}
