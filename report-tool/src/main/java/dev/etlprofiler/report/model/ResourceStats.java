package dev.etlprofiler.report.model;

import java.util.Map;
import java.util.TreeMap;

/** The process resources of every JVM read: counters summed, peaks maxed. */
public final class ResourceStats {
  public long cpuNanos;
  public long cpuUserNanos;
  public long cpuSystemNanos;
  public long heapUsedPeakBytes;
  public long heapMaxBytes;
  public long rssPeakBytes = -1;
  public int threadsPeak;
  public int availableProcessors;
  public long diskReadBytes;
  public long diskWriteBytes;
  public long netRxBytes;
  public long netTxBytes;
  public boolean seen;

  /** Per collector: {collections, milliseconds}. */
  public final Map<String, long[]> gc = new TreeMap<>();

  public long gcMillis() {
    return gc.values().stream().mapToLong(v -> v[1]).sum();
  }

  public long gcCount() {
    return gc.values().stream().mapToLong(v -> v[0]).sum();
  }
}
