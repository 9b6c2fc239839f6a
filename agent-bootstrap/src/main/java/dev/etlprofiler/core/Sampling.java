package dev.etlprofiler.core;

/**
 * Timing of hot operations by sampling. When an operation is called so often that timing every
 * call would cost more than the CPU budget ({@code overhead.cpu-budget}), the snapshot thread
 * switches it to timing one call in 2^k; every call still ticks a counter, so call totals are
 * estimated from the ticks and the timed calls' histogram is an unbiased sample of latencies.
 *
 * <p>The skip path must cost a few ns (3% of a 100 ns method is 3 ns): one array read to see
 * whether the op is sampled, one read of the thread's id to pick a tick stripe, one plain
 * increment and a mask test. No ThreadLocal, no allocation, no atomic. The tick is racy: two
 * threads on the same stripe may lose an increment, which only perturbs the estimate slightly.
 */
public final class Sampling {
  /** Ops with ids at or above this are never sampled (4096 distinct operation names). */
  static final int MAX_OPS = 4096;
  /** Sampled ops at once. */
  static final int SLOTS = 64;
  private static final int STRIPES = 4;
  /** One cache line (16 ints) per stripe so threads on different stripes do not share a line. */
  private static final int LINE = 16;

  /** Per op id: 0 = time every call; else (slot + 1) << 8 | shift. Written by the snapshot thread. */
  private static final int[] STATE = new int[MAX_OPS];
  /** Tick counters: slot × stripe × line. Incremented by application threads (racy). */
  private static final int[] TICKS = new int[SLOTS * STRIPES * LINE];
  private static final long[] LAST_TICKS = new long[SLOTS * STRIPES];
  private static final int[] OP_OF_SLOT = new int[SLOTS];
  private static volatile boolean enabled = true;

  private Sampling() {}

  /**
   * True when this call is not to be timed. Called first thing in {@link Core#enter}.
   */
  static boolean skip(int opId) {
    if (opId >= MAX_OPS) {
      return false;
    }
    int state = STATE[opId];
    if (state == 0) {
      return false;
    }
    int i = (((state >>> 8) - 1) * STRIPES + ((int) Thread.currentThread().getId() & (STRIPES - 1))) * LINE;
    int tick = ++TICKS[i];
    return (tick & ((1 << (state & 0xff)) - 1)) != 0;
  }

  public static void enabled(boolean on) {
    enabled = on;
  }

  public static boolean isEnabled() {
    return enabled;
  }

  /** The sampling shift of an op (0: every call timed); snapshot thread. */
  public static int shift(int opId) {
    return opId < MAX_OPS ? STATE[opId] & 0xff : 0;
  }

  /**
   * Sets an op's sampling to one call in 2^shift (0 = every call); snapshot thread only. Returns
   * false if the op cannot be sampled (id too large or every slot taken).
   */
  public static synchronized boolean set(int opId, int shift) {
    if (opId >= MAX_OPS || shift < 0 || shift > 20) {
      return false;
    }
    int state = STATE[opId];
    if (shift == 0) {
      if (state != 0) {
        OP_OF_SLOT[(state >>> 8) - 1] = 0;
        STATE[opId] = 0;
      }
      return true;
    }
    int slot;
    if (state != 0) {
      slot = (state >>> 8) - 1;
    } else {
      slot = freeSlot();
      if (slot < 0) {
        return false;
      }
      OP_OF_SLOT[slot] = opId + 1;
      takeTicks(slot); // start counting from now
    }
    STATE[opId] = (slot + 1) << 8 | shift;
    return true;
  }

  private static int freeSlot() {
    for (int s = 0; s < SLOTS; s++) {
      if (OP_OF_SLOT[s] == 0) return s;
    }
    return -1;
  }

  /** Calls (timed or not) of a sampled op since the last call; 0 if not sampled. Snapshot thread. */
  public static synchronized long takeCalls(int opId) {
    if (opId >= MAX_OPS || STATE[opId] == 0) {
      return 0;
    }
    return takeTicks((STATE[opId] >>> 8) - 1);
  }

  private static long takeTicks(int slot) {
    long total = 0;
    for (int s = 0; s < STRIPES; s++) {
      int raw = TICKS[(slot * STRIPES + s) * LINE];
      int k = slot * STRIPES + s;
      // ticks are ints that wrap; the difference of two reads is right modulo 2^32
      long delta = (raw - (int) LAST_TICKS[k]) & 0xffffffffL;
      LAST_TICKS[k] = raw;
      total += delta;
    }
    return total;
  }
}
