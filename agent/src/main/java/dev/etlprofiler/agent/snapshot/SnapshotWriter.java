package dev.etlprofiler.agent.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.etlprofiler.agent.sample.ResourceSampler;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.Nodes;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Writes one snapshot line per interval (format: {@code docs/snapshot-format.md}). Runs on the
 * agent's snapshot thread and in the shutdown hook, never on an application thread. Each line is
 * built in memory and appended with one write, so a reader never sees half a line unless the
 * process dies inside that write; a failing output directory is reported once and retried at the
 * next interval.
 */
public final class SnapshotWriter {
  public static final int FORMAT_VERSION = 1;

  private final JsonFactory json = new JsonFactory();
  private final RunInfo run;
  private final Path file;
  private final ResourceSampler resources;
  private final Map<Integer, List<String>> paths = new LinkedHashMap<>();
  private final Map<String, Long> errors = new LinkedHashMap<>();
  private ByteBuffer histogramBuffer = ByteBuffer.allocate(1024);
  /** Each node's stripes are merged into this one before encoding. */
  private final Histogram merged = Node.newHistogram();
  private int seq;
  private long intervalStart;
  private boolean failedBefore;

  public SnapshotWriter(RunInfo run, Path dir, ResourceSampler resources, long startMillis) {
    this.run = run;
    this.file = dir.resolve(run.runId()).resolve(sanitize(run.host()) + "-" + run.pid() + ".jsonl");
    this.resources = resources;
    this.intervalStart = startMillis;
  }

  public Path file() {
    return file;
  }

