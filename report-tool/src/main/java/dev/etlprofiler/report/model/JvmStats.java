package dev.etlprofiler.report.model;

/** One snapshot file: one JVM of one run. */
public final class JvmStats {
  public final String file;
  public String runId;
  public String host;
  public long pid;
  public long startMillis = Long.MAX_VALUE;
  public long endMillis = Long.MIN_VALUE;
  public int lines;
  public boolean sawFinal;
  public int processors;

  public JvmStats(String file) {
    this.file = file;
  }

  public long wallMillis() {
    return lines == 0 ? 0 : Math.max(0, endMillis - startMillis);
  }
}
