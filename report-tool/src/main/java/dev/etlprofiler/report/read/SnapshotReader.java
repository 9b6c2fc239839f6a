package dev.etlprofiler.report.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etlprofiler.report.model.JvmStats;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.model.ResourceStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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

  private final ObjectMapper json = new ObjectMapper();
  private final PrintStream progress;
  private long bytesRead;
  private long nextProgress = 64L << 20;

  /** @param progress where to report progress on large inputs, or null for none */
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
        s.filter(p -> p.toString().endsWith(".jsonl") && Files.isRegularFile(p)).sorted().forEach(files::add);
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
      throw new BadInputException("no readable snapshot line in " + files.size() + " file(s) under " + dir,
          profile.warnings());
    }
    return profile;
  }

  private void readFile(Path file, Profile profile) throws IOException {
    String name = file.toString();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        bytesRead += line.length() + 1;
        reportProgress();
        if (line.isBlank()) {
          continue;
        }
        try {
          readLine(json.readTree(line), profile.jvm(name), profile);
        } catch (JsonProcessingException e) {
          profile.warnings().add(name + ":" + lineNo + ": not a complete JSON line, skipped ("
              + e.getOriginalMessage() + ")");
        } catch (SnapshotFormatException e) {
          profile.warnings().add(name + ":" + lineNo + ": " + e.getMessage() + ", skipped");
        }
      }
    }
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

  void readLine(JsonNode line, JvmStats jvm, Profile profile) throws SnapshotFormatException {
    if (!"etl-profiler-snapshot".equals(line.path("format").asText())) {
      throw new SnapshotFormatException("not an etl-profiler snapshot line");
    }
    int version = line.path("version").asInt(-1);
    if (version < 1 || version > MAX_VERSION) {
      throw new SnapshotFormatException("snapshot format version " + line.path("version")
          + " is not supported (this report tool reads versions 1 to " + MAX_VERSION + ")");
    }
    jvm.runId = line.path("runId").asText(null);
    jvm.host = line.path("host").asText(null);
    jvm.pid = line.path("pid").asLong();
    jvm.lines++;
    jvm.startMillis = Math.min(jvm.startMillis, line.path("startMillis").asLong());
    jvm.endMillis = Math.max(jvm.endMillis, line.path("endMillis").asLong());
    jvm.sawFinal |= line.path("final").asBoolean();
    long records = 0;
    for (JsonNode op : line.path("operations")) {
      addOperation(op, profile);
      if (op.path("path").size() <= 1) {
        records += op.path("counters").path("records").asLong(); // top-level only: nested counts repeat
      }
    }
    addResources(line.path("resources"), jvm, profile.resources());
    long start = line.path("startMillis").asLong();
    long end = line.path("endMillis").asLong();
    long jvmStart = line.path("jvmStartMillis").asLong(start);
    JsonNode r = line.path("resources");
    profile.series().add(end - jvmStart, Math.max(0, end - start), Math.max(0, r.path("cpuNanos").asLong()),
        r.path("heapUsedPeakBytes").asLong(), records);
  }

  private void addOperation(JsonNode op, Profile profile) throws SnapshotFormatException {
    List<String> path = new ArrayList<>();
    op.path("path").forEach(p -> path.add(p.asText()));
    if (path.isEmpty()) {
      path.add(op.path("name").asText("?"));
    }
    OperationKey key = new OperationKey(op.path("dataset").asText(null), op.path("source").asText(null),
        op.path("kind").asText("method"), path);
    OperationStats stats = profile.operation(key);
    JsonNode sampling = op.path("sampling");
    long calls = op.path("calls").asLong();
    stats.addCalls(calls, sampling.isMissingNode() ? calls : sampling.path("timedCalls").asLong(), !sampling.isMissingNode());
    stats.addTime(op.path("totalNanos").asLong(), op.path("maxNanos").asLong());
    for (Iterator<Map.Entry<String, JsonNode>> it = op.path("errors").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      stats.addError(e.getKey(), e.getValue().asLong());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = op.path("counters").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      stats.addCounter(e.getKey(), e.getValue().asLong());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = op.path("gauges").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      stats.addGauge(e.getKey(), e.getValue().asLong());
    }
    if (op.has("histogram")) {
      try {
        decoder.addTo(op.get("histogram").asText(), stats.histogramForAdding());
      } catch (Exception e) {
        throw new SnapshotFormatException("undecodable latency histogram (" + e + ")");
      }
    }
  }

  private static void addResources(JsonNode r, JvmStats jvm, ResourceStats total) {
    if (r.isMissingNode()) {
      return;
    }
    total.seen = true;
    total.cpuNanos += Math.max(0, r.path("cpuNanos").asLong());
    total.cpuUserNanos += Math.max(0, r.path("cpuUserNanos").asLong());
    total.cpuSystemNanos += Math.max(0, r.path("cpuSystemNanos").asLong());
    total.heapUsedPeakBytes = Math.max(total.heapUsedPeakBytes, r.path("heapUsedPeakBytes").asLong());
    total.heapMaxBytes = Math.max(total.heapMaxBytes, r.path("heapMaxBytes").asLong());
    total.rssPeakBytes = Math.max(total.rssPeakBytes, r.path("rssPeakBytes").asLong(-1));
    total.threadsPeak = Math.max(total.threadsPeak, r.path("threadsPeak").asInt());
    jvm.processors = r.path("availableProcessors").asInt(jvm.processors);
    total.availableProcessors = Math.max(total.availableProcessors, jvm.processors);
    total.diskReadBytes += Math.max(0, r.path("diskReadBytes").asLong());
    total.diskWriteBytes += Math.max(0, r.path("diskWriteBytes").asLong());
    total.netRxBytes += Math.max(0, r.path("netRxBytes").asLong());
    total.netTxBytes += Math.max(0, r.path("netTxBytes").asLong());
    for (JsonNode gc : r.path("gc")) {
      long[] sum = total.gc.computeIfAbsent(gc.path("name").asText("?"), k -> new long[2]);
      sum[0] += gc.path("count").asLong();
      sum[1] += gc.path("timeMillis").asLong();
    }
  }
}
