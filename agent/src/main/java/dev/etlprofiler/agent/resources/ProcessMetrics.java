package dev.etlprofiler.agent.resources;

/**
 * Process figures the JVM's management beans do not give. Totals since process start; -1 when the
 * platform cannot tell.
 */
public interface ProcessMetrics {
  long cpuUserNanos();

  long cpuSystemNanos();

  long rssBytes();

  long diskReadBytes();

  long diskWriteBytes();

  /** Bytes received by the host's non-loopback interfaces. */
  long netRxBytes();

  /** Bytes sent by the host's non-loopback interfaces. */
  long netTxBytes();

  /** Re-reads the underlying sources; the getters return what this read. */
  void refresh();
}
