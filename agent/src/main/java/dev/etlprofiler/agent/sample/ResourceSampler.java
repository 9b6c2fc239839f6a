package dev.etlprofiler.agent.sample;

import dev.etlprofiler.core.Core;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the process's resources on the agent's own thread: gauges (heap, RSS, threads) every
 * {@code resources.interval} to catch their peaks, counters (CPU, GC, disk, network) as deltas
 * once per snapshot interval. Not thread-safe: only the snapshot thread calls it.
 */
public final class ResourceSampler {
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

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
  private final ProcessMetrics process;

  private long heapPeak;
  private long rssPeak = -1;
  private int threadsPeak;
  private final long[] last = new long[7];
  private final Map<String, long[]> lastGc = new HashMap<>();

  public ResourceSampler(String processMetrics) {
    this.process = choose(processMetrics);
    System.arraycopy(totals(), 0, last, 0, last.length);
    for (GarbageCollectorMXBean gc : collectors) {
      lastGc.put(gc.getName(), new long[] {Math.max(0, gc.getCollectionCount()), Math.max(0, gc.getCollectionTime())});
    }
  }

  private static ProcessMetrics choose(String mode) {
    boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
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

  /** Takes a gauge sample (heap, RSS, threads) to track the interval's peaks. */
  public void sample() {
    MemoryUsage heap = memory.getHeapMemoryUsage();
    heapPeak = Math.max(heapPeak, heap.getUsed());
    threadsPeak = Math.max(threadsPeak, threads.getThreadCount());
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
    MemoryUsage heap = memory.getHeapMemoryUsage();
    Interval interval = new Interval(
        Runtime.getRuntime().availableProcessors(),
        delta[0], delta[1], delta[2],
        heap.getUsed(), Math.max(heapPeak, heap.getUsed()), heap.getCommitted(), heap.getMax(),
        process.rssBytes(), rssPeak,
        threads.getThreadCount(), threadsPeak,
        gcDeltas(),
        delta[3], delta[4], delta[5], delta[6]);
    heapPeak = 0;
    rssPeak = -1;
    threadsPeak = 0;
    return interval;
  }

  private long[] totals() {
    process.refresh();
    long cpu = -1;
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      cpu = sun.getProcessCpuTime();
    }
    return new long[] {
      cpu, process.cpuUserNanos(), process.cpuSystemNanos(),
      process.diskReadBytes(), process.diskWriteBytes(), process.netRxBytes(), process.netTxBytes()
    };
  }

  private List<Gc> gcDeltas() {
    List<Gc> out = new ArrayList<>();
    for (GarbageCollectorMXBean gc : collectors) {
      long count = Math.max(0, gc.getCollectionCount());
      long time = Math.max(0, gc.getCollectionTime());
      long[] prev = lastGc.computeIfAbsent(gc.getName(), k -> new long[2]);
      out.add(new Gc(gc.getName(), count - prev[0], time - prev[1]));
      prev[0] = count;
      prev[1] = time;
    }
    return out;
  }
}
