package dev.etlprofiler.report.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.etlprofiler.report.model.JvmStats;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.model.ResourceStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads every {@code *.jsonl} snapshot file under a directory (docs/snapshot-format.md) into one
 * merged {@link Profile}, a line at a time: memory grows with the number of distinct operations,
 * never with the number of lines. A line that is not valid JSON or UTF-8, is cut short, has a newer
 * format version or a number out of range is skipped with a warning naming the file and line; the
 * rest is read. Intervals missing from a JVM's sequence (or read twice) are warned about per JVM.
 */
public final class SnapshotReader {
  /** The newest snapshot format version this reader understands. */
  public static final int MAX_VERSION = 1;

  private final Limits limits;
  private final LineParser parser;
  private final PrintStream progress;
  private long bytesRead;
  private long nextProgress = 64L << 20;
  private int lineBufferBytes;
  private int fileWarnings; // line warnings of the file being read
  private long unlistedInFile;
  private long unlisted; // warnings beyond limits.maxWarnings()

  /**
   * @param progress where to report progress on large inputs, or null for none
   */
  public SnapshotReader(PrintStream progress) {
    this(progress, Limits.forHeap(Runtime.getRuntime().maxMemory()));
  }

  /** A reader with other limits than the heap's (for tests). */
  SnapshotReader(PrintStream progress, Limits limits) {
    this.progress = progress;
    this.limits = limits;
    this.parser =
        new LineParser(new com.fasterxml.jackson.core.JsonFactory(), limits.maxValuesPerLine());
  }

  /** The largest line buffer a file needed (for tests). */
  int lineBufferBytes() {
    return lineBufferBytes;
  }

