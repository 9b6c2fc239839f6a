package dev.etlprofiler.report.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Resource use over time, as offsets from each JVM's start, in at most {@link #MAX_POINTS} buckets:
 * when more intervals arrive than fit, the bucket width doubles and neighbours merge, so memory
 * stays bounded however many snapshots are read.
 */
public final class TimeSeries {
  public static final int MAX_POINTS = 240;

  /** One bucket: sums over the intervals that ended in it, and the heap's peak. */
  public static final class Point {
    public long wallMillis;
    public long cpuNanos;
    public long heapPeakBytes;
    public long records;

    void add(Point o) {
      wallMillis += o.wallMillis;
      cpuNanos += o.cpuNanos;
      heapPeakBytes = Math.max(heapPeakBytes, o.heapPeakBytes);
      records += o.records;
    }
  }

  private long bucketMillis = 1000;
  private final List<Point> points = new ArrayList<>();

  /** Adds an interval that ended {@code offsetMillis} after its JVM started. */
  public void add(
      long offsetMillis, long wallMillis, long cpuNanos, long heapPeakBytes, long records) {
    long offset = Math.max(0, offsetMillis);
    while (offset / bucketMillis >= MAX_POINTS) { // in longs: an int overflowed past 2^31 buckets
      halve();
    }
    int index = (int) (offset / bucketMillis);
    while (points.size() <= index) {
      points.add(new Point());
    }
    Point p = points.get(index);
    p.wallMillis += wallMillis;
    p.cpuNanos += cpuNanos;
    p.heapPeakBytes = Math.max(p.heapPeakBytes, heapPeakBytes);
    p.records += records;
  }

  private void halve() {
    List<Point> merged = new ArrayList<>();
    for (int i = 0; i < points.size(); i += 2) {
      Point p = points.get(i);
      if (i + 1 < points.size()) p.add(points.get(i + 1));
      merged.add(p);
    }
    points.clear();
    points.addAll(merged);
    bucketMillis *= 2;
  }

  public long bucketMillis() {
    return bucketMillis;
  }

  public List<Point> points() {
    return points;
  }
}
