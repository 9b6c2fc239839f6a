package dev.etlprofiler.core;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;

/**
 * An interval latency recorder with HdrHistogram's bucket layout (1 ns … 1 h, 2 significant digits)
 * whose counts live in pages of 128 buckets, one page per power of two, allocated when a value
 * first falls into it. A method's latencies span a few powers of two, so a recorder holds a few KB
 * instead of the 37 KB of a full HdrHistogram. The first value in a new power of two allocates its
 * page (1 KB); every other write is allocation-free.
 *
 * <p>Writers: one {@code AtomicLongArray} increment. The reader (the snapshot thread) drains the
 * same pages in place with {@code getAndSet(i, 0)} into an HdrHistogram of the same layout (so the
 * snapshot's encoding is HdrHistogram's own). Every increment is taken by exactly one drain: a
 * value recorded before a drain starts is in that drain; one that races it is in this drain or the
 * next. So once {@link #record} has returned, the next drain has the value — the final snapshot at
 * exit holds every call that completed before it.
 *
 * <p>Measured trade-off: a {@code WriterReaderPhaser} around the increment (HdrHistogram's {@code
 * Recorder} design) made every count exact to its interval, at two more atomic increments per timed
 * call: removing it took a timed call from +98.2 to +94.0 ns on the 2-core reference machine, JMH
 * (docs/benchmarks.md, *Per-call cost*). An interval's histogram is instead a few counts fuzzy at
 * its edges, and no count is lost.
 *
 * <p>An active and an inactive buffer, swapped at each drain, were tried first: a writer that read
 * the active buffer just before a swap left its count in the buffer being drained, where it waited
 * two drains, so the single drain at exit could miss a completed call (seen as a Kafka poll missing
 * from a CI run). Draining in place has no such window and half the pages.
 */
final class LatencyRecorder {
  /** 2 significant digits: 256 sub-buckets, of which the upper 128 are used above bucket 0. */
  private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;

  private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
  private static final long SUB_BUCKET_MASK = 255;

  /** 64 - unit magnitude (0, for 1 ns) - sub-bucket count magnitude (8). */
  private static final int LEADING_ZERO_COUNT_BASE = 56;

  /** Pages needed up to {@link Node#HIGHEST_TRACKABLE_NANOS}. */
  static final int PAGES = index(Node.HIGHEST_TRACKABLE_NANOS) / SUB_BUCKET_HALF_COUNT + 1;

  private final AtomicReferenceArray<AtomicLongArray> pages = new AtomicReferenceArray<>(PAGES);

  /**
   * The HdrHistogram counts-array index of a value (same layout as {@link Node#newHistogram()}).
   */
  static int index(long value) {
    int bucket = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
    int subBucket = (int) (value >>> bucket);
    return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (subBucket - SUB_BUCKET_HALF_COUNT);
  }

  /** The lowest value that falls at a counts-array index. */
  static long valueAt(int index) {
    int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
    int subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
    if (bucket < 0) {
      subBucket -= SUB_BUCKET_HALF_COUNT;
      bucket = 0;
    }
    return (long) subBucket << bucket;
  }

  /**
   * The middle of the range of values that fall at a counts-array index: what HdrHistogram's {@code
   * medianEquivalentValue} gives for them, and so what its {@code getMean} weighs them by.
   */
  static long medianAt(int index) {
    int bucket = Math.max((index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1, 0);
    return valueAt(index) + ((1L << bucket) >> 1);
  }

  /** Records one value, 0 ≤ value ≤ {@link Node#HIGHEST_TRACKABLE_NANOS}. */
  void record(long value) {
    int index = index(value);
    page(index >>> SUB_BUCKET_HALF_COUNT_MAGNITUDE)
        .incrementAndGet(index & (SUB_BUCKET_HALF_COUNT - 1));
  }

  private AtomicLongArray page(int p) {
    AtomicLongArray page = pages.get(p);
    if (page == null) {
      pages.compareAndSet(p, null, new AtomicLongArray(SUB_BUCKET_HALF_COUNT));
      page = pages.get(p);
    }
    return page;
  }

  /**
   * Takes the counts recorded since the last drain and adds them into {@code into}; reader
   * (snapshot thread) only. Returns the drained values' total, each count weighed by its bucket's
   * {@link #medianAt median} as HdrHistogram's {@code getMean} weighs it. Measured trade-off: the
   * snapshot took the mean from {@code getMean()}, whose iterator walked every bucket up to the
   * largest value once more; on the example job (3,376 rows) that walk was 8–9 ms of interpreted
   * code on the agent thread, and a dozen HdrHistogram methods for the JIT to compile.
   */
  synchronized double drainInto(Histogram into) {
    double total = 0;
    for (int p = 0; p < PAGES; p++) {
      AtomicLongArray page = pages.get(p);
      if (page == null) {
        continue;
      }
      for (int i = 0; i < SUB_BUCKET_HALF_COUNT; i++) {
        if (page.get(i) != 0) {
          long count = page.getAndSet(i, 0);
          int index = (p << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + i;
          into.recordValueWithCount(valueAt(index), count);
          total += medianAt(index) * (double) count;
        }
      }
    }
    return total;
  }

  /** Bytes held by count pages, for memory accounting in tests and benchmarks. */
  long pageBytes() {
    int n = 0;
    for (int p = 0; p < PAGES; p++) {
      if (pages.get(p) != null) n++;
    }
    return n * (16L + 8L * SUB_BUCKET_HALF_COUNT);
  }
}