  /** Writes the interval that ends now. Returns false if the line could not be written. */
  public synchronized boolean writeInterval(boolean last) {
    long end = System.currentTimeMillis();
    byte[] line;
    try {
      line = buildLine(end, last);
    } catch (IOException | RuntimeException e) {
      Core.internalError("snapshot line", e);
      return false;
    }
    intervalStart = end;
    seq++;
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = new FileOutputStream(file.toFile(), true)) {
        out.write(line);
      }
      if (failedBefore) {
        AgentLog.info("snapshots are written again to " + file);
        failedBefore = false;
      }
      return true;
    } catch (IOException | RuntimeException e) {
      if (!failedBefore) {
        AgentLog.info("cannot write snapshots to " + file + " (" + e + "); the job goes on, retrying each interval");
        failedBefore = true;
      }
      return false;
    }
  }

  private byte[] buildLine(long end, boolean last) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = json.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("format", "etl-profiler-snapshot");
      g.writeNumberField("version", FORMAT_VERSION);
      g.writeStringField("runId", run.runId());
      g.writeStringField("host", run.host());
      g.writeNumberField("pid", run.pid());
      g.writeObjectFieldStart("jvm");
      g.writeStringField("version", run.jvmVersion());
      g.writeStringField("vendor", run.jvmVendor());
      g.writeEndObject();
      g.writeStringField("agentVersion", run.agentVersion());
      g.writeObjectFieldStart("labels");
      for (Map.Entry<String, String> e : run.labels().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeNumberField("jvmStartMillis", run.jvmStartMillis());
      g.writeNumberField("seq", seq);
      g.writeNumberField("startMillis", intervalStart);
      g.writeNumberField("endMillis", end);
      g.writeBooleanField("final", last);
      writeOperations(g);
      if (resources != null) {
        writeResources(g, resources.interval());
      }
      g.writeObjectFieldStart("agent");
      g.writeNumberField("internalErrors", Core.takeInternalErrors());
      g.writeNumberField("droppedOperations", Nodes.takeDropped());
      g.writeEndObject();
      g.writeEndObject();
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  private void writeOperations(JsonGenerator g) throws IOException {
    g.writeArrayFieldStart("operations");
    int count = Nodes.count();
    long[] counters = new long[Counter.COUNT];
    for (int id = 1; id < count; id++) {
      Node node = Nodes.get(id);
      if (!node.isVisible()) {
        continue;
      }
      Histogram h = node.takeIntervalHistogram(merged);
      boolean anyCounter = false;
      for (int c = 0; c < Counter.COUNT; c++) {
        counters[c] = node.takeCounter(c);
        anyCounter |= counters[c] != 0;
      }
      errors.clear();
      node.takeErrors(errors);
      if (h.getTotalCount() == 0 && !anyCounter && errors.isEmpty()) {
        continue;
      }
      writeNode(g, node, h, counters, anyCounter);
    }
    g.writeEndArray();
  }

  private void writeNode(JsonGenerator g, Node node, Histogram h, long[] counters, boolean anyCounter)
      throws IOException {
    g.writeStartObject();
    g.writeNumberField("id", node.id());
    Node parent = node.visibleParent();
    if (parent != null) {
      g.writeNumberField("parent", parent.id());
    }
    g.writeStringField("kind", node.kind());
    g.writeStringField("name", node.name());
    g.writeArrayFieldStart("path");
    for (String p : path(node)) {
      g.writeString(p);
    }
    g.writeEndArray();
    if (node.dataset() != null) {
      g.writeStringField("dataset", node.dataset());
      g.writeStringField("source", node.source());
    }
    long calls = h.getTotalCount();
    g.writeNumberField("calls", calls);
    if (!errors.isEmpty()) {
      g.writeObjectFieldStart("errors");
      for (Map.Entry<String, Long> e : errors.entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    if (calls > 0) {
      g.writeNumberField("totalNanos", Math.round(h.getMean() * calls));
      g.writeNumberField("maxNanos", h.getMaxValue());
      g.writeStringField("histogram", encode(h));
    }
    if (anyCounter) {
      g.writeObjectFieldStart("counters");
      for (int c = 0; c < counters.length; c++) {
        if (counters[c] != 0) {
          g.writeNumberField(Counter.name(c), counters[c]);
        }
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private List<String> path(Node node) {
    return paths.computeIfAbsent(node.id(), id -> {
      List<String> names = new ArrayList<>();
      for (Node n = node; n != null; n = n.visibleParent()) {
        names.add(0, n.name());
      }
      return List.copyOf(names);
    });
  }

  private String encode(Histogram h) {
    int needed = h.getNeededByteBufferCapacity();
    if (histogramBuffer.capacity() < needed) {
      histogramBuffer = ByteBuffer.allocate(needed);
    }
    histogramBuffer.clear();
    int length = h.encodeIntoCompressedByteBuffer(histogramBuffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(histogramBuffer.array(), length));
  }

  private static void writeResources(JsonGenerator g, ResourceSampler.Interval r) throws IOException {
    g.writeObjectFieldStart("resources");
    g.writeNumberField("availableProcessors", r.availableProcessors());
    counter(g, "cpuNanos", r.cpuNanos());
    counter(g, "cpuUserNanos", r.cpuUserNanos());
    counter(g, "cpuSystemNanos", r.cpuSystemNanos());
    g.writeNumberField("heapUsedBytes", r.heapUsedBytes());
    g.writeNumberField("heapUsedPeakBytes", r.heapUsedPeakBytes());
    g.writeNumberField("heapCommittedBytes", r.heapCommittedBytes());
    g.writeNumberField("heapMaxBytes", r.heapMaxBytes());
    g.writeNumberField("rssBytes", r.rssBytes());
    g.writeNumberField("rssPeakBytes", r.rssPeakBytes());
    g.writeNumberField("threads", r.threads());
    g.writeNumberField("threadsPeak", r.threadsPeak());
    g.writeArrayFieldStart("gc");
    for (ResourceSampler.Gc gc : r.gc()) {
      g.writeStartObject();
      g.writeStringField("name", gc.name());
      g.writeNumberField("count", gc.count());
      g.writeNumberField("timeMillis", gc.timeMillis());
      g.writeEndObject();
    }
    g.writeEndArray();
    counter(g, "diskReadBytes", r.diskReadBytes());
    counter(g, "diskWriteBytes", r.diskWriteBytes());
    counter(g, "netRxBytes", r.netRxBytes());
    counter(g, "netTxBytes", r.netTxBytes());
    g.writeEndObject();
  }

  /** Counters the platform cannot give are left out rather than written as -1. */
  private static void counter(JsonGenerator g, String name, long value) throws IOException {
    if (value >= 0) {
      g.writeNumberField(name, value);
    }
  }

  private static String sanitize(String host) {
    return host.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
