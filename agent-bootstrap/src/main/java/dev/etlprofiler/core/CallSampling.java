package dev.etlprofiler.core;

/**
 * Timing of hot operations by sampling. Every call of a configured method ticks a per-operation
 * counter; when an operation is called so often that timing every call would cost more than the CPU
 * budget ({@code overhead.cpu-budget}), the agent's budget check (every 100 ms from 20 ms after
 * start for 3 s, then every second) switches it to timing one call in 2^k. Call totals of a sampled
 * operation are estimated from the ticks, and the timed calls' histogram is a sample of its
 * latencies.
 *
 * <p>The skip path must cost a few ns (3% of a 100 ns method is 3 ns): the thread's id picks a
 * stripe, one plain increment of the op's counter in that stripe, one array read of the op's mask
 * and a test. No ThreadLocal, no allocation, no atomic, no branch on whether the op is sampled (an
 * unsampled op has mask 0). The tick is racy: two threads on the same stripe may lose an increment,
 * which only perturbs the estimate; the calls of an op that was not sampled in an interval come
 * from its histogram, which is exact.
 *
 * <p>Measured trade-off (docs/benchmarks.md, JMH): ticking every call adds about 1 ns to a fully
 * timed call (≈ 75 ns) and lets the budget act about 120 ms after start instead of after the first
 * snapshot (1 s); before that, the synthetic per-record job spent its first second timing 5 M calls
 * in full, which was most of its end-to-end overhead.
 */
public final class CallSampling {
  /** Ops with ids at or above this are never sampled (4096 distinct operation names). */
  static final int MAX_OPS = 4096;

  private static final int STRIPES = 4;

  /**
   * Per op id: the mask of the tick's low bits that must be 0 for a call to be timed (0: every
   * call).
   */
  private static final int[] MASK = new int[MAX_OPS];

  /**
   * Ticks, stripe-major (stripe × MAX_OPS + op): threads of different stripes touch different
   * lines.
   */
  private static final int[] TICKS = new int[STRIPES * MAX_OPS];

  /** Per op: sampled at any time since the snapshot thread last took its calls. */
  private static final boolean[] SAMPLED_SINCE_TAKE = new boolean[MAX_OPS];

  /** Per op: the largest 2^k used since the last take (the snapshot reports it). */
  private static final int[] MAX_ONE_IN = new int[MAX_OPS];

  private CallSampling() {}

  /** True when this call is not to be timed. Called first thing in {@link Core#enter}. */
  static boolean skip(int opId) {
    if (opId >= MAX_OPS) {
      return false;
    }
    int tick = ++TICKS[((int) Thread.currentThread().getId() & (STRIPES - 1)) * MAX_OPS + opId];
    return (tick & MASK[opId]) != 0;
  }

  /** The sampling shift of an op (0: every call timed). */
  public static int shift(int opId) {
    return opId < MAX_OPS ? Integer.bitCount(MASK[opId]) : 0;
  }

  /**
   * Sets an op's sampling to one call in 2^shift (0 = every call); agent thread only. Returns false
   * if the op cannot be sampled (id too large, shift out of 0 … 20).
   */
  public static synchronized boolean set(int opId, int shift) {
    if (opId >= MAX_OPS || opId < 0 || shift < 0 || shift > 20) {
      return false;
    }
    MASK[opId] = (1 << shift) - 1;
    if (shift > 0) {
      SAMPLED_SINCE_TAKE[opId] = true;
      MAX_ONE_IN[opId] = Math.max(MAX_ONE_IN[opId], 1 << shift);
    }
    return true;
  }

  /**
   * Ticks of an op summed over the stripes, as an int that wraps: the difference of two reads is
   * the calls between them, modulo 2^32. Any thread (the counters are read racily).
   */
  public static int ticks(int opId) {
    if (opId < 0 || opId >= MAX_OPS) {
      return 0;
    }
    int sum = 0;
    for (int s = 0; s < STRIPES; s++) {
      sum += TICKS[s * MAX_OPS + opId];
    }
    return sum;
  }

  /** The calls between two {@link #ticks} reads. */
  public static long between(int earlier, int later) {
    return (later - earlier) & 0xffffffffL;
  }

  /**
   * Whether the op was sampled at any time since the last call, and the largest 2^k it used then (1
   * when it was not sampled); resets both to the op's current setting. Snapshot thread.
   */
  public static synchronized int takeOneIn(int opId) {
    if (opId < 0 || opId >= MAX_OPS) {
      return 1;
    }
    int oneIn = SAMPLED_SINCE_TAKE[opId] ? Math.max(MAX_ONE_IN[opId], 1) : 1;
    int current = MASK[opId] + 1;
    SAMPLED_SINCE_TAKE[opId] = current > 1;
    MAX_ONE_IN[opId] = current > 1 ? current : 0;
    return oneIn;
  }
}
