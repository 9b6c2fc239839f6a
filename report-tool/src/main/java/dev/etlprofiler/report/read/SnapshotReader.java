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
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads every {@code *.jsonl} snapshot file under a directory (docs/snapshot-format.md) into one
 * merged {@link Profile}, a line at a time: memory grows with the number of distinct operations,
 * never with the number of lines. A line that is not valid JSON, is cut short, or has a newer
 * format version is skipped with a warning naming the file and line; the rest is read.
 */
public final class SnapshotReader {
  /** The newest snapshot format version this reader understands. */
  public static final int MAX_VERSION = 1;

  private final LineParser parser = new LineParser(new com.fasterxml.jackson.core.JsonFactory());
  private final PrintStream progress;
  private long bytesRead;
  private long nextProgress = 64L << 20;

  /**
   * @param progress where to report progress on large inputs, or null for none
   */
  public SnapshotReader(PrintStream progress) {
    this.progress = progress;
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
    if (profile.intervals() == 0) {
      throw new BadInputException(
          "no readable snapshot line in " + files.size() + " file(s) under " + dir,
          profile.warnings());
    }
    return profile;
  }

  private void readFile(Path file, Profile profile) throws IOException {
    String name = file.toString();
    try (InputStream in = Files.newInputStream(file)) {
      LineReader lines = new LineReader(in);
      int lineNo = 0;
      while (lines.next()) {
        lineNo++;
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
            profile.warnings().add(name + ":" + lineNo + ": " + e.getMessage() + ", skipped");
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
        } catch (JsonProcessingException e) {
          profile
              .warnings()
              .add(
                  name
                      + ":"
                      + lineNo
                      + ": not a complete JSON line, skipped ("
                      + e.getOriginalMessage()
                      + ")");
        } catch (SnapshotFormatException e) {
          profile.warnings().add(name + ":" + lineNo + ": " + e.getMessage() + ", skipped");
        }
      }
    }
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

  /** Decoded histograms of the line being read, reused from line to line. */
  private final List<HistogramDecoder.Counts> histograms = new ArrayList<>();

  /**
   * Merges one line into the profile. Everything that can reject the line (a histogram that does
   * not decode) is done before anything is merged: a skipped line adds nothing.
   */
  void readLine(LineParser.Line line, JvmStats jvm, Profile profile)
      throws SnapshotFormatException {
    if (!line.object || !"etl-profiler-snapshot".equals(line.format)) {
      throw new SnapshotFormatException("not an etl-profiler snapshot line");
    }
    if (line.version < 1 || line.version > MAX_VERSION) {
      throw new SnapshotFormatException(
          "snapshot format version "
              + line.versionText
              + " is not supported (this report tool reads versions 1 to "
              + MAX_VERSION
              + ")");
    }
    List<OperationKey> keys = new ArrayList<>(line.operations.size());
    for (int i = 0; i < line.operations.size(); i++) {
      LineParser.Op op = line.operations.get(i);
      keys.add(key(op));
      if (histograms.size() == i) {
        histograms.add(new HistogramDecoder.Counts());
      }
      HistogramDecoder.Counts counts = histograms.get(i);
      counts.clear();
      if (op.histogram != null) {
        try {
          decoder.decode(op.histogram, counts);
        } catch (java.util.zip.DataFormatException e) {
          throw new SnapshotFormatException(
              "the latency histogram of "
                  + keys.get(i).name()
                  + " cannot be read: "
                  + e.getMessage());
        } catch (RuntimeException e) {
          throw new SnapshotFormatException(
              "the latency histogram of " + keys.get(i).name() + " cannot be read (" + e + ")");
        }
      }
    }

    jvm.runId = line.runId;
    jvm.host = line.host;
    jvm.pid = line.pid;
    jvm.lines++;
    jvm.startMillis = Math.min(jvm.startMillis, line.startMillis);
    jvm.endMillis = Math.max(jvm.endMillis, line.endMillis);
    jvm.sawFinal |= line.isFinal;
    long records = 0;
    for (int i = 0; i < line.operations.size(); i++) {
      LineParser.Op op = line.operations.get(i);
      addOperation(op, profile.operation(keys.get(i)), histograms.get(i));
      if (op.path.size() <= 1) {
        records += op.counters.getOrDefault("records", 0L); // top-level only: nested counts repeat
      }
    }
    LineParser.Resources r = line.resources;
    addResources(r, jvm, profile.resources());
    long start = line.startMillis;
    long end = line.endMillis;
    long jvmStart = line.jvmStartMillis != null ? line.jvmStartMillis : start;
    profile
        .series()
        .add(
            end - jvmStart,
            Math.max(0, end - start),
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

  private static void addOperation(
      LineParser.Op op, OperationStats stats, HistogramDecoder.Counts histogram) {
    stats.addCalls(op.calls, op.sampled ? op.timedCalls : op.calls, op.sampled);
    stats.addTime(op.totalNanos, op.maxNanos);
    op.errors.forEach(stats::addError);
    op.counters.forEach(stats::addCounter);
    op.gauges.forEach(stats::addGauge);
    if (op.histogram != null) {
      histogram.addTo(stats.histogramForAdding());
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
    total.threadsPeak = Math.max(total.threadsPeak, r.threadsPeak);
    if (r.availableProcessors != null) {
      jvm.processors = r.availableProcessors;
    }
    total.availableProcessors = Math.max(total.availableProcessors, jvm.processors);
    total.diskReadBytes += Math.max(0, r.diskReadBytes);
    total.diskWriteBytes += Math.max(0, r.diskWriteBytes);
    total.netRxBytes += Math.max(0, r.netRxBytes);
    total.netTxBytes += Math.max(0, r.netTxBytes);
    for (Object[] gc : r.gc) {
      long[] sum = total.gc.computeIfAbsent((String) gc[0], k -> new long[2]);
      sum[0] += (Long) gc[1];
      sum[1] += (Long) gc[2];
    }
  }
}
