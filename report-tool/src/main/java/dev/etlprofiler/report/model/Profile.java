package dev.etlprofiler.report.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Everything read from a set of snapshot files, merged. */
public final class Profile {
  private final Map<OperationKey, OperationStats> operations = new LinkedHashMap<>();
  private final Map<String, JvmStats> jvms = new LinkedHashMap<>();
  private final ResourceStats resources = new ResourceStats();
  private final List<String> warnings = new ArrayList<>();
  private final TimeSeries series = new TimeSeries();

  /** Resource use and records over time since each JVM's start. */
  public TimeSeries series() {
    return series;
  }

  /** The operation's figures, created on first use (marked asynchronous when its kind is). */
  public OperationStats operation(OperationKey key) {
    return operations.computeIfAbsent(key, k -> new OperationStats(k.isAsyncKind()));
  }

  public Map<OperationKey, OperationStats> operations() {
    return operations;
  }

  public JvmStats jvm(String file) {
    return jvms.computeIfAbsent(file, JvmStats::new);
  }

  public Map<String, JvmStats> jvms() {
    return jvms;
  }

  public ResourceStats resources() {
    return resources;
  }

  public List<String> warnings() {
    return warnings;
  }

  public TreeSet<String> runIds() {
    TreeSet<String> ids = new TreeSet<>();
    jvms.values()
        .forEach(
            j -> {
              if (j.runId != null) ids.add(j.runId);
            });
    return ids;
  }

  /** Wall time of each run: its longest JVM. */
  public Map<String, Long> runWallMillis() {
    Map<String, Long> walls = new LinkedHashMap<>();
    for (JvmStats j : jvms.values()) {
      if (j.runId != null) walls.merge(j.runId, j.wallMillis(), Math::max);
    }
    return walls;
  }

  /** Wall time summed over runs. */
  public long wallMillis() {
    return runWallMillis().values().stream().mapToLong(Long::longValue).sum();
  }

  /** JVM wall time summed over every JVM (the denominator of an operation's share of wall). */
  public long jvmWallMillis() {
    return jvms.values().stream().mapToLong(JvmStats::wallMillis).sum();
  }

  public int intervals() {
    return jvms.values().stream().mapToInt(j -> j.lines).sum();
  }
}
