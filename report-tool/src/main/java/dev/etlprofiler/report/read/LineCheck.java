package dev.etlprofiler.report.read;

import java.util.List;
import java.util.Map;

/**
 * The range of every number the report tool reads from a snapshot line (docs/reliability.md). A
 * line with a number out of its range is skipped whole, with a warning naming the field: a negative
 * count or one near {@code Long.MAX_VALUE} is no measurement, and summed with others it printed
 * calls of −9.2e18 and shares of wall time of −5e10 %.
 *
 * <p>Counts, durations and byte counts of one interval may be at most {@link #MAX_COUNT} (2^53):
 * every integer up to it is exact as a double, which the analysis and the cost estimate compute in,
 * and it is far beyond any real interval (2^53 ns is 104 days of call time; 2^53 bytes 8 PiB).
 * Whether the sums over many lines still fit in a long is checked when a line is merged ({@link
 * SnapshotReader}). Timestamps must lie between 1970 and 2100: within that span a duration in
 * nanoseconds fits in a long.
 */
final class LineCheck {
  /** The largest count, duration or byte count one interval may hold. */
  static final long MAX_COUNT = 1L << 53;

  /** 2100-01-01T00:00:00Z: no snapshot is written later than that. */
  static final long MAX_MILLIS = 4_102_444_800_000L;

  /**
   * The longest path: twice the deepest the agent nests (ThreadState.MAX_DEPTH, 128). Deeper is no
   * call tree the agent writes, and the report's tree order costs grow with the depth.
   */
  static final int MAX_PATH = 256;

  private LineCheck() {}

  /** Throws, naming the first field out of range. Names are built only then: this runs per line. */
  static void check(LineParser.Line line) throws SnapshotReader.SnapshotFormatException {
    range(-1, "pid", null, line.pid, 0, MAX_COUNT);
    if (line.hasSeq) {
      range(-1, "seq", null, line.seq, 0, Integer.MAX_VALUE);
    }
    range(-1, "startMillis", null, line.startMillis, 0, MAX_MILLIS);
    range(-1, "endMillis", null, line.endMillis, 0, MAX_MILLIS);
    if (line.endMillis < line.startMillis) {
      throw new SnapshotReader.SnapshotFormatException(
          "endMillis = " + line.endMillis + " is before startMillis " + line.startMillis);
    }
    if (line.jvmStartMillis != null) {
      range(-1, "jvmStartMillis", null, line.jvmStartMillis, 0, MAX_MILLIS);
    }
    List<LineParser.Op> ops = line.operations;
    for (int i = 0; i < ops.size(); i++) {
      LineParser.Op op = ops.get(i);
      if (op.path.size() > MAX_PATH) {
        throw new SnapshotReader.SnapshotFormatException(
            name(i, "path", null)
                + " has "
                + op.path.size()
                + " elements, more than the "
                + MAX_PATH
                + " a path may have");
      }
      range(i, "calls", null, op.calls, 0, MAX_COUNT);
      range(i, "totalNanos", null, op.totalNanos, 0, MAX_COUNT);
      range(i, "maxNanos", null, op.maxNanos, 0, MAX_COUNT);
      if (op.sampled) {
        range(i, "sampling.timedCalls", null, op.timedCalls, 0, MAX_COUNT);
        if (op.timedCalls > op.calls) {
          throw new SnapshotReader.SnapshotFormatException(
              name(i, "sampling.timedCalls", null)
                  + " = "
                  + op.timedCalls
                  + " is more than calls "
                  + op.calls);
        }
      }
      counts(i, "errors", op.errors);
      counts(i, "counters", op.counters);
      counts(i, "gauges", op.gauges);
    }
    LineParser.Resources r = line.resources;
    if (r != null) {
      // counters: -1 (or absent) is "the platform cannot give it", read as 0
      range(-1, "resources.cpuNanos", null, r.cpuNanos, -1, MAX_COUNT);
      range(-1, "resources.cpuUserNanos", null, r.cpuUserNanos, -1, MAX_COUNT);
      range(-1, "resources.cpuSystemNanos", null, r.cpuSystemNanos, -1, MAX_COUNT);
      range(-1, "resources.diskReadBytes", null, r.diskReadBytes, -1, MAX_COUNT);
      range(-1, "resources.diskWriteBytes", null, r.diskWriteBytes, -1, MAX_COUNT);
      range(-1, "resources.netRxBytes", null, r.netRxBytes, -1, MAX_COUNT);
      range(-1, "resources.netTxBytes", null, r.netTxBytes, -1, MAX_COUNT);
      // gauges: -1 is "cannot give"; an unbounded heap's maximum is Long.MAX_VALUE
      range(-1, "resources.heapUsedPeakBytes", null, r.heapUsedPeakBytes, -1, MAX_COUNT);
      if (r.heapMaxBytes != Long.MAX_VALUE) {
        range(-1, "resources.heapMaxBytes", null, r.heapMaxBytes, -1, MAX_COUNT);
      }
      range(-1, "resources.rssPeakBytes", null, r.rssPeakBytes, -1, MAX_COUNT);
      range(-1, "resources.threadsPeak", null, r.threadsPeak, -1, Integer.MAX_VALUE);
      if (r.availableProcessors != null) {
        range(
            -1, "resources.availableProcessors", null, r.availableProcessors, 1, Integer.MAX_VALUE);
      }
      for (int i = 0; i < r.gc.size(); i++) {
        Object[] gc = r.gc.get(i);
        long count = (Long) gc[1];
        long time = (Long) gc[2];
        if (count < 0 || count > MAX_COUNT) {
          range(-1, "resources.gc[" + i + "].count", null, count, 0, MAX_COUNT);
        }
        if (time < 0 || time > MAX_COUNT) {
          range(-1, "resources.gc[" + i + "].timeMillis", null, time, 0, MAX_COUNT);
        }
      }
    }
  }

  private static void counts(int op, String field, Map<String, Long> values)
      throws SnapshotReader.SnapshotFormatException {
    for (Map.Entry<String, Long> e : values.entrySet()) {
      range(op, field, e.getKey(), e.getValue(), 0, MAX_COUNT);
    }
  }

  /**
   * Throws unless {@code min <= value <= max}, naming the field: {@code operations[op].field.key},
   * without the operation when {@code op} is negative and without the key when it is null.
   */
  static void range(int op, String field, String key, long value, long min, long max)
      throws SnapshotReader.SnapshotFormatException {
    if (value < min || value > max) {
      throw new SnapshotReader.SnapshotFormatException(
          name(op, field, key)
              + " = "
              + value
              + " is out of range ("
              + min
              + " … "
              + bound(max)
              + ")");
    }
  }

  /** A field's name in warnings, e.g. {@code operations[2].errors.java.io.IOException}. */
  static String name(int op, String field, String key) {
    StringBuilder b = new StringBuilder();
    if (op >= 0) {
      b.append("operations[").append(op).append("].");
    }
    b.append(field);
    if (key != null) {
      b.append('.').append(key);
    }
    return b.toString();
  }

  private static String bound(long max) {
    return max == MAX_COUNT ? "2^53" : Long.toString(max);
  }
}
