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
}
