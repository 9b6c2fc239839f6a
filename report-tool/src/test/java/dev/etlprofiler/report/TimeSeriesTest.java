package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.model.TimeSeries;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {
  @Test
  void staysBoundedAndKeepsTotalsWhateverTheNumberOfIntervals() {
    TimeSeries s = new TimeSeries();
    for (int i = 1; i <= 100_000; i++) {
      s.add(i * 10_000L, 10_000, 1_000_000, i, 5); // 100,000 intervals of 10 s
    }
    assertTrue(s.points().size() <= TimeSeries.MAX_POINTS, "points: " + s.points().size());
    assertEquals(100_000L * 1_000_000, s.points().stream().mapToLong(p -> p.cpuNanos).sum());
    assertEquals(500_000, s.points().stream().mapToLong(p -> p.records).sum());
    assertEquals(
        100_000,
        s.points().stream().mapToLong(p -> p.heapPeakBytes).max().orElse(0),
        "peaks merge by maximum");
  }

  @Test
  void anOffsetOfMoreThan2To31BucketsStillLandsInTheLastBucket() {
    TimeSeries s = new TimeSeries();
    s.add(1_000, 1_000, 7, 1, 1);
    // a JVM start of 1970 and an end of 2099: 4.1e9 one-second buckets, beyond an int
    s.add(4_102_444_799_999L, 1_000, 5, 1, 1);
    assertTrue(s.points().size() <= TimeSeries.MAX_POINTS, "points: " + s.points().size());
    assertEquals(12, s.points().stream().mapToLong(p -> p.cpuNanos).sum());
    assertEquals(5, s.points().get(s.points().size() - 1).cpuNanos);
  }
}
