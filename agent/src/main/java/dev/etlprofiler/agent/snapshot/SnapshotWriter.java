package dev.etlprofiler.agent.snapshot;

import dev.etlprofiler.agent.resources.ResourceMonitor;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.CallSampling;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.Nodes;
import dev.etlprofiler.core.OpRegistry;
import java.io.IOException;
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
 * process dies inside that write.
 *
 * <p>A line that cannot be written (the directory cannot be created, the disk is full) is kept and
 * written, on a line of its own and in order, at the first interval that can write again; up to
 * {@link #MAX_UNWRITTEN_BYTES} of lines are kept, beyond that the oldest are dropped and the next
 * line written counts them ({@code agent.droppedIntervals}). A write that fails halfway is cut off
 * again, so a line never continues a partial one. The failure is reported once, and the recovery.
 */
public final class SnapshotWriter {
  public static final int FORMAT_VERSION = 1;

  private final RunInfo run;
  private final Path file;
  private final ResourceMonitor resources;
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

  /** Lines not yet written, oldest first; at most {@link #maxUnwrittenBytes} of them. */
  private final java.util.ArrayDeque<byte[]> unwritten = new java.util.ArrayDeque<>();

  private long unwrittenBytes;

  /** Intervals dropped from {@link #unwritten} since the last line written. */
  private long droppedIntervals;

  private boolean warnedDropping;

  /**
   * Length of the file after the last line written (the end of a complete line); -1 before the
   * first write. Lines are written there, which is the end of the file unless a write failed.
   */
  private long complete = -1;

  /** The file ends in a partial line that is not ours: start the next line on a new one. */
  private boolean newLineFirst;

  /** A write failed halfway and could not be cut off: the file is longer than {@link #complete}. */
  private boolean partialLeft;

  /** Opens the snapshot file to write; a test gives one that fails as a full disk does. */
  interface Opener {
    java.io.RandomAccessFile open(java.io.File file) throws IOException;
  }

  /** The real file (a named class: lambdas cost start-up time). */
  private static final class Files implements Opener {
    @Override
    public java.io.RandomAccessFile open(java.io.File file) throws IOException {
      return new java.io.RandomAccessFile(file, "rw");
    }
  }

  private final Opener opener;

  public SnapshotWriter(RunInfo run, Path dir, ResourceMonitor resources, long startMillis) {
    this(run, dir, resources, startMillis, new Files(), MAX_UNWRITTEN_BYTES);
  }

  /** Most bytes of snapshot lines kept in memory while they cannot be written. */
  static final long MAX_UNWRITTEN_BYTES = 4 << 20;

  private final long maxUnwrittenBytes;

  SnapshotWriter(
      RunInfo run,
      Path dir,
      ResourceMonitor resources,
      long startMillis,
      Opener opener,
      long maxUnwrittenBytes) {
    this.opener = opener;
    this.maxUnwrittenBytes = maxUnwrittenBytes;
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
  public void warmUp() throws IOException {
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
    keep(line);
    boolean written = writeKept();
    if (last && !unwritten.isEmpty()) {
      AgentLog.info(
          unwritten.size()
              + " snapshot interval"
              + (unwritten.size() == 1 ? "" : "s")
              + " could not be written to "
              + file
              + " before the JVM ended and are lost");
    }
    return written;
  }

  /** Queues a line; beyond the limit the oldest lines are dropped, and counted. */
  private void keep(byte[] line) {
    unwritten.addLast(line);
    unwrittenBytes += line.length;
    while (unwrittenBytes > maxUnwrittenBytes && unwritten.size() > 1) {
      unwrittenBytes -= unwritten.removeFirst().length;
      droppedIntervals++;
      if (!warnedDropping) {
        AgentLog.info(
            "more than "
                + (maxUnwrittenBytes >> 10)
                + " KiB of snapshots wait to be written to "
                + file
                + ": dropping the oldest intervals (the next line written counts them in"
                + " agent.droppedIntervals)");
        warnedDropping = true;
      }
    }
  }

  /**
   * Writes the kept lines, oldest first, each with one write at the end of the last complete line.
   * A write that fails is cut off again (the file is truncated to its last complete line), so a
   * later line never continues a partial one; the line stays queued for the next interval.
   */
  private boolean writeKept() {
    int written = 0;
    try {
      java.io.File parent = file.getParent().toFile();
      // java.io, not Files.createDirectories: a short job's only snapshot is written at exit
      if (!parent.isDirectory() && !parent.mkdirs() && !parent.isDirectory()) {
        throw new IOException("cannot create directory " + parent);
      }
      try (java.io.RandomAccessFile out = opener.open(file.toFile())) {
        long length = out.length();
        if (partialLeft && length > complete) {
          out.setLength(complete); // the part of a line whose write failed and was not cut off
          length = complete;
        }
        partialLeft = false;
        if (length != complete) {
          // the first write; or the file was removed, or another JVM of the same name (pid 1 in
          // containers sharing a host name and a volume) wrote to it: go on after what is there,
          // on a line of its own
          complete = length;
          newLineFirst = length > 0 && endsWithoutNewline(out, length);
        }
        while (!unwritten.isEmpty()) {
          byte[] bytes = toWrite(unwritten.peekFirst());
          out.seek(complete);
          try {
            out.write(bytes, 0, bytes.length);
          } catch (IOException e) {
            try {
              out.setLength(complete);
            } catch (IOException | RuntimeException notNow) {
              partialLeft = true; // cut off before the next write instead
            }
            throw e;
          }
          complete += bytes.length;
          unwrittenBytes -= unwritten.removeFirst().length;
          droppedIntervals = 0;
          newLineFirst = false;
          written++;
        }
      }
      if (failedBefore) {
        AgentLog.info(
            "snapshots are written again to "
                + file
                + "; with the "
                + (written - 1)
                + " interval"
                + (written == 2 ? "" : "s")
                + " kept meanwhile");
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
                + "); the job goes on, the intervals are kept (up to "
                + (maxUnwrittenBytes >> 10)
                + " KiB) and written when it can be written again, retrying each interval");
        failedBefore = true;
      }
      return false;
    }
  }

  private static boolean endsWithoutNewline(java.io.RandomAccessFile f, long length)
      throws IOException {
    f.seek(length - 1);
    return f.read() != '\n';
  }

  /**
   * The line as it is written: after a newline when the file ends in a partial line not ours, and
   * with {@code "droppedIntervals":N} added to its {@code agent} object when intervals before it
   * were dropped. A line ends with the {@code agent} object: {@code ...}}\n}.
   */
  private byte[] toWrite(byte[] line) {
    int n = line.length;
    // "}}\n": the end of the agent object and of the line (buildLine writes the agent object last)
    int tail = n > 3 && line[n - 3] == '}' && line[n - 2] == '}' && line[n - 1] == '\n' ? 3 : 0;
    byte[] extra =
        droppedIntervals > 0 && tail > 0
            ? (",\"droppedIntervals\":" + droppedIntervals)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)
            : new byte[0];
    if (extra.length == 0 && !newLineFirst) {
      return line;
    }
    int first = newLineFirst ? 1 : 0;
    byte[] out = new byte[first + n + extra.length];
    if (newLineFirst) {
      out[0] = '\n';
    }
    System.arraycopy(line, 0, out, first, n - tail);
    System.arraycopy(extra, 0, out, first + n - tail, extra.length);
    System.arraycopy(line, n - tail, out, first + n - tail + extra.length, tail);
    return out;
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
      ResourceMonitor.Interval res = resources == null ? null : resources.interval();
      writeOperations(g);
      if (res != null) {
        writeResources(g, res);
      }
      g.writeObjectFieldStart("agent");
      g.writeNumberField("internalErrors", Core.takeInternalErrors());
      g.writeNumberField("droppedOperations", Nodes.takeDropped());
      long folded = dev.etlprofiler.core.OpRegistry.takeFolded();
      if (folded > 0) {
        g.writeNumberField("foldedNameCalls", folded);
      }
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
      int ticks = CallSampling.ticks(op);
      long calls = CallSampling.between(lastTicks[op], ticks);
      lastTicks[op] = ticks;
      int oneIn = CallSampling.takeOneIn(op);
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
    long[] counters = new long[Counter.count()];
    boolean anyCounter = false;
    for (int c = 0; c < counters.length; c++) {
      counters[c] = node.takeCounter(c);
      anyCounter |= counters[c] != 0;
    }
    Map<String, Long> errors = new LinkedHashMap<>();
    node.takeErrors(errors);
    long lagMax = dev.etlprofiler.core.kafka.KafkaCalls.takeLagMax(node);
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
    if (node.isAsync()) {
      g.writeBooleanField("async", true);
    }
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

  private static void writeResources(JsonLine g, ResourceMonitor.Interval r) throws IOException {
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
      for (ResourceMonitor.Gc gc : r.gc()) {
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
