package dev.etlprofiler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The paged recorder must give exactly the histogram HdrHistogram itself would. */
class LatencyRecorderTest {
  @Test
  void bucketIndexesAreHdrHistogramsOwn() {
    Histogram reference = Node.newHistogram();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long v = randomLatency(random);
      int index = LatencyRecorder.index(v);
      long lowest = LatencyRecorder.valueAt(index);
      assertEquals(reference.lowestEquivalentValue(v), lowest, "value " + v);
    }
    for (int i = 0; i < 100_000; i++) {
      long v = randomLatency(random);
      assertEquals(
          reference.medianEquivalentValue(v),
          LatencyRecorder.medianAt(LatencyRecorder.index(v)),
          "value " + v);
    }
    assertEquals(0, LatencyRecorder.valueAt(LatencyRecorder.index(0)));
    assertTrue(LatencyRecorder.index(Node.HIGHEST_TRACKABLE_NANOS) < LatencyRecorder.PAGES * 128);
  }

  @Test
  void drainsTheSameHistogramAsRecordingIntoHdrHistogramDirectly() {
    LatencyRecorder recorder = new LatencyRecorder();
    Histogram reference = Node.newHistogram();
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 50_000; i++) {
      long v = randomLatency(random);
      recorder.record(v);
      reference.recordValue(v);
    }
    Histogram drained = Node.newHistogram();
    double total = recorder.drainInto(drained);
    assertEquals(reference, drained);
    assertEquals(reference.getValueAtPercentile(99), drained.getValueAtPercentile(99));
    assertEquals(
        reference.getMean(),
        total / drained.getTotalCount(),
        reference.getMean() * 1e-12,
        "the drain's total is the count times HdrHistogram's mean");

    Histogram next = Node.newHistogram();
    recorder.drainInto(next);
    assertEquals(0, next.getTotalCount(), "each drain takes one interval's values only");
    recorder.record(1_000_000);
    recorder.drainInto(next);
    assertEquals(1, next.getTotalCount());
  }

  @Test
  void holdsOnlyThePagesItsValuesNeed() {
    LatencyRecorder recorder = new LatencyRecorder();
    for (long v = 1_100_000; v < 1_900_000; v += 1000) {
      recorder.record(v); // 1.1 ms … 1.9 ms: within one power of two (2^20 … 2^21 ns)
    }
    assertEquals(1040, recorder.pageBytes(), "one 128-bucket page");
    recorder.drainInto(Node.newHistogram());
    recorder.record(1_500_000);
    assertEquals(1040, recorder.pageBytes(), "the page is kept across drains, not allocated again");
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    LatencyRecorder recorder = new LatencyRecorder();
    Histogram total = Node.newHistogram();
    Thread[] writers = new Thread[4];
    for (int t = 0; t < writers.length; t++) {
      writers[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 200_000; i++) recorder.record(100 + (i % 5000));
              });
      writers[t].start();
    }
    while (anyAlive(writers)) {
      Histogram part = Node.newHistogram();
      recorder.drainInto(part); // swaps while the writers write
      total.add(part);
    }
    for (Thread t : writers) t.join();
    Histogram rest = Node.newHistogram();
    recorder.drainInto(rest);
    total.add(rest);
    assertEquals(800_000, total.getTotalCount());
  }

  private static boolean anyAlive(Thread[] threads) {
    for (Thread t : threads) if (t.isAlive()) return true;
    return false;
  }

  private static long randomLatency(SplittableRandom random) {
    int magnitude = random.nextInt(42);
    return random.nextLong(1L << magnitude, (2L << magnitude));
  }

  @Test
  void noCountIsLostWhileTheReaderDrainsDuringWrites() throws Exception {
    LatencyRecorder r = new LatencyRecorder();
    int perThread = 2_000_000;
    Runnable writer =
        () -> {
          for (int i = 0; i < perThread; i++) {
            r.record(100 + (i & 1023));
          }
        };
    Thread a = new Thread(writer);
    Thread b = new Thread(writer);
    org.HdrHistogram.Histogram total = Node.newHistogram();
    a.start();
    b.start();
    int drains = 0;
    while (a.isAlive() || b.isAlive()) {
      r.drainInto(total);
      drains++;
    }
    a.join();
    b.join();
    // every record() has returned: one drain takes all that is left (as the final snapshot does)
    r.drainInto(total);
    assertEquals(
        2L * perThread, total.getTotalCount(), "after " + drains + " drains during the writes");
  }
}
