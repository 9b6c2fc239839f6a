package dev.etlprofiler.agent.snapshot;

import dev.etlprofiler.core.Sampling;
import java.util.Map;

/**
 * Keeps the timing overhead of configured methods within a CPU budget ({@code
 * overhead.cpu-budget}, a share of the process's CPU time). After each interval it estimates
 * what timing each operation cost — calls × the measured cost of one timed call — and, for an
 * operation that alone would take more than a quarter of the budget, times only one call in 2^k
 * (k chosen to bring it to an eighth of the budget, keeping at least {@link #MIN_TIMED} timed
 * calls per interval). Below a sixteenth of the budget an operation is timed fully again.
 * Runs on the snapshot thread only.
 */
final class SamplingController {
  /** Timed calls kept per interval, so percentiles stay meaningful. */
  static final long MIN_TIMED = 500;
  /**
   * Cost of one timed call beyond its two clock reads: the ThreadLocal read, the child probe,
   * the stack push/pop and the recorder write. Measured: 70 ns per timed call with nanoTime at
   * 24 ns on this project's 2-core reference machine (JDK 17), so 70 - 2 × 24 = 22.
   */
  static final long BOOKKEEPING_NANOS = 22;

  private final double budget;
  private final long timedCallNanos;

  SamplingController(double budgetPercent) {
    this.budget = budgetPercent / 100.0;
    this.timedCallNanos = 2 * measureNanoTime() + BOOKKEEPING_NANOS;
  }

  /** The cost of {@code System.nanoTime()} on this machine, in ns (at least 1). */
  static long measureNanoTime() {
    int n = 20_000;
    long sink = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += System.nanoTime();
    }
    long t1 = System.nanoTime();
    return Math.max(1, (t1 - t0) / n + (sink == 42 ? 1 : 0));
  }

  long timedCallNanos() {
    return timedCallNanos;
  }

  /**
   * Decides each operation's sampling for the next interval from this interval's call counts.
   *
   * @param callsByOp estimated calls per op id in the interval (method kinds only)
   * @param cpuNanos the process's CPU time in the interval
   */
  void adjust(Map<Integer, Long> callsByOp, long cpuNanos) {
    if (cpuNanos <= 0) {
      return;
    }
    double allowed = budget * cpuNanos;
    for (Map.Entry<Integer, Long> e : callsByOp.entrySet()) {
      int op = e.getKey();
      long calls = e.getValue();
      int shift = decide(calls, timedCallNanos, allowed, Sampling.shift(op));
      if (shift != Sampling.shift(op)) {
        Sampling.set(op, shift);
      }
    }
  }

  /** The sampling shift for an op with {@code calls} calls in an interval; pure, for tests. */
  static int decide(long calls, long timedCallNanos, double allowedNanos, int current) {
    double full = (double) calls * timedCallNanos;
    if (full > allowedNanos / 4) {
      double oneIn = full / (allowedNanos / 8);
      int shift = (int) Math.ceil(Math.log(oneIn) / Math.log(2));
      int maxShift = calls <= MIN_TIMED ? 0 : (int) Math.floor(Math.log((double) calls / MIN_TIMED) / Math.log(2));
      return Math.max(0, Math.min(Math.min(shift, maxShift), 20));
    }
    if (full < allowedNanos / 16) {
      return 0;
    }
    return current;
  }
}
