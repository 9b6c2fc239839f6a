package dev.etlprofiler.agent.resources;

import dev.etlprofiler.core.Core;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples the process's resources on the agent's own thread: gauges (heap, RSS, threads) every
 * {@code resources.interval} to catch their peaks, counters (CPU, GC, disk, network) as deltas once
 * per snapshot interval. Not thread-safe: only the snapshot thread calls it.
 */
public final class ResourceMonitor {
  /** One interval's resource figures, as written to the snapshot. */
  public record Interval(
      int availableProcessors,
      long cpuNanos,
      long cpuUserNanos,
      long cpuSystemNanos,
      long heapUsedBytes,
      long heapUsedPeakBytes,
      long heapCommittedBytes,
      long heapMaxBytes,
      long rssBytes,
      long rssPeakBytes,
      int threads,
      int threadsPeak,
      List<Gc> gc,
      long diskReadBytes,
      long diskWriteBytes,
      long netRxBytes,
      long netTxBytes) {}

  /** One collector's collections and collection time in the interval. */
  public record Gc(String name, long count, long timeMillis) {}

  /**
   * Set up by {@link #startGc()}, after start-up: even the cheaper way to them ({@link GcBeans})
   * loads JMX classes that a job's start-up need not wait for. Until then GC figures are absent.
   */
  private volatile List<GarbageCollectorMXBean> collectors;

  /** For {@link GcBeans}; may be null. */
  private final java.lang.instrument.Instrumentation inst;

  /** Only where the process metrics give no CPU time (they do on Linux). */
  private java.lang.management.OperatingSystemMXBean os;

  private final ProcessMetrics process;
  private final ThreadGroup root = rootGroup();

  private long heapPeak;
  private long rssPeak = -1;
  private int threadsPeak;
  private final long[] last = new long[7];

  /** Per collector, in the order of {@link #collectors}: count and time at the last interval. */
  private long[][] lastGc;

  /**
   * @param inst for {@link GcBeans}; null falls back to {@code ManagementFactory}
   */
  public ResourceMonitor(String processMetrics, java.lang.instrument.Instrumentation inst) {
    this.inst = inst;
    this.process = choose(processMetrics);
    System.arraycopy(totals(), 0, last, 0, last.length);
  }

  /**
   * Sets up the GC beans (JMX); the agent thread calls it once start-up is over. The first interval
   * after it reports every collection since the JVM started.
   */
  public void startGc() {
    if (collectors == null) {
      collectors = GcBeans.load(inst);
    }
  }

  private static ThreadGroup rootGroup() {
    ThreadGroup g = Thread.currentThread().getThreadGroup();
    while (g.getParent() != null) {
      g = g.getParent();
    }
    return g;
  }

  private static ProcessMetrics choose(String mode) {
    boolean linux =
        System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    if ("proc".equals(mode) || ("auto".equals(mode) && linux && ProcMetrics.available())) {
      return new ProcMetrics();
    }
    try {
      return new OshiMetrics();
    } catch (Throwable t) {
      Core.internalError("OSHI process metrics (falling back to /proc or none)", t);
      return new ProcMetrics();
    }
  }

  /**
   * The process's CPU time in ns (user + system) from /proc/self/stat where there is one, else from
   * the JMX operating-system bean; -1 if neither is available. For the CPU-budget check.
   */
  public static long processCpuNanos() {
    long cpu = ProcMetrics.cpuNanos();
    if (cpu >= 0) {
      return cpu;
    }
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /** Live Java threads (the root thread group's estimate; no JMX). */
  private int threads() {
    return root.activeCount();
  }

  /** Takes a gauge sample (heap, RSS, threads) to track the interval's peaks. */
  public void sample() {
    Runtime rt = Runtime.getRuntime();
    heapPeak = Math.max(heapPeak, rt.totalMemory() - rt.freeMemory());
    threadsPeak = Math.max(threadsPeak, threads());
    process.refresh();
    rssPeak = Math.max(rssPeak, process.rssBytes());
  }

  /** Ends the interval: deltas of the counters since the last call, gauges now and their peaks. */
  public Interval interval() {
    sample();
    long[] now = totals();
    long[] delta = new long[now.length];
    for (int i = 0; i < now.length; i++) {
      delta[i] = now[i] < 0 || last[i] < 0 ? -1 : Math.max(0, now[i] - last[i]);
    }
    System.arraycopy(now, 0, last, 0, now.length);
    Runtime rt = Runtime.getRuntime();
    long total = rt.totalMemory();
    long used = total - rt.freeMemory();
    int liveThreads = threads();
    Interval interval =
        new Interval(
            rt.availableProcessors(),
            delta[0],
            delta[1],
            delta[2],
            used,
            Math.max(heapPeak, used),
            total,
            rt.maxMemory(),
            process.rssBytes(),
            Math.max(rssPeak, process.rssBytes()),
            liveThreads,
            Math.max(threadsPeak, liveThreads),
            gcDeltas(),
            delta[3],
            delta[4],
            delta[5],
            delta[6]);
    heapPeak = 0;
    rssPeak = -1;
    threadsPeak = 0;
    return interval;
  }

  private long[] totals() {
    process.refresh();
    long user = process.cpuUserNanos();
    long system = process.cpuSystemNanos();
    long cpu = user >= 0 && system >= 0 ? user + system : -1;
    if (cpu < 0) {
      if (os == null) {
        os = ManagementFactory.getOperatingSystemMXBean();
      }
      if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
        cpu = sun.getProcessCpuTime();
      }
    }
    return new long[] {
      cpu,
      user,
      system,
      process.diskReadBytes(),
      process.diskWriteBytes(),
      process.netRxBytes(),
      process.netTxBytes()
    };
  }

  /** Per-collector deltas; null before {@link #startGc()} (the snapshot then has no GC figures). */
  private List<Gc> gcDeltas() {
    List<GarbageCollectorMXBean> beans = collectors;
    if (beans == null) {
      return null;
    }
    List<Gc> out = new ArrayList<>();
    if (lastGc == null) {
      lastGc = new long[beans.size()][2];
    }
    // indexed, not a map with computeIfAbsent: see ProcMetrics on sharing JDK methods' profiles
    for (int i = 0; i < beans.size(); i++) {
      GarbageCollectorMXBean gc = beans.get(i);
      long count = Math.max(0, gc.getCollectionCount());
      long time = Math.max(0, gc.getCollectionTime());
      long[] prev = lastGc[i];
      out.add(new Gc(gc.getName(), count - prev[0], time - prev[1]));
      prev[0] = count;
      prev[1] = time;
    }
    return out;
  }
}
