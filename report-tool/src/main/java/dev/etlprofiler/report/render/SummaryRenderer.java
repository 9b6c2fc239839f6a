package dev.etlprofiler.report.render;

import dev.etlprofiler.report.model.JvmStats;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.model.ResourceStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code summary} command's text: per session, the call tree of operations with calls, errors,
 * latency percentiles, total time, share of wall time and throughput; then resources.
 */
public final class SummaryRenderer {
  private static final int NAME = 60;
  private static final String ROW = "%-60s %9s %9s %7s %9s %9s %9s %9s %9s %7s %10s %10s%n";

  public String render(Profile p) {
    StringBuilder out = new StringBuilder();
    long wallMillis = p.wallMillis();
    out.append(
        String.format(
            "ETL Cost Profiler summary: %d run(s), %d JVM(s), %d snapshot file(s), %d interval(s); wall %s%n",
            p.runIds().size(),
            p.jvms().size(),
            p.jvms().size(),
            p.intervals(),
            Units.nanos(wallMillis * 1_000_000)));
    out.append("runs: ").append(String.join(", ", p.runIds())).append('\n');
    for (JvmStats j : p.jvms().values()) {
      if (!j.sawFinal) {
        out.append("note: ")
            .append(j.file)
            .append(" has no final snapshot (the JVM was killed or is still running)\n");
      }
    }
    Map<String, List<Map.Entry<OperationKey, OperationStats>>> bySession = new LinkedHashMap<>();
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      String session = e.getKey().session() == null ? "(no session)" : e.getKey().session();
      bySession.computeIfAbsent(session, k -> new ArrayList<>()).add(e);
    }
    long jvmWallNanos = p.jvmWallMillis() * 1_000_000;
    for (Map.Entry<String, List<Map.Entry<OperationKey, OperationStats>>> s :
        bySession.entrySet()) {
      out.append('\n').append("session ").append(s.getKey()).append('\n');
      out.append(
          String.format(
              ROW,
              "operation",
              "calls",
              "records",
              "errors",
              "p50",
              "p95",
              "p99",
              "max",
              "total",
              "%wall",
              "records/s",
              "bytes/s"));
      List<Map.Entry<OperationKey, OperationStats>> ordered = treeOrder(s.getValue());
      java.util.Set<List<String>> paths = new java.util.HashSet<>();
      ordered.forEach(e -> paths.add(e.getKey().path()));
      Map<List<String>, Integer> indent = new java.util.HashMap<>();
      for (Map.Entry<OperationKey, OperationStats> e : ordered) {
        List<String> path = e.getKey().path();
        List<String> parent = path.subList(0, path.size() - 1);
        boolean groupRoot = !paths.contains(parent);
        int level = groupRoot ? 0 : indent.getOrDefault(parent, 0) + 1;
        indent.put(path, level);
        // an operation whose parent ran outside this session shows where it ran
        String label =
            groupRoot && !parent.isEmpty() ? String.join(" > ", path) : e.getKey().name();
        out.append(row(label, level, e.getKey(), e.getValue(), jvmWallNanos));
      }
    }
    boolean overlapping =
        jvmWallNanos > 0
            && p.operations().values().stream()
                .anyMatch(s -> s.async() || s.totalNanos() > jvmWallNanos);
    if (overlapping) {
      out.append('\n').append(OVERLAP_NOTE);
    }
    out.append('\n').append(resources(p.resources(), wallMillis, p));
    boolean sampled = p.operations().values().stream().anyMatch(OperationStats::sampled);
    if (sampled) {
      out.append(
              "\n* sampled: the operation was hot, so only some calls were timed (overhead.cpu-budget);"
                  + " calls and total\n  time are estimates (calls × the timed calls' mean),"
                  + " percentiles come from the timed calls:\n")
          .append(sampledNotes(p));
    }
    return out.toString();
  }

  /** One line per sampled operation: calls timed, the estimate, its interval, and any cap. */
  static String sampledNotes(Profile p) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<OperationKey, OperationStats> e : Rows.operations(p)) {
      OperationStats s = e.getValue();
      if (!s.sampled()) continue;
      long[] ci = s.rawTotalInterval();
      out.append("  ")
          .append(e.getKey().label())
          .append(": ")
          .append(s.timedCalls())
          .append(" of ")
          .append(s.calls())
          .append(" calls timed; estimated ")
          .append(Units.nanos(s.rawTotalNanos()))
          .append(" (95 % interval ")
          .append(Units.nanos(ci[0]))
          .append(" … ")
          .append(Units.nanos(ci[1]))
          .append(")");
      if (s.capped()) {
        out.append(", more than is possible: capped at ")
            .append(Units.nanos(s.totalNanos()))
            .append(", ")
            .append(s.capReason());
      }
      out.append('\n');
    }
    return out.toString();
  }

  static final String OVERLAP_NOTE =
      "×N in %wall: the operation's calls overlap, so its time is not a share of the wall time:"
          + " asynchronous calls\n"
          + "  (kafka-send, or marked async) are timed from start to completion while the caller"
          + " goes on, and other\n"
          + "  operations may run on several threads at once. N = its time / the wall time, the"
          + " mean number in flight.\n";

  /**
   * An operation's time against the wall time: a share (never above 100 %) for a synchronous
   * operation whose time fits in the wall time, otherwise "×N", the mean number of its calls in
   * flight (an asynchronous operation always); "-" without a wall time.
   */
  static String wallColumn(OperationStats s, long jvmWallNanos) {
    if (jvmWallNanos <= 0) return "-";
    double ratio = (double) s.totalNanos() / jvmWallNanos;
    return s.async() || ratio > 1 ? "×" + Units.fmt(ratio) : Units.percent(ratio);
  }

  private static String row(
      String label, int level, OperationKey key, OperationStats s, long jvmWallNanos) {
    String indent = "  ".repeat(level);
    String suffix =
        (s.sampled() ? " *" : "") + ("method".equals(key.kind()) ? "" : " [" + key.kind() + "]");
    String name =
        indent
            + truncateMiddle(label, Math.max(8, NAME - indent.length() - suffix.length()))
            + suffix;
    double seconds = s.totalNanos() / 1e9;
    // a node with counters only (a kafka-topic child of a poll): no calls or time of its own
    boolean untimed = s.calls() == 0 && s.timedCalls() == 0;
    long records = s.counter("records");
    long bytes = s.counter("bytes");
    return String.format(
        ROW,
        name,
        untimed ? "-" : String.valueOf(s.calls()),
        records > 0 ? String.valueOf(records) : "-",
        s.errorCount(),
        Units.nanos(s.percentile(50)),
        Units.nanos(s.percentile(95)),
        Units.nanos(s.percentile(99)),
        Units.nanos(s.timedCalls() > 0 ? s.maxNanos() : -1),
        untimed ? "-" : Units.nanos(s.totalNanos()),
        untimed ? "-" : wallColumn(s, jvmWallNanos),
        records > 0 && seconds > 0 && !s.async() ? Units.rate(records / seconds) : "-",
        bytes > 0 && seconds > 0 && !s.async() ? Units.bytes(Math.round(bytes / seconds)) : "-");
  }

  /**
   * A name shortened to {@code n} characters by cutting its middle: the start and the end of an
   * operation's name (a topic's version, a path's last segment) tell rows apart; the kind tag and
   * the sampled mark are added after it, never cut.
   */
  static String truncateMiddle(String s, int n) {
    if (s.length() <= n) return s;
    int tail = (n - 1) / 2;
    int head = n - 1 - tail;
    return s.substring(0, head) + "…" + s.substring(s.length() - tail);
  }

  /**
   * Depth-first by path, siblings by total time (longest first). The roots are the entries whose
   * parent is not among them (in a session, the operations called from outside it).
   */
  static List<Map.Entry<OperationKey, OperationStats>> treeOrder(
      List<Map.Entry<OperationKey, OperationStats>> entries) {
    java.util.Set<List<String>> paths = new java.util.HashSet<>();
    entries.forEach(e -> paths.add(e.getKey().path()));
    List<Map.Entry<OperationKey, OperationStats>> roots = new ArrayList<>();
    for (Map.Entry<OperationKey, OperationStats> e : entries) {
      List<String> path = e.getKey().path();
      if (!paths.contains(path.subList(0, path.size() - 1))) {
        roots.add(e);
      }
    }
    List<Map.Entry<OperationKey, OperationStats>> out = new ArrayList<>();
    for (Map.Entry<OperationKey, OperationStats> root : byTotalDescending(roots)) {
      out.add(root);
      addChildren(root.getKey().path(), entries, out);
    }
    return out;
  }

  private static List<Map.Entry<OperationKey, OperationStats>> byTotalDescending(
      List<Map.Entry<OperationKey, OperationStats>> list) {
    List<Map.Entry<OperationKey, OperationStats>> sorted = new ArrayList<>(list);
    sorted.sort(
        Comparator.comparingLong(
                (Map.Entry<OperationKey, OperationStats> e) -> e.getValue().totalNanos())
            .reversed()
            .thenComparing(e -> String.join("/", e.getKey().path())));
    return sorted;
  }

  private static void addChildren(
      List<String> parent,
      List<Map.Entry<OperationKey, OperationStats>> all,
      List<Map.Entry<OperationKey, OperationStats>> out) {
    List<Map.Entry<OperationKey, OperationStats>> children = new ArrayList<>();
    for (Map.Entry<OperationKey, OperationStats> e : all) {
      List<String> path = e.getKey().path();
      if (path.size() == parent.size() + 1
          && Objects.equals(path.subList(0, parent.size()), parent)) {
        children.add(e);
      }
    }
    for (Map.Entry<OperationKey, OperationStats> c : byTotalDescending(children)) {
      out.add(c);
      addChildren(c.getKey().path(), all, out);
    }
  }

  /** The resource lines of the summary, for other renderers. */
  static String resourcesText(Profile p) {
    return resources(p.resources(), p.wallMillis(), p);
  }

  private static String resources(ResourceStats r, long wallMillis, Profile p) {
    if (!r.seen) {
      return "resources: none recorded (resources.enabled was false)\n";
    }
    StringBuilder out = new StringBuilder("resources\n");
    double cpuCapacity = p.cpuCapacityNanos();
    int jvms = p.jvms().size();
    out.append(
        String.format(
            "  CPU      %s (user %s, system %s) = %s of %d CPU(s)%s%n",
            Units.nanos(r.cpuNanos),
            Units.nanos(r.cpuUserNanos),
            Units.nanos(r.cpuSystemNanos),
            cpuCapacity > 0 ? Units.percent(r.cpuNanos / cpuCapacity) : "-",
            r.availableProcessors,
            jvms > 1
                ? " in each of " + jvms + " JVM(s) over their wall time"
                : " over the wall time"));
    out.append(
        String.format(
            "  heap     peak %s of %s max%s%n",
            Units.bytes(r.heapUsedPeakBytes),
            r.heapMaxBytes > 0 ? Units.bytes(r.heapMaxBytes) : "unbounded",
            r.heapMaxBytes > 0
                ? " (" + Units.percent((double) r.heapUsedPeakBytes / r.heapMaxBytes) + ")"
                : ""));
    long jvmWall = p.jvmWallMillis();
    out.append(
        String.format(
            "  GC       %d collection(s), %s = %s%n",
            r.gcCount(),
            Units.nanos(r.gcMillis() * 1_000_000),
            jvmWall <= 0
                ? "- of wall time"
                : r.gcMillis() > jvmWall
                    // concurrent collectors report time spent beside the job, not pauses
                    ? "×"
                        + Units.fmt((double) r.gcMillis() / jvmWall)
                        + " the wall time (concurrent)"
                    : Units.percent((double) r.gcMillis() / jvmWall) + " of wall time"));
    for (Map.Entry<String, long[]> gc : r.gc.entrySet()) {
      if (gc.getValue()[0] > 0) {
        out.append(
            String.format(
                "           %s: %d, %s%n",
                gc.getKey(), gc.getValue()[0], Units.nanos(gc.getValue()[1] * 1_000_000)));
      }
    }
    out.append(String.format("  RSS      peak %s%n", Units.bytes(r.rssPeakBytes)));
    out.append(String.format("  threads  peak %d%n", r.threadsPeak));
    out.append(
        String.format(
            "  disk     read %s, written %s%n",
            Units.bytes(r.diskReadBytes), Units.bytes(r.diskWriteBytes)));
    out.append(
        String.format(
            "  network  received %s, sent %s (host interfaces, loopback excluded)%n",
            Units.bytes(r.netRxBytes), Units.bytes(r.netTxBytes)));
    return out.toString();
  }
}
