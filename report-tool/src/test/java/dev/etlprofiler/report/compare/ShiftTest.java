package dev.etlprofiler.report.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The typical ratio and its bounds from bucket counts equal those from every pair of calls. */
class ShiftTest {
  private static Histogram histogram(long... values) {
    Histogram h = new Histogram(1, 3_600_000_000_000L, 2);
    for (long v : values) h.recordValue(v);
    return h;
  }

  @Test
  void theTypicalRatioIsTheMedianOfThePairwiseRatios() {
    // pairs: 20/10 = 2, 40/10 = 4, 20/20 = 1, 40/20 = 2 → median 2
    Shift.Result r = Shift.of(histogram(10, 20), histogram(20, 40));
    assertEquals(2.0, r.ratio(), 1e-6);
    assertEquals(0, r.lower(), "2 × 2 calls are too few for a 99.9 % bound");
    assertEquals(Double.POSITIVE_INFINITY, r.upper());
  }

  @Test
  void matchesBruteForceOverEveryPairOfCalls() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int trial = 0; trial < 10; trial++) {
      int n1 = 40 + rnd.nextInt(200);
      int n2 = 40 + rnd.nextInt(200);
      long[] a = new long[n1];
      long[] b = new long[n2];
      // exact buckets (values below 256) so that bucket middles are the values themselves
      for (int i = 0; i < n1; i++) a[i] = 20 + rnd.nextInt(100);
      for (int i = 0; i < n2; i++) b[i] = 20 + rnd.nextInt(100 + 10 * trial);
      double[] logs = new double[n1 * n2];
      int k = 0;
      for (long x : a) for (long y : b) logs[k++] = Math.log((double) y / x);
      Arrays.sort(logs);
      int pairs = logs.length;
      double median = (logs[(pairs + 1) / 2 - 1] + logs[(pairs + 2) / 2 - 1]) / 2;
      int rank =
          (int) Math.floor(pairs / 2.0 - Shift.Z * Math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12.0));
      Shift.Result r = Shift.of(histogram(a), histogram(b));
      assertEquals(Math.exp(median), r.ratio(), 1e-6, "trial " + trial);
      assertTrue(rank >= 1);
      assertEquals(Math.exp(logs[rank - 1]), r.lower(), 1e-6, "trial " + trial);
      assertEquals(Math.exp(logs[pairs - rank]), r.upper(), 1e-6, "trial " + trial);
    }
  }
}
