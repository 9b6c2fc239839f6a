package dev.etlprofiler.agent.budget;

import dev.etlprofiler.core.CallSampling;
import dev.etlprofiler.core.OpRegistry;
import java.util.function.LongSupplier;

/**
 * Keeps the timing overhead of configured methods within a CPU budget ({@code overhead.cpu-budget},
 * a share of the process's CPU time). Every {@link #CHECK_MILLIS} for the first seconds (the first
 * check {@link #FIRST_CHECK_MILLIS} after start), then every second, it reads each operation's call
 * ticks and the process's CPU time, estimates what timing each operation costs — calls × the
 * measured cost of one timed call — and, for an operation that alone would take more than a quarter
 * of the budget, times only one call in 2^k (k chosen to bring it to an eighth of the budget,
 * keeping at least {@link #MIN_TIMED_PER_SECOND} timed calls per second). Below a sixteenth of the
 * budget an operation is timed fully again. Runs on the agent thread only.
 *
 * <p>Why its own cadence and not the snapshot's: deciding at the first snapshot (after 1 s) let a
 * per-record job time every call for its first second — in the synthetic end-to-end benchmark that
 * was about 5 M calls at ≈ 75 ns, most of the agent's overhead on a 4 s job. A check costs one read
 * of the process CPU time and four int reads per operation.
 */
public final class CpuBudget {
  public static final long FIRST_CHECK_MILLIS = 20;
  public static final long CHECK_MILLIS = 100;

  /**
   * After the first {@link #FAST_CHECKS_MILLIS}, one check a second: a check reads /proc/self/stat,
   * ≈ 0.2 ms with 40 threads.
   */
  public static final long FAST_CHECKS_MILLIS = 3000;

  public static final long SLOW_CHECK_MILLIS = 1000;

  /** Timed calls kept per second, so percentiles stay meaningful. */
  static final long MIN_TIMED_PER_SECOND = 500;

  /**
   * Cost of one timed call beyond its two clock reads: the ThreadLocal read, the child probe, the
   * stack push/pop and the recorder write. Measured: 70 ns per timed call with nanoTime at 24 ns on
   * this project's 2-core reference machine (JDK 17), so 70 - 2 × 24 = 22.
   */
  static final long BOOKKEEPING_NANOS = 22;

  /**
   * Below this much CPU in a window the CPU clock's resolution dominates: count it as this much.
   */
  private static final long MIN_WINDOW_CPU_NANOS = 10_000_000L;

  private final double budget;
  private final long timedCallNanos;
  private final LongSupplier cpuNanos;
  private int[] lastTicks = new int[0];
  private long lastCpu = -1;
  private long lastWall;

  /**
   * @param cpuNanos the process's CPU time so far, in ns (negative when unknown)
   */
  public CpuBudget(double budgetPercent, LongSupplier cpuNanos) {
    this.budget = budgetPercent / 100.0;
    this.cpuNanos = cpuNanos;
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

  /** One check: decides each operation's sampling from its calls since the last check. */
  public void check() {
    long cpu = cpuNanos.getAsLong();
    long wall = System.nanoTime();
    int ops = OpRegistry.count();
    if (lastTicks.length < ops) {
      int[] grown = java.util.Arrays.copyOf(lastTicks, Math.max(ops, 2 * lastTicks.length));
      for (int op = lastTicks.length; op < grown.length; op++) {
        grown[op] = CallSampling.ticks(op);
      }
      lastTicks = grown;
    }
    boolean first = lastCpu < 0;
    long cpuDelta = Math.max(MIN_WINDOW_CPU_NANOS, cpu - lastCpu);
    long minTimed = Math.max(1, MIN_TIMED_PER_SECOND * (wall - lastWall) / 1_000_000_000L);
    lastCpu = cpu;
    lastWall = wall;
    for (int op = 0; op < ops; op++) {
      int ticks = CallSampling.ticks(op);
      long calls = CallSampling.between(lastTicks[op], ticks);
      lastTicks[op] = ticks;
      if (first || cpu < 0 || calls == 0) {
        continue;
      }
      int current = CallSampling.shift(op);
      int shift = decide(calls, timedCallNanos, budget * cpuDelta, current, minTimed);
      if (shift != current) {
        CallSampling.set(op, shift);
      }
    }
  }

  /**
   * The sampling shift for an op with {@code calls} calls in a window with {@code allowedNanos} of
   * timing allowed; pure, for tests.
   */
  static int decide(
      long calls, long timedCallNanos, double allowedNanos, int current, long minTimed) {
    double full = (double) calls * timedCallNanos;
    if (full > allowedNanos / 4) {
      double oneIn = full / (allowedNanos / 8);
      int shift = (int) Math.ceil(Math.log(oneIn) / Math.log(2));
      int maxShift =
          calls <= minTimed
              ? 0
              : (int) Math.floor(Math.log((double) calls / minTimed) / Math.log(2));
      return Math.max(0, Math.min(Math.min(shift, maxShift), 20));
    }
    if (full < allowedNanos / 16) {
      return 0;
    }
    return current;
  }
}
