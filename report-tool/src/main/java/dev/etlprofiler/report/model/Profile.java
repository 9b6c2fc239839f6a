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
    settled = false;
    return operations.computeIfAbsent(key, k -> new OperationStats(k.isAsyncKind()));
  }

  /**
   * Every operation, with sampled operations' estimated totals capped at what is possible (see
   * {@link #settleEstimates}).
   */
  public Map<OperationKey, OperationStats> operations() {
    long wall = jvmWallMillis();
    if (!settled || wall != settledWall || resources.threadsPeak != settledThreads) {
      settleEstimates();
      settled = true;
      settledWall = wall;
      settledThreads = resources.threadsPeak;
    }
    return operations;
  }

  private boolean settled;
  private long settledWall = -1;
  private int settledThreads = -1;

  /**
   * Caps the estimated totals of sampled operations at what is possible; measured totals stay as
   * they are. A synchronous child runs inside its parent's calls on the parent's thread, so the
   * sampled children of a parent share at most the parent's time less its measured synchronous
   * children's (in proportion to their estimates when together they would exceed it). A sampled
   * root can have taken at most the JVMs' wall time times the most threads alive at once. Parents
   * are settled before their children. Asynchronous operations are never capped: their calls
   * overlap.
   */
  private void settleEstimates() {
    operations.values().forEach(OperationStats::clearBound);
    Map<List<String>, List<Map.Entry<OperationKey, OperationStats>>> byParent =
        new LinkedHashMap<>();
    Map<List<String>, Long> pathTotal = new java.util.HashMap<>();
    for (Map.Entry<OperationKey, OperationStats> e : operations.entrySet()) {
      byParent.computeIfAbsent(e.getKey().parentPath(), k -> new ArrayList<>()).add(e);
    }
    long rootBound =
        resources.threadsPeak > 0
            ? jvmWallMillis() * 1_000_000L * resources.threadsPeak
            : Long.MAX_VALUE;
    List<List<String>> parents = new ArrayList<>(byParent.keySet());
    parents.sort(java.util.Comparator.comparingInt(List::size));
    for (List<String> parent : parents) {
      settleChildren(parent, byParent.get(parent), pathTotal, rootBound);
    }
  }

  private static void settleChildren(
      List<String> parent,
      List<Map.Entry<OperationKey, OperationStats>> children,
      Map<List<String>, Long> pathTotal,
      long rootBound) {
    if (parent.isEmpty()) {
      for (Map.Entry<OperationKey, OperationStats> c : children) {
        OperationStats s = c.getValue();
        if (s.sampled() && !s.async() && rootBound != Long.MAX_VALUE) {
          s.bound(rootBound, "the JVMs' wall time × the most threads alive at once");
        }
      }
    } else {
      Long parentTotal = pathTotal.get(parent);
      if (parentTotal != null) {
        long measured = 0;
        long estimated = 0;
        for (Map.Entry<OperationKey, OperationStats> c : children) {
          OperationStats s = c.getValue();
          if (s.async()) continue;
          if (s.sampled()) estimated += s.rawTotalNanos();
          else measured += s.totalNanos();
        }
        long room = Math.max(0, parentTotal - measured);
        if (estimated > room) {
          for (Map.Entry<OperationKey, OperationStats> c : children) {
            OperationStats s = c.getValue();
            if (s.sampled() && !s.async()) {
              s.bound(
                  Math.round((double) room * s.rawTotalNanos() / estimated),
                  "its parent's time less its measured siblings' (a synchronous call runs inside"
                      + " its parent's)");
            }
          }
        }
      }
    }
    for (Map.Entry<OperationKey, OperationStats> c : children) {
      if (!c.getValue().async()) {
        pathTotal.merge(c.getKey().path(), c.getValue().totalNanos(), Long::sum);
      }
    }
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

  /**
   * CPU time the JVMs could have used: each JVM's wall time × its CPUs (the resources' processors
   * when a JVM's own are unknown), summed. Process CPU time over this is at most 100 %, for one JVM
   * or a fleet.
   */
  public double cpuCapacityNanos() {
    double capacity = 0;
    for (JvmStats j : jvms.values()) {
      int cpus = j.processors > 0 ? j.processors : resources.availableProcessors;
      capacity += j.wallMillis() * 1e6 * Math.max(1, cpus);
    }
    return capacity;
  }

  public int intervals() {
    return jvms.values().stream().mapToInt(j -> j.lines).sum();
  }
}
