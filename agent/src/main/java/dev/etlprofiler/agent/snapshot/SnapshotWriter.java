package dev.etlprofiler.agent.snapshot;

import dev.etlprofiler.agent.sample.ResourceSampler;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.Nodes;
import dev.etlprofiler.core.OpRegistry;
import dev.etlprofiler.core.Sampling;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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

  private final RunInfo run;
  private final Path file;
  private final ResourceSampler resources;
  private final Map<Integer, List<String>> paths = new LinkedHashMap<>();

  /**
   * Per op id: its call ticks at the last snapshot (sampled ops' calls are estimated from them).
   */
  private int[] lastTicks = new int[0];

  private ByteBuffer histogramBuffer = ByteBuffer.allocate(1024);

  /** Each node's stripes are merged into this one before encoding. */
  private final Histogram merged = Node.newHistogram();

  private int seq;
  private long intervalStart;
  private boolean failedBefore;

  public SnapshotWriter(RunInfo run, Path dir, ResourceSampler resources, long startMillis) {
    this.run = run;
    this.file =
        dir.resolve(fileName(run.runId(), 128, "run"))
            .resolve(fileName(run.host(), 100, "unknown-host") + "-" + run.pid() + ".jsonl");
    this.resources = resources;
    this.intervalStart = startMillis;
  }

  /**
   * Loads the classes a snapshot line needs (histogram encoding, deflate, Base64, the line writer)
   * by building one line's parts and discarding them. The agent thread calls it at start-up, so
   * that a short job's only snapshot, written at exit, does not load them then.
   */
  void warmUp() throws IOException {
    Histogram h = Node.newHistogram();
    h.recordValue(1_000);
    encode(h);
    JsonLine g = new JsonLine();
    g.writeStartObject();
    g.writeStringField("warm", "up");
    g.writeNumberField("n", 1);
    g.writeArrayFieldStart("a");
    g.writeEndArray();
    g.writeEndObject();
    g.toLine();
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
      java.io.File parent = file.getParent().toFile();
      // java.io, not Files.createDirectories: a short job's only snapshot is written at exit
      if (!parent.isDirectory() && !parent.mkdirs() && !parent.isDirectory()) {
        throw new IOException("cannot create directory " + parent);
      }
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
        AgentLog.info(
            "cannot write snapshots to "
                + file
                + " ("
                + e
                + "); the job goes on, retrying each interval");
        failedBefore = true;
      }
      return false;
    }
  }

  private byte[] buildLine(long end, boolean last) throws IOException {
    JsonLine g = new JsonLine();
    {
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
      ResourceSampler.Interval res = resources == null ? null : resources.interval();
      writeOperations(g);
      if (res != null) {
        writeResources(g, res);
      }
      g.writeObjectFieldStart("agent");
      g.writeNumberField("internalErrors", Core.takeInternalErrors());
      g.writeNumberField("droppedOperations", Nodes.takeDropped());
      g.writeEndObject();
      g.writeEndObject();
    }
    return g.toLine();
  }

  /** One node's harvest of the interval, taken before anything is written. */
  private record Harvest(
      Node node,
      long timed,
      double meanNanos,
      long maxNanos,
      String histogram,
      long[] counters,
      Map<String, Long> errors,
      long lagMax) {}

  private void writeOperations(JsonLine g) throws IOException {
    List<Harvest> harvests = new ArrayList<>();
    Map<Integer, Long> timedByOp = new HashMap<>();
    int count = Nodes.count();
    for (int id = 1; id < count; id++) {
      Node node = Nodes.get(id);
      if (node.isVisible()) {
        Harvest h = harvest(node);
        if (h != null) {
          harvests.add(h);
          Long before = timedByOp.get(node.opId());
          timedByOp.put(node.opId(), before == null ? h.timed() : before + h.timed());
        }
      }
    }
    // calls of ops sampled in the interval: every call ticked; shared among the op's nodes by
    // their timed calls. Other ops' calls are their histograms' counts, which are exact.
    int ops = OpRegistry.count();
    if (lastTicks.length < ops) {
      lastTicks = java.util.Arrays.copyOf(lastTicks, Math.max(ops, 2 * lastTicks.length));
    }
    Map<Integer, Long> sampledCalls = new HashMap<>();
    Map<Integer, Integer> oneInByOp = new HashMap<>();
    for (int op = 0; op < ops; op++) {
      int ticks = Sampling.ticks(op);
      long calls = Sampling.between(lastTicks[op], ticks);
      lastTicks[op] = ticks;
      int oneIn = Sampling.takeOneIn(op);
      if (oneIn > 1 && timedByOp.containsKey(op)) {
        sampledCalls.put(op, calls);
        oneInByOp.put(op, oneIn);
      }
    }
    g.writeArrayFieldStart("operations");
    for (Harvest h : harvests) {
      int op = h.node().opId();
      Long opCalls = sampledCalls.get(op);
      long calls =
          opCalls == null || timedByOp.get(op) == 0
              ? h.timed()
              : Math.max(h.timed(), Math.round((double) opCalls * h.timed() / timedByOp.get(op)));
      writeNode(g, h, calls, opCalls == null ? 0 : oneInByOp.get(op));
    }
    g.writeEndArray();
  }

  private Harvest harvest(Node node) {
    Histogram h = merged;
    double totalNanos = node.takeInterval(h);
    long[] counters = new long[Counter.COUNT];
    boolean anyCounter = false;
    for (int c = 0; c < Counter.COUNT; c++) {
      counters[c] = node.takeCounter(c);
      anyCounter |= counters[c] != 0;
    }
    Map<String, Long> errors = new LinkedHashMap<>();
    node.takeErrors(errors);
    long lagMax = node.takeLagMax();
    long timed = h.getTotalCount();
    if (timed == 0 && !anyCounter && errors.isEmpty() && lagMax < 0) {
      return null;
    }
    return new Harvest(
        node,
        timed,
        timed == 0 ? 0 : totalNanos / timed,
        h.getMaxValue(),
        timed == 0 ? null : encode(h),
        anyCounter ? counters : null,
        errors,
        lagMax);
  }

  private void writeNode(JsonLine g, Harvest h, long calls, int oneIn) throws IOException {
    Node node = h.node();
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
    g.writeNumberField("calls", calls);
    if (oneIn > 1) {
      g.writeObjectFieldStart("sampling");
      g.writeNumberField("oneIn", oneIn);
      g.writeNumberField("timedCalls", h.timed());
      g.writeEndObject();
    }
    if (!h.errors().isEmpty()) {
      g.writeObjectFieldStart("errors");
      for (Map.Entry<String, Long> e : h.errors().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    if (h.timed() > 0) {
      g.writeNumberField("totalNanos", Math.round(h.meanNanos() * calls));
      g.writeNumberField("maxNanos", h.maxNanos());
      g.writeStringField("histogram", h.histogram());
    }
    if (h.counters() != null) {
      g.writeObjectFieldStart("counters");
      for (int c = 0; c < h.counters().length; c++) {
        if (h.counters()[c] != 0) {
          g.writeNumberField(Counter.name(c), h.counters()[c]);
        }
      }
      g.writeEndObject();
    }
    if (h.lagMax() >= 0) {
      g.writeObjectFieldStart("gauges");
      g.writeNumberField("consumerLagMax", h.lagMax());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private List<String> path(Node node) {
    // a loop, not computeIfAbsent with a lambda: a short job's only snapshot runs at exit
    List<String> known = paths.get(node.id());
    if (known != null) {
      return known;
    }
    List<String> names = new ArrayList<>();
    for (Node n = node; n != null; n = n.visibleParent()) {
      names.add(0, n.name());
    }
    List<String> path = List.copyOf(names);
    paths.put(node.id(), path);
    return path;
  }

  private String encode(Histogram h) {
    int needed = h.getNeededByteBufferCapacity();
    if (histogramBuffer.capacity() < needed) {
      histogramBuffer = ByteBuffer.allocate(needed);
    }
    histogramBuffer.clear();
    int length = h.encodeIntoCompressedByteBuffer(histogramBuffer);
    return Base64.getEncoder()
        .encodeToString(java.util.Arrays.copyOf(histogramBuffer.array(), length));
  }

  private static void writeResources(JsonLine g, ResourceSampler.Interval r) throws IOException {
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
    if (r.gc() != null) {
      g.writeArrayFieldStart("gc");
      for (ResourceSampler.Gc gc : r.gc()) {
        g.writeStartObject();
        g.writeStringField("name", gc.name());
        g.writeNumberField("count", gc.count());
        g.writeNumberField("timeMillis", gc.timeMillis());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    counter(g, "diskReadBytes", r.diskReadBytes());
    counter(g, "diskWriteBytes", r.diskWriteBytes());
    counter(g, "netRxBytes", r.netRxBytes());
    counter(g, "netTxBytes", r.netTxBytes());
    g.writeEndObject();
  }

  /** Counters the platform cannot give are left out rather than written as -1. */
  private static void counter(JsonLine g, String name, long value) throws IOException {
    if (value >= 0) {
      g.writeNumberField(name, value);
    }
  }

  /**
   * A run id or host name as one safe file name: letters, digits, '.', '_' and '-' (anything else
   * becomes '_'), no leading '.' and no "..", so that the file never lands outside {@code
   * output.dir} or hidden; at most {@code max} characters. The configuration already refuses a run
   * id this would change; a host name (from {@code HOSTNAME}) is anything.
   */
  static String fileName(String s, int max, String ifEmpty) {
    if (s == null || s.isEmpty()) {
      return ifEmpty;
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || (c == '.' && b.length() > 0 && b.charAt(b.length() - 1) != '.');
      b.append(ok ? c : '_');
    }
    return b.toString();
  }
}
