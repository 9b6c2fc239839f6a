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

  /** Throws, naming the first field out of range. */
  static void check(LineParser.Line line) throws SnapshotReader.SnapshotFormatException {
    range("pid", line.pid, 0, MAX_COUNT);
    if (line.hasSeq) {
      range("seq", line.seq, 0, Integer.MAX_VALUE);
    }
    range("startMillis", line.startMillis, 0, MAX_MILLIS);
    range("endMillis", line.endMillis, 0, MAX_MILLIS);
    if (line.endMillis < line.startMillis) {
      throw new SnapshotReader.SnapshotFormatException(
          "endMillis = " + line.endMillis + " is before startMillis " + line.startMillis);
    }
    if (line.jvmStartMillis != null) {
      range("jvmStartMillis", line.jvmStartMillis, 0, MAX_MILLIS);
    }
    List<LineParser.Op> ops = line.operations;
    for (int i = 0; i < ops.size(); i++) {
      LineParser.Op op = ops.get(i);
      String at = "operations[" + i + "].";
      if (op.path.size() > MAX_PATH) {
        throw new SnapshotReader.SnapshotFormatException(
            at
                + "path has "
                + op.path.size()
                + " elements, more than the "
                + MAX_PATH
                + " a path may have");
      }
      count(at + "calls", op.calls);
      count(at + "totalNanos", op.totalNanos);
      count(at + "maxNanos", op.maxNanos);
      if (op.sampled) {
        range(at + "sampling.timedCalls", op.timedCalls, 0, MAX_COUNT);
        if (op.timedCalls > op.calls) {
          throw new SnapshotReader.SnapshotFormatException(
              at + "sampling.timedCalls = " + op.timedCalls + " is more than calls " + op.calls);
        }
      }
      counts(at + "errors.", op.errors);
      counts(at + "counters.", op.counters);
      counts(at + "gauges.", op.gauges);
    }
    LineParser.Resources r = line.resources;
    if (r != null) {
      // counters: -1 (or absent) is "the platform cannot give it", read as 0
      range("resources.cpuNanos", r.cpuNanos, -1, MAX_COUNT);
      range("resources.cpuUserNanos", r.cpuUserNanos, -1, MAX_COUNT);
      range("resources.cpuSystemNanos", r.cpuSystemNanos, -1, MAX_COUNT);
      range("resources.diskReadBytes", r.diskReadBytes, -1, MAX_COUNT);
      range("resources.diskWriteBytes", r.diskWriteBytes, -1, MAX_COUNT);
      range("resources.netRxBytes", r.netRxBytes, -1, MAX_COUNT);
      range("resources.netTxBytes", r.netTxBytes, -1, MAX_COUNT);
      // gauges: -1 is "cannot give"; an unbounded heap's maximum is Long.MAX_VALUE
      range("resources.heapUsedPeakBytes", r.heapUsedPeakBytes, -1, MAX_COUNT);
      if (r.heapMaxBytes != Long.MAX_VALUE) {
        range("resources.heapMaxBytes", r.heapMaxBytes, -1, MAX_COUNT);
      }
      range("resources.rssPeakBytes", r.rssPeakBytes, -1, MAX_COUNT);
      range("resources.threadsPeak", r.threadsPeak, -1, Integer.MAX_VALUE);
      if (r.availableProcessors != null) {
        range("resources.availableProcessors", r.availableProcessors, 1, Integer.MAX_VALUE);
      }
      for (int i = 0; i < r.gc.size(); i++) {
        Object[] gc = r.gc.get(i);
        count("resources.gc[" + i + "].count", (Long) gc[1]);
        count("resources.gc[" + i + "].timeMillis", (Long) gc[2]);
      }
    }
  }

  private static void counts(String prefix, Map<String, Long> values)
      throws SnapshotReader.SnapshotFormatException {
    for (Map.Entry<String, Long> e : values.entrySet()) {
      count(prefix + e.getKey(), e.getValue());
    }
  }

  private static void count(String field, long value)
      throws SnapshotReader.SnapshotFormatException {
    range(field, value, 0, MAX_COUNT);
  }

  static void range(String field, long value, long min, long max)
      throws SnapshotReader.SnapshotFormatException {
    if (value < min || value > max) {
      throw new SnapshotReader.SnapshotFormatException(
          field + " = " + value + " is out of range (" + min + " … " + bound(max) + ")");
    }
  }

  private static String bound(long max) {
    return max == MAX_COUNT ? "2^53" : Long.toString(max);
  }
}
