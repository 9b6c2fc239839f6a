package dev.etlprofiler.report.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The interval sequence numbers ({@code seq}: 0, 1, 2 … per JVM, docs/snapshot-format.md) of the
 * lines merged from one JVM, as ranges: a gap is an interval the report lacks (never written, or
 * skipped with a warning), a number seen twice an interval counted twice. Memory grows with the
 * number of gaps, never with the lines; past {@link #MAX_RANGES} ranges the numbers are too
 * scattered to be worth listing and tracking stops.
 */
final class Sequences {
  static final int MAX_RANGES = 10_000;

  /** How many gaps a warning lists. */
  private static final int LISTED = 10;

  private final String label;
  private final TreeMap<Long, long[]> ranges = new TreeMap<>(); // first → {last}
  private boolean scattered;
  private long repeated;
  private long firstRepeatedSeq;
  private int firstRepeatedLine;

  /**
   * @param label the JVM, e.g. {@code x.jsonl (run r, host h, pid 1)}
   */
  Sequences(String label) {
    this.label = label;
  }

  void add(long seq, int lineNo) {
    if (scattered) {
      return;
    }
    Map.Entry<Long, long[]> before = ranges.floorEntry(seq);
    if (before != null && seq <= before.getValue()[0]) {
      if (repeated++ == 0) {
        firstRepeatedSeq = seq;
        firstRepeatedLine = lineNo;
      }
      return;
    }
    long[] after = ranges.get(seq + 1);
    if (before != null && before.getValue()[0] == seq - 1) {
      before.getValue()[0] = after != null ? ranges.remove(seq + 1)[0] : seq;
    } else if (after != null) {
      ranges.remove(seq + 1);
      ranges.put(seq, after);
    } else {
      ranges.put(seq, new long[] {seq});
      if (ranges.size() > MAX_RANGES) {
        scattered = true;
        ranges.clear();
      }
    }
  }

  /** The warnings about this JVM's intervals: missing ones, repeated ones; none when complete. */
  List<String> warnings() {
    List<String> out = new ArrayList<>();
    if (scattered) {
      out.add(
          label
              + ": its interval numbers (seq) are too scattered to list the missing ones (more"
              + " than "
              + MAX_RANGES
              + " gaps)");
      return out;
    }
    long missing = 0;
    List<String> listed = new ArrayList<>();
    long next = 0;
    for (Map.Entry<Long, long[]> r : ranges.entrySet()) {
      long first = r.getKey();
      if (first > next) {
        missing += first - next;
        if (listed.size() < LISTED) {
          listed.add(first - 1 == next ? Long.toString(next) : next + "–" + (first - 1));
        }
      }
      next = r.getValue()[0] + 1;
    }
    if (missing > 0) {
      int gaps = 0;
      next = 0;
      for (Map.Entry<Long, long[]> r : ranges.entrySet()) {
        gaps += r.getKey() > next ? 1 : 0;
        next = r.getValue()[0] + 1;
      }
      out.add(
          label
              + ": "
              + missing
              + " interval(s) missing, seq "
              + String.join(", ", listed)
              + (gaps > LISTED ? " and " + (gaps - LISTED) + " more gap(s)" : "")
              + "; the report lacks their figures");
    }
    if (repeated > 0) {
      out.add(
          label
              + ": "
              + repeated
              + " interval(s) read more than once (seq "
              + firstRepeatedSeq
              + " again at line "
              + firstRepeatedLine
              + "); the report counts them each time");
    }
    return out;
  }
}