  public Profile read(Path dir) throws BadInputException, IOException {
    if (!Files.exists(dir)) {
      throw new BadInputException("no such file or directory: " + dir);
    }
    List<Path> files = new ArrayList<>();
    if (Files.isRegularFile(dir)) {
      files.add(dir);
    } else {
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(p -> p.toString().endsWith(".jsonl") && Files.isRegularFile(p))
            .sorted()
            .forEach(files::add);
      }
    }
    if (files.isEmpty()) {
      throw new BadInputException("no snapshot files (*.jsonl) under " + dir);
    }
    Profile profile = new Profile();
    for (Path f : files) {
      readFile(f, profile);
    }
    if (unlisted > 0) {
      profile.warnings().add(unlisted + " more warning(s) not listed");
    }
    if (profile.intervals() == 0) {
      throw new BadInputException(
          "no readable snapshot line in " + files.size() + " file(s) under " + dir,
          profile.warnings());
    }
    return profile;
  }

  private void readFile(Path file, Profile profile) throws IOException {
    String name = file.toString();
    Map<String, Sequences> jvms = new LinkedHashMap<>(); // by pid and start: one file, one JVM
    Sequences seqs = null; // the last line's
    long seqsPid = 0;
    Long seqsStart = null;
    fileWarnings = 0;
    unlistedInFile = 0;
    try (InputStream in = Files.newInputStream(file)) {
      LineReader lines = new LineReader(in, limits.maxLineBytes());
      int lineNo = 0;
      while (lines.next()) {
        lineNo++;
        lineBufferBytes = Math.max(lineBufferBytes, lines.bytes.length);
        if (lines.tooLong) {
          bytesRead += lines.length + 1L;
          skipped(
              profile,
              name,
              lineNo,
              "a line of "
                  + lines.length
                  + " bytes, more than the "
                  + limits.maxLineBytes()
                  + " a snapshot line may have");
          reportProgress();
          continue;
        }
        byte[] b = lines.bytes;
        int start = lines.start;
        int length = lines.length;
        // An ASCII line is parsed from its bytes; any other as a String, decoded strictly: a line
        // that is not valid UTF-8 is skipped with a warning saying where.
        String text = null;
        if (lines.ascii) {
          bytesRead += length + 1;
          if (isBlank(b, start, length)) {
            reportProgress();
            continue;
          }
          if (zeroInFirstFour(b, start, length)) {
            text = lines.text();
          }
        } else {
          bytesRead += length + 1;
          try {
            text = lines.text();
          } catch (LineReader.InvalidUtf8 e) {
            skipped(profile, name, lineNo, e.getMessage());
            continue;
          }
          if (text.isBlank()) {
            reportProgress();
            continue;
          }
        }
        reportProgress();
        try {
          LineParser.Line line;
          if (text != null) {
            line = parser.parse(text);
          } else {
            try {
              line = parser.parse(b, start, length);
            } catch (JsonProcessingException e) {
              // the byte parser words some errors differently: the warning quotes the String
              // parser's
              line = parser.parse(lines.text());
            }
          }
          readLine(line, profile.jvm(name), profile);
          if (line.hasSeq) {
            if (seqs == null
                || line.pid != seqsPid
                || !Objects.equals(line.jvmStartMillis, seqsStart)) {
              seqs = sequences(jvms, name, line); // a file holds one JVM: this is rare
              seqsPid = line.pid;
              seqsStart = line.jvmStartMillis;
            }
            seqs.add(line.seq, lineNo);
          }
        } catch (JsonProcessingException e) {
          lineWarning(
              profile,
              name,
              lineNo,
              "not a complete JSON line, skipped (" + e.getOriginalMessage() + ")");
        } catch (SnapshotFormatException | LineParser.InvalidText | LineParser.TooLarge e) {
          skipped(profile, name, lineNo, e.getMessage());
        }
      }
    }
    if (unlistedInFile > 0) {
      warning(profile, name + ": " + unlistedInFile + " more line(s) skipped, not listed");
    }
    jvms.values().forEach(s -> s.warnings().forEach(w -> warning(profile, w)));
  }

  private void skipped(Profile profile, String file, int lineNo, String why) {
    lineWarning(profile, file, lineNo, why + ", skipped");
  }

  /** A warning about one line: listed up to limits.maxWarningsPerFile() per file, then counted. */
  private void lineWarning(Profile profile, String file, int lineNo, String warning) {
    if (fileWarnings++ < limits.maxWarningsPerFile()) {
      warning(profile, file + ":" + lineNo + ": " + warning);
    } else {
      unlistedInFile++;
    }
  }

  /** A warning: listed up to limits.maxWarnings() in all, then counted. */
  private void warning(Profile profile, String warning) {
    if (profile.warnings().size() < limits.maxWarnings()) {
      profile.warnings().add(unicode(warning));
    } else {
      unlisted++;
    }
  }

  /** Text of a line quoted in a warning: at most 40 characters. */
  private static String quoted(String s) {
    if (s.length() <= 40) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(38)) ? 38 : 39;
    return s.substring(0, end) + "…";
  }

  /**
   * {@code s} with any half of a surrogate pair (which a JSON escape can make) shown as a
   * backslash-u escape: a warning goes into reports, which must be writable as UTF-8.
   */
  private static String unicode(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
              : !Character.isLowSurrogate(c) || i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
      if (!paired && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (paired) {
          b.append(c);
        } else {
          b.append(String.format("\\u%04X", (int) c));
        }
      }
    }
    return b == null ? s : b.toString();
  }

  /** The interval numbers seen of the line's JVM in this file. */
  private static Sequences sequences(
      Map<String, Sequences> jvms, String file, LineParser.Line line) {
    String id = line.pid + "/" + line.jvmStartMillis;
    Sequences s = jvms.get(id);
    if (s == null) {
      String label = file + " (run " + line.runId + ", host " + line.host + ", pid " + line.pid;
      if (!jvms.isEmpty() && line.jvmStartMillis != null) { // another JVM in the same file
        label += ", started " + java.time.Instant.ofEpochMilli(line.jvmStartMillis);
      }
      s = new Sequences(label + ")");
      jvms.put(id, s);
    }
    return s;
  }

  /** Whether ASCII bytes are all whitespace as {@link String#isBlank} sees it. */
  private static boolean isBlank(byte[] b, int start, int length) {
    for (int i = start, end = start + length; i < end; i++) {
      int c = b[i];
      if (c != ' ' && c != '\t' && !(c >= 0x0b && c <= 0x0c) && !(c >= 0x1c && c <= 0x1f)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A zero byte early on makes Jackson's byte parser guess UTF-16 or UTF-32: such a line goes as a
   * String.
   */
  private static boolean zeroInFirstFour(byte[] b, int start, int length) {
    for (int i = start, end = start + Math.min(4, length); i < end; i++) {
      if (b[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private void reportProgress() {
    if (progress != null && bytesRead >= nextProgress) {
      progress.printf("read %d MB of snapshots%n", bytesRead >> 20);
      nextProgress += 64L << 20;
    }
  }

  /** A line that is JSON but not a snapshot line this reader can use. */
  static final class SnapshotFormatException extends Exception {
    SnapshotFormatException(String message) {
      super(message);
    }
  }

  private final HistogramDecoder decoder = new HistogramDecoder();

  /** The line being read's operations, reused from line to line. */
  private final List<Pending> slots = new ArrayList<>();

  private final Map<OperationStats, Pending> knownPending = new java.util.IdentityHashMap<>();
  private final Map<OperationKey, Pending> newPending = new java.util.HashMap<>();

  /** The decoded histograms of the line being read, each bucket with its Pending's slot. */
  private final HistogramDecoder.Counts histograms = new HistogramDecoder.Counts();

  /** Sums over every line merged that the profile keeps only per time bucket. */
  private long seriesWallMillis;

  private long seriesRecords;

  /** One operation of the line being read: the line's entries with its identity, added up. */
  private static final class Pending {
    final OperationKey key;
    final int index; // of its first entry in the line
    final int slot; // in the line's list of Pending
    final OperationStats stats; // what was read before, or null for a new operation
    OperationStats target; // where it is merged
    long calls;
    long timed;
    boolean sampled;
    boolean async;
    long totalNanos;
    long maxNanos;
    long histogramCount;
    Map<String, Long> errors = Map.of();
    Map<String, Long> counters = Map.of();
    Map<String, Long> gauges = Map.of();

    Pending(OperationKey key, int index, int slot, OperationStats stats) {
      this.key = key;
      this.index = index;
      this.slot = slot;
      this.stats = stats;
    }
  }

  /**
   * Merges one line into the profile. Everything that can reject the line (a number out of range, a
   * histogram that does not decode, a sum that would overflow, more operations than the heap holds)
   * is checked before anything is merged: a skipped line adds nothing.
   */
  void readLine(LineParser.Line line, JvmStats jvm, Profile profile)
      throws SnapshotFormatException {
    if (!line.object || !"etl-profiler-snapshot".equals(line.format)) {
      throw new SnapshotFormatException("not an etl-profiler snapshot line");
    }
    if (line.version < 1 || line.version > MAX_VERSION) {
      throw new SnapshotFormatException(
          "snapshot format version "
              + quoted(line.versionText)
              + " is not supported (this report tool reads versions 1 to "
              + MAX_VERSION
              + ")");
    }
    LineCheck.check(line);

    // the line's operations, those with the same identity added up exactly: one read before is
    // found by its merged figures' identity, a new one by its key
    List<Pending> slots = this.slots;
    slots.clear();
    knownPending.clear();
    newPending.clear();
    histograms.clear();
    long records = 0;
    for (int i = 0; i < line.operations.size(); i++) {
      LineParser.Op op = line.operations.get(i);
      OperationKey key = key(op);
      OperationStats before = profile.operations().get(key);
      Pending p = before != null ? knownPending.get(before) : newPending.get(key);
      if (p == null) {
        if (before == null
            && profile.operations().size() + newPending.size() + 1 > limits.maxOperations()) {
          throw new SnapshotFormatException(
              "it would add distinct operations beyond the "
                  + limits.maxOperations()
                  + " this heap holds (about 40 KiB each; java -Xmx raises the limit)");
        }
        p = new Pending(key, i, slots.size(), before);
        if (before != null) {
          knownPending.put(before, p);
        } else {
          newPending.put(key, p);
        }
        slots.add(p);
      }
      p.calls = sum(i, "calls", null, p.calls, op.calls);
      p.timed = sum(i, "calls", null, p.timed, op.sampled ? op.timedCalls : op.calls);
      p.sampled |= op.sampled;
      p.async |= op.async;
      p.totalNanos = sum(i, "totalNanos", null, p.totalNanos, op.totalNanos);
      p.maxNanos = Math.max(p.maxNanos, op.maxNanos);
      p.errors = sums(i, "errors", p.errors, op.errors);
      p.counters = sums(i, "counters", p.counters, op.counters);
      p.gauges = maxima(p.gauges, op.gauges);
      if (op.histogram != null) {
        int from = histograms.size;
        histograms.owner = p.slot;
        try {
          decoder.decode(op.histogram, histograms);
        } catch (java.util.zip.DataFormatException e) {
          throw new SnapshotFormatException(
              "the latency histogram of " + key.name() + " cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
          throw new SnapshotFormatException(
              "the latency histogram of " + key.name() + " cannot be read (" + e + ")");
        }
        long count = 0;
        for (int b = from; b < histograms.size; b++) {
          count = sum(i, "histogram", null, count, histograms.counts[b]);
        }
        LineCheck.range(i, "histogram's count", null, count, 0, LineCheck.MAX_COUNT);
        p.histogramCount = sum(i, "histogram", null, p.histogramCount, count);
      }
      if (op.path.size() <= 1) { // top-level only: nested counts repeat
        records = sum(i, "counters", "records", records, op.counters.getOrDefault("records", 0L));
      }
    }
    // the sums with what was read before
    for (Pending p : slots) {
      OperationStats stats = p.stats;
      if (stats == null) {
        continue;
      }
      int at = p.index;
      sum(at, "calls", null, stats.calls(), p.calls);
      sum(at, "calls", null, stats.timedCalls(), p.timed);
      sum(at, "totalNanos", null, stats.totalNanos(), p.totalNanos);
      if (!p.errors.isEmpty()) {
        long errors = 0;
        for (Map.Entry<String, Long> e : p.errors.entrySet()) {
          sum(at, "errors", e.getKey(), stats.errors().getOrDefault(e.getKey(), 0L), e.getValue());
          errors = sum(at, "errors", null, errors, e.getValue());
        }
        long before = 0; // what errorCount() gives, without a stream per line
        for (long n : stats.errors().values()) {
          before += n; // each type's sum was checked, and so was their total
        }
        sum(at, "errors", null, before, errors);
      }
      for (Map.Entry<String, Long> e : p.counters.entrySet()) {
        sum(at, "counters", e.getKey(), stats.counter(e.getKey()), e.getValue());
      }
      if (stats.histogram() != null) {
        sum(at, "histogram", null, stats.histogram().getTotalCount(), p.histogramCount);
      }
    }
    LineParser.Resources r = line.resources;
    if (r != null) {
      checkResources(r, profile.resources());
    }
    long start = line.startMillis;
    long end = line.endMillis;
    long wall = end - start;
    sum(-1, "endMillis", null, seriesWallMillis, wall);
    sum(-1, "operations[].counters.records", null, seriesRecords, records);

    // merge
    jvm.runId = line.runId;
    jvm.host = line.host;
    jvm.pid = line.pid;
    jvm.lines++;
    jvm.startMillis = Math.min(jvm.startMillis, start);
    jvm.endMillis = Math.max(jvm.endMillis, end);
    jvm.sawFinal |= line.isFinal;
    for (Pending p : slots) {
      OperationStats s = p.stats != null ? p.stats : profile.operation(p.key);
      p.target = s;
      s.addCalls(p.calls, p.timed, p.sampled);
      if (p.async) s.markAsync();
      s.addTime(p.totalNanos, p.maxNanos);
      p.errors.forEach(s::addError);
      p.counters.forEach(s::addCounter);
      p.gauges.forEach(s::addGauge);
    }
    for (int b = 0; b < histograms.size; b++) {
      slots
          .get(histograms.owners[b])
          .target
          .histogramForAdding()
          .recordValueWithCount(histograms.values[b], histograms.counts[b]);
    }
    addResources(r, jvm, profile.resources());
    seriesWallMillis += wall;
    seriesRecords += records;
    long jvmStart = line.jvmStartMillis != null ? line.jvmStartMillis : start;
    profile
        .series()
        .add(
            end - jvmStart,
            wall,
            r == null ? 0 : Math.max(0, r.cpuNanos),
            r == null ? 0 : r.heapUsedPeakBytes,
            records);
  }

  private static OperationKey key(LineParser.Op op) {
    List<String> path = new ArrayList<>(op.path);
    if (path.isEmpty()) {
      path.add(op.name != null ? op.name : "?");
    }
    return new OperationKey(op.dataset, op.source, op.kind != null ? op.kind : "method", path);
  }

  /**
   * {@code a + b}, or a SnapshotFormatException naming the field ({@link LineCheck#name}) when that
   * overflows.
   */
  private static long sum(int op, String field, String key, long a, long b)
      throws SnapshotFormatException {
    long s = a + b;
    if (((a ^ s) & (b ^ s)) < 0) {
      throw new SnapshotFormatException(
          LineCheck.name(op, field, key) + ": the sum with what was read before exceeds 2^63 - 1");
    }
    return s;
  }

  /**
   * {@code add} added to {@code into} by name, exactly. The maps are the parsed line's own (or the
   * shared empty one), so the first non-empty one is taken as it is and added to.
   */
  private static Map<String, Long> sums(
      int op, String field, Map<String, Long> into, Map<String, Long> add)
      throws SnapshotFormatException {
    if (add.isEmpty() || into.isEmpty()) {
      return add.isEmpty() ? into : add;
    }
    for (Map.Entry<String, Long> e : add.entrySet()) {
      Long before = into.get(e.getKey());
      into.put(
          e.getKey(),
          before == null ? e.getValue() : sum(op, field, e.getKey(), before, e.getValue()));
    }
    return into;
  }

  /** The same for gauges, which merge by maximum. */
  private static Map<String, Long> maxima(Map<String, Long> into, Map<String, Long> add) {
    if (add.isEmpty() || into.isEmpty()) {
      return add.isEmpty() ? into : add;
    }
    add.forEach((name, value) -> into.merge(name, value, Math::max));
    return into;
  }

  private static final long[] NO_GC = new long[2];

  /** Checks that the line's resource counters add to the totals; its GC figures by collector. */
  private static void checkResources(LineParser.Resources r, ResourceStats total)
      throws SnapshotFormatException {
    sum(-1, "resources.cpuNanos", null, total.cpuNanos, Math.max(0, r.cpuNanos));
    sum(-1, "resources.cpuUserNanos", null, total.cpuUserNanos, Math.max(0, r.cpuUserNanos));
    sum(-1, "resources.cpuSystemNanos", null, total.cpuSystemNanos, Math.max(0, r.cpuSystemNanos));
    sum(-1, "resources.diskReadBytes", null, total.diskReadBytes, Math.max(0, r.diskReadBytes));
    sum(-1, "resources.diskWriteBytes", null, total.diskWriteBytes, Math.max(0, r.diskWriteBytes));
    sum(-1, "resources.netRxBytes", null, total.netRxBytes, Math.max(0, r.netRxBytes));
    sum(-1, "resources.netTxBytes", null, total.netTxBytes, Math.max(0, r.netTxBytes));
    // per collector: the line's entries of one name added up (a handful: compared pairwise; many:
    // through a map), then with the totals
    List<Object[]> gc = r.gc;
    Map<String, long[]> byName = gc.size() > 8 ? new java.util.HashMap<>() : null;
    for (int i = 0; i < gc.size(); i++) {
      String name = (String) gc.get(i)[0];
      long[] line;
      if (byName != null) {
        line = byName.computeIfAbsent(name, k -> new long[2]);
      } else {
        line = new long[2];
        boolean seen = false;
        for (int j = 0; j < i && !seen; j++) {
          seen = name.equals(gc.get(j)[0]);
        }
        if (seen) {
          continue; // added up with its first entry
        }
        for (int j = i + 1; j < gc.size(); j++) {
          if (name.equals(gc.get(j)[0])) {
            line[0] = sum(-1, "resources.gc[].count", name, line[0], (Long) gc.get(j)[1]);
            line[1] = sum(-1, "resources.gc[].timeMillis", name, line[1], (Long) gc.get(j)[2]);
          }
        }
      }
      line[0] = sum(-1, "resources.gc[].count", name, line[0], (Long) gc.get(i)[1]);
      line[1] = sum(-1, "resources.gc[].timeMillis", name, line[1], (Long) gc.get(i)[2]);
      long[] before = total.gc.getOrDefault(name, NO_GC);
      sum(-1, "resources.gc[].count", name, before[0], line[0]);
      sum(-1, "resources.gc[].timeMillis", name, before[1], line[1]);
    }
  }

  private static void addResources(LineParser.Resources r, JvmStats jvm, ResourceStats total) {
    if (r == null) {
      return;
    }
    total.seen = true;
    total.cpuNanos += Math.max(0, r.cpuNanos);
    total.cpuUserNanos += Math.max(0, r.cpuUserNanos);
    total.cpuSystemNanos += Math.max(0, r.cpuSystemNanos);
    total.heapUsedPeakBytes = Math.max(total.heapUsedPeakBytes, r.heapUsedPeakBytes);
    total.heapMaxBytes = Math.max(total.heapMaxBytes, r.heapMaxBytes);
    total.rssPeakBytes = Math.max(total.rssPeakBytes, r.rssPeakBytes);
    total.threadsPeak = Math.max(total.threadsPeak, (int) r.threadsPeak);
    if (r.availableProcessors != null) {
      jvm.processors = (int) (long) r.availableProcessors;
    }
    total.availableProcessors = Math.max(total.availableProcessors, jvm.processors);
    total.diskReadBytes += Math.max(0, r.diskReadBytes);
    total.diskWriteBytes += Math.max(0, r.diskWriteBytes);
    total.netRxBytes += Math.max(0, r.netRxBytes);
    total.netTxBytes += Math.max(0, r.netTxBytes);
    for (Object[] gc : r.gc) { // each name's sum was checked to fit
      long[] sum = total.gc.computeIfAbsent((String) gc[0], k -> new long[2]);
      sum[0] += (Long) gc[1];
      sum[1] += (Long) gc[2];
    }
  }
}
