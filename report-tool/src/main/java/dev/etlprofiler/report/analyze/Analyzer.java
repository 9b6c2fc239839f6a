package dev.etlprofiler.report.analyze;

import dev.etlprofiler.report.analyze.Finding.Severity;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.model.ResourceStats;
import dev.etlprofiler.report.render.Units;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis rules (docs/analysis.md). Pure: a profile and thresholds in, findings out, most
 * serious first. Each finding carries the numbers that triggered it and a concrete change.
 */
public final class Analyzer {
  /** Every kind of client-call node. */
  private static final List<String> CLIENT_KINDS = OperationKey.CLIENT_KINDS;

  /**
   * Hosts of cloud-metadata services, which SDKs and frameworks probe on start-up to learn which
   * cloud they run on (AWS, Azure, GCP, OpenStack: 169.254.169.254 and fd00:ec2::254; GCP:
   * metadata.google.internal; Alibaba Cloud: 100.100.100.200). Off that cloud the probes fail by
   * design.
   */
  private static final List<String> METADATA_HOSTS =
      List.of(
          "169.254.169.254",
          "[fd00:ec2::254]",
          "metadata.google.internal",
          "metadata",
          "100.100.100.200");

  /**
   * Client calls the calling thread waits for. Not {@code kafka-send}: it is timed from send to the
   * broker's acknowledgement while the caller goes on, so its time overlaps the caller's.
   */
  private static final List<String> BLOCKING_KINDS =
      List.of("http", "jdbc", "kafka-poll", "kafka-commit");

  /**
   * Client calls where one call per record is a finding. Not Kafka sends and polls: the producer
   * batches sends itself, and a poll hands out many records.
   */
  private static final List<String> PER_CALL_KINDS = List.of("http", "jdbc", "kafka-commit");

  private final Thresholds t;

  public Analyzer(Thresholds thresholds) {
    this.t = thresholds;
  }

  public List<Finding> analyze(Profile p) {
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      OperationKey key = e.getKey();
      OperationStats s = e.getValue();
      errorRate(key, s, out);
      retryRate(key, s, out);
      throughput(key, s, out);
      slowAndTail(key, s, out);
      perRecordCalls(key, s, p, out);
      dominantStage(key, s, p, out);
      waitingOnClients(key, s, p, out);
      unbatchedJdbc(key, s, out);
    }
    resources(p, out);
    heapGrowth(p, out);
    out.sort(
        Comparator.comparing(Finding::severity)
            .reversed()
            .thenComparing(Finding::rule)
            .thenComparing(Finding::subject));
    return out;
  }

  private static Map<String, String> evidence(Object... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(String.valueOf(pairs[i]), String.valueOf(pairs[i + 1]));
    }
    return m;
  }

  void errorRate(OperationKey key, OperationStats s, List<Finding> out) {
    long errors = s.errorCount();
    if (s.calls() == 0 || errors == 0) return;
    double rate = (double) errors / s.calls();
    if (rate < t.get("error-rate-warning")) return;
    Severity severity = rate >= t.get("error-rate-critical") ? Severity.CRITICAL : Severity.WARNING;
    Map.Entry<String, Long> top =
        s.errors().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    Map<String, String> evidence =
        evidence(
            "calls",
            s.calls(),
            "errors",
            errors,
            "error rate",
            Units.percent(rate),
            "most frequent",
            top.getKey() + " (" + top.getValue() + ")");
    if (key.isClient() && s.counter("retries") > 0) {
      // the agent's inferred retries (see retryRate): shown for what they are
      evidence.put(
          "calls right after a failed call to the same endpoint",
          String.valueOf(s.counter("retries")));
    }
    if (metadataProbe(key)) {
      out.add(
          new Finding(
              "error-rate",
              Severity.INFO,
              key.label(),
              key.name()
                  + " fails "
                  + Units.percent(rate)
                  + " of its calls: a cloud-metadata probe",
              evidence,
              "SDKs and frameworks ask the cloud's metadata service on start-up which cloud they run"
                  + " on; off that cloud the probe fails, as it should. Nothing to fix, unless the"
                  + " probes' time-outs delay the start: then turn the detection off in the SDK's"
                  + " configuration."));
      return;
    }
    out.add(
        new Finding(
            "error-rate",
            severity,
            key.label(),
            key.name() + " fails " + Units.percent(rate) + " of its calls",
            evidence,
            "Look at "
                + top.getKey()
                + " first. If it is transient (a timeout, a 5xx, a lost connection), retry "
                + "with exponential backoff and jitter and a retry budget; if it is bad input, validate before this "
                + "stage and send rejected records to a dead-letter output instead of throwing."));
  }

  /** An HTTP call to a cloud-metadata service ({@link #METADATA_HOSTS}). */
  static boolean metadataProbe(OperationKey key) {
    if (!"http".equals(key.kind())) return false;
    String host = target(key);
    int scheme = host.indexOf("://");
    if (scheme >= 0) host = host.substring(scheme + 3);
    int port = host.lastIndexOf(':');
    if (port > host.lastIndexOf(']')) host = host.substring(0, port);
    return METADATA_HOSTS.contains(host);
  }

  /**
   * Retries: the same request repeated, by the client or the application's retry loop, for the same
   * logical call. Only a {@code retries} counter the application counted (through the API, on its
   * own operations) is a finding. On client calls the agent infers retries (a call to the same
   * endpoint right after one that failed), which cannot tell a retry from an independent call after
   * a failure: ten independent calls to an endpoint that is down read as nine retries. Those are
   * evidence of the error-rate finding, not a finding of their own.
   */
  void retryRate(OperationKey key, OperationStats s, List<Finding> out) {
    long retries = s.counter("retries");
    long attempts = Math.max(s.calls(), s.counter("apiCalls"));
    if (retries == 0 || attempts == 0 || key.isClient()) return;
    double rate = (double) retries / attempts;
    if (rate < t.get("retry-rate-warning")) return;
    out.add(
        new Finding(
            "retry-rate",
            Severity.WARNING,
            key.label(),
            key.name()
                + ": "
                + retries
                + " of its "
                + attempts
                + " calls were retries ("
                + Units.percent(rate)
                + ")",
            evidence("calls", attempts, "retries", retries, "retry rate", Units.percent(rate)),
            "Retries cost time and, on paid APIs, money: back off exponentially with jitter, respect the "
                + "server's Retry-After, and reuse pooled connections so retries do not open new ones."));
  }

  /**
   * Records per second of the operation's own time. Not for asynchronous calls: their time is time
   * in flight, overlapping, and records over it are no rate.
   */
  void throughput(OperationKey key, OperationStats s, List<Finding> out) {
    long records = s.counter("records");
    if (records == 0 || s.totalNanos() == 0 || s.async()) return;
    double perSecond = records / (s.totalNanos() / 1e9);
    if (perSecond >= t.get("min-records-per-second")) return;
    out.add(
        new Finding(
            "low-throughput",
            Severity.WARNING,
            key.label(),
            key.name() + " processes " + Units.rate(perSecond) + " records/s",
            evidence(
                "records",
                records,
                "time",
                Units.nanos(s.totalNanos()),
                "records/s",
                Units.rate(perSecond),
                "threshold",
                Units.rate(t.get("min-records-per-second"))),
            "Process bigger batches per call, and run independent partitions in parallel (a bounded thread "
                + "pool or the framework's parallelism) if the stage is waiting rather than computing."));
  }

  void slowAndTail(OperationKey key, OperationStats s, List<Finding> out) {
    if (s.timedCalls() < 20) return;
    long p50 = s.percentile(50);
    long p99 = s.percentile(99);
    if (p99 > t.get("slow-p99-ms") * 1e6) {
      out.add(
          new Finding(
              "slow-p99",
              Severity.WARNING,
              key.label(),
              key.name() + " has a p99 of " + Units.nanos(p99),
              evidence(
                  "calls",
                  s.calls(),
                  "p50",
                  Units.nanos(p50),
                  "p99",
                  Units.nanos(p99),
                  "threshold",
                  Units.nanos(Math.round(t.get("slow-p99-ms") * 1e6))),
              "Set a timeout below the p99 you can accept, cache repeated lookups, and call slow "
                  + "dependencies concurrently instead of one after the other."));
    }
    if (p50 > 0
        && p99 > t.get("tail-min-p99-ms") * 1e6
        && (double) p99 / p50 >= t.get("tail-ratio")) {
      out.add(
          new Finding(
              "tail-latency",
              Severity.WARNING,
              key.label(),
              key.name() + "'s p99 is " + Math.round((double) p99 / p50) + "× its p50",
              evidence(
                  "p50",
                  Units.nanos(p50),
                  "p99",
                  Units.nanos(p99),
                  "max",
                  Units.nanos(s.maxNanos()),
                  "p99/p50",
                  String.format(java.util.Locale.ROOT, "%.1f", (double) p99 / p50)),
              key.isClient()
                  ? "A long tail on a client call usually means connection set-up, a slow or"
                      + " overloaded server, or GC pauses. Pool and reuse connections, set a"
                      + " timeout below the p99 you can accept, and compare with the GC figures."
                  : "A long tail on a stage usually means occasional pauses: GC, lock contention,"
                      + " waiting for a CPU, or a few inputs much larger than the rest. Compare with"
                      + " the GC figures, and look at the stage's client calls, if it makes"
                      + " any, for the waits."));
    }
  }

  /**
   * One remote call per record: the N+1 pattern. Judged by the median call, so that one slow first
   * call (opening a file, a connection) does not make a fast operation look expensive; not for JDBC
   * statements that are already executed in batches.
   */
  void perRecordCalls(OperationKey key, OperationStats s, Profile p, List<Finding> out) {
    if (s.calls() < t.get("per-record-calls-min") || s.calls() == 0) return;
    long mean = s.totalNanos() / s.calls();
    long median = s.percentile(50);
    if (median < t.get("per-record-mean-ms") * 1e6) return;
    if (CLIENT_KINDS.contains(key.kind()) && !PER_CALL_KINDS.contains(key.kind())) return;
    if ("jdbc".equals(key.kind()) && meanBatch(s) > 1) return;
    boolean client = PER_CALL_KINDS.contains(key.kind());
    long recordCalls = maxSiblingCalls(key, p);
    boolean perRecord =
        recordCalls > 0 && Math.abs(s.calls() - recordCalls) <= Math.max(1, recordCalls / 100);
    if (!client && !perRecord) return;
    // asynchronous calls overlap: their time in flight is not time the job would save
    long saving =
        s.async() ? -1 : Math.round(Math.min(s.totalNanos(), median * s.calls()) * (1 - 1 / 100.0));
    out.add(
        new Finding(
            "per-record-call",
            Severity.WARNING,
            key.label(),
            key.name()
                + " is called once per record ("
                + s.calls()
                + " calls, "
                + Units.nanos(median)
                + " each at the median)",
            perRecordEvidence(s, recordCalls, median, mean, saving),
            "Batch: send many records per call (a bulk endpoint, a JDBC batch, a larger poll), or cache "
                + "results for repeated keys; with a per-call price this also cuts the API bill."));
  }

  private static Map<String, String> perRecordEvidence(
      OperationStats s, long recordCalls, long median, long mean, long saving) {
    Map<String, String> e = evidence("calls", s.calls());
    if (recordCalls > 0) {
      e.put("records handled by the busiest sibling stage", String.valueOf(recordCalls));
    }
    e.put("median per call", Units.nanos(median));
    e.put("mean per call", Units.nanos(mean));
    if (saving < 0) {
      e.put("in flight", Units.nanos(s.totalNanos()) + " (asynchronous calls, overlapping)");
    } else {
      e.put("total", Units.nanos(s.totalNanos()));
      e.put(
          "time saved if 100 records went per call (at the median call's cost)",
          "up to " + Units.nanos(saving));
    }
    return e;
  }

  private static long maxSiblingCalls(OperationKey key, Profile p) {
    long max = 0;
    List<String> parent = key.path().subList(0, key.path().size() - 1);
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      List<String> path = e.getKey().path();
      if (!e.getKey().equals(key)
          && path.size() == key.path().size()
          && path.subList(0, parent.size()).equals(parent)
          && "method".equals(e.getKey().kind())) {
        max = Math.max(max, e.getValue().calls());
      }
    }
    return max;
  }

  /**
   * A stage that takes most of its parent's time. Asynchronous calls are neither stages nor
   * siblings here: their time in flight overlaps the parent's.
   */
  void dominantStage(OperationKey key, OperationStats s, Profile p, List<Finding> out) {
    if (key.path().size() < 2 || s.async()) return;
    List<String> parentPath = key.path().subList(0, key.path().size() - 1);
    long parentTotal = 0;
    int siblings = 0;
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      List<String> path = e.getKey().path();
      if (path.equals(parentPath)) {
        parentTotal = Math.max(parentTotal, e.getValue().totalNanos());
      } else if (path.size() == key.path().size()
          && path.subList(0, parentPath.size()).equals(parentPath)
          && !e.getValue().async()) {
        siblings++;
      }
    }
    if (parentTotal == 0 || siblings < 3) return; // siblings counts the stage itself
    double share = (double) s.totalNanos() / parentTotal;
    // more time than its parent: it ran on several threads at once, and is no share of it
    if (share < t.get("dominant-stage-share") || share > 1) return;
    out.add(
        new Finding(
            "dominant-stage",
            Severity.WARNING,
            key.label(),
            key.name()
                + " takes "
                + Units.percent(share)
                + " of "
                + parentPath.get(parentPath.size() - 1),
            evidence(
                "stage time",
                Units.nanos(s.totalNanos()),
                "parent time",
                Units.nanos(parentTotal),
                "share of the parent",
                Units.percent(share),
                "stages under the parent",
                siblings),
            "This stage is where the time goes: optimise it first. If it waits on I/O, overlap the waits "
                + "(batching, async calls or a bounded pool); if it computes, profile its CPU."));
  }

  /** A stage whose time goes mostly to client calls (HTTP, JDBC, Kafka) it makes. */
  void waitingOnClients(OperationKey key, OperationStats s, Profile p, List<Finding> out) {
    if (CLIENT_KINDS.contains(key.kind()) || s.totalNanos() == 0) return;
    long clientNanos = 0;
    Map<String, Long> byTarget = new LinkedHashMap<>();
    Map<String, long[]> batches = new LinkedHashMap<>(); // target → {executions, statements}
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      List<String> path = e.getKey().path();
      if (BLOCKING_KINDS.contains(e.getKey().kind())
          && !e.getValue().async()
          && path.size() == key.path().size() + 1
          && path.subList(0, key.path().size()).equals(key.path())
          && java.util.Objects.equals(e.getKey().dataset(), key.dataset())) {
        clientNanos += e.getValue().totalNanos();
        byTarget.merge(target(e.getKey()), e.getValue().totalNanos(), Long::sum);
        if ("jdbc".equals(e.getKey().kind())) {
          long[] b = batches.computeIfAbsent(target(e.getKey()), k -> new long[2]);
          b[0] += e.getValue().calls();
          b[1] += e.getValue().counter("batchedStatements");
        }
      }
    }
    double share = (double) clientNanos / s.totalNanos();
    if (clientNanos == 0 || share < t.get("client-wait-share")) return;
    String top =
        byTarget.entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElse("?");
    out.add(
        new Finding(
            "waiting-on-clients",
            Severity.WARNING,
            key.label(),
            share > 1
                // more time in its client calls than its own: they ran on several threads
                ? key.name()
                    + " waits on client calls made in parallel: "
                    + Units.fmt(share)
                    + "× its own time, most to "
                    + top
                : key.name()
                    + " spends "
                    + Units.percent(share)
                    + " of its time in client calls, most to "
                    + top,
            evidence(
                "stage time",
                Units.nanos(s.totalNanos()),
                "in client calls",
                Units.nanos(clientNanos),
                share > 1 ? "client calls over the stage's time" : "share in client calls",
                share > 1 ? "×" + Units.fmt(share) : Units.percent(share),
                "most time to",
                top),
            waitingRecommendation(top, batches.get(top))));
  }

  /** What to do about the waits on a target: batching only where the calls are not batched. */
  private static String waitingRecommendation(String target, long[] jdbcBatches) {
    if (jdbcBatches != null && jdbcBatches[0] > 0 && jdbcBatches[1] > jdbcBatches[0]) {
      return "The stage waits on "
          + target
          + ", already batched ("
          + Units.fmt((double) jdbcBatches[1] / jdbcBatches[0])
          + " statements per execution): the time is the database's. Check its indexes, locks"
          + " and constraints on the table, commit per batch rather than per row, and use the"
          + " database's bulk load (COPY, LOAD DATA) for large loads.";
    }
    return "The stage waits on "
        + target
        + ": batch the calls, reuse pooled connections, and overlap independent "
        + "calls (async or a bounded pool) instead of making them one after the other.";
  }

  /** The host of an HTTP endpoint name, or the table of a JDBC name. */
  private static String target(OperationKey key) {
    String name = key.name();
    if ("http".equals(key.kind())) {
      int scheme = name.indexOf("://");
      int end = scheme < 0 ? -1 : name.indexOf('/', scheme + 3);
      return scheme < 0
          ? name
          : name.substring(name.indexOf(' ') + 1, end < 0 ? name.length() : end);
    }
    return key.kind() + " " + name;
  }

  /** Statements per execution of a JDBC node (1 when it executes no batches). */
  private static double meanBatch(OperationStats s) {
    return s.calls() == 0 ? 1 : Math.max(1, (double) s.counter("batchedStatements") / s.calls());
  }

  /** JDBC statements executed one by one, many times: batch size 1. */
  void unbatchedJdbc(OperationKey key, OperationStats s, List<Finding> out) {
    if (!"jdbc".equals(key.kind()) || s.calls() < t.get("unbatched-jdbc-min-calls")) return;
    String name = key.name();
    if (!(name.startsWith("INSERT")
        || name.startsWith("UPDATE")
        || name.startsWith("DELETE")
        || name.startsWith("MERGE"))) return;
    double meanBatch = (double) s.counter("batchedStatements") / s.calls();
    if (meanBatch > 1) return;
    out.add(
        new Finding(
            "jdbc-batch-size-1",
            Severity.WARNING,
            key.label(),
            name + " is executed one statement at a time (" + s.calls() + " executions)",
            evidence(
                "executions",
                s.calls(),
                "statements in batches",
                s.counter("batchedStatements"),
                "batches of one statement",
                s.counter("batchSize1"),
                "mean batch size",
                Units.fmt(Math.max(1, meanBatch)),
                "time",
                Units.nanos(s.totalNanos())),
            "Use addBatch()/executeBatch() with a few hundred to a few thousand rows per batch (and, for "
                + "PostgreSQL, reWriteBatchedInserts=true), committing per batch rather than per row."));
  }

  /**
   * Memory growth over the run: the heap's peak in the last quarter of the intervals against the
   * first quarter. Process-level (the agent does not measure allocation per operation); the finding
   * names the longest-running operation as the first suspect.
   */
  void heapGrowth(Profile p, List<Finding> out) {
    List<dev.etlprofiler.report.model.TimeSeries.Point> pts = p.series().points();
    if (pts.size() < 8 || p.resources().heapMaxBytes <= 0) return;
    int q = pts.size() / 4;
    long first = pts.subList(0, q).stream().mapToLong(x -> x.heapPeakBytes).max().orElse(0);
    long last =
        pts.subList(pts.size() - q, pts.size()).stream()
            .mapToLong(x -> x.heapPeakBytes)
            .max()
            .orElse(0);
    double growth = first == 0 ? 0 : (double) last / first;
    double ofMax = (double) last / p.resources().heapMaxBytes;
    if (growth < t.get("heap-growth-factor") || ofMax < t.get("heap-growth-min-share")) return;
    String suspect =
        p.operations().entrySet().stream()
            .filter(e -> e.getKey().path().size() > 1 && !e.getValue().async())
            .max(Comparator.comparingLong(e -> e.getValue().totalNanos()))
            .map(e -> e.getKey().label())
            .orElse("the job");
    out.add(
        new Finding(
            "heap-growth",
            Severity.WARNING,
            "process",
            "the heap grows through the run: "
                + Units.fmt(growth)
                + "× from the first to the last quarter",
            evidence(
                "heap peak, first quarter",
                Units.bytes(first),
                "heap peak, last quarter",
                Units.bytes(last),
                "share of max heap",
                Units.percent(ofMax),
                "longest-running operation",
                suspect),
            "Something keeps what it has processed: stream records through instead of collecting them, bound "
                + "caches, and check "
                + suspect
                + " first. A heap dump (jcmd GC.heap_dump) shows what holds on."));
  }

  void resources(Profile p, List<Finding> out) {
    ResourceStats r = p.resources();
    if (!r.seen) return;
    long wallMillis = p.jvmWallMillis();
    if (wallMillis > 0) {
      double gcShare = (double) r.gcMillis() / wallMillis;
      if (gcShare >= t.get("gc-share-warning")) {
        out.add(
            new Finding(
                "gc-time",
                Severity.WARNING,
                "process",
                gcShare > 1
                    // a concurrent collector's time runs beside the job's, not instead of it
                    ? "GC threads took " + Units.fmt(gcShare) + "× the wall time"
                    : "GC takes " + Units.percent(gcShare) + " of wall time",
                evidence(
                    "GC time",
                    Units.nanos(r.gcMillis() * 1_000_000),
                    "collections",
                    r.gcCount(),
                    "wall",
                    Units.nanos(wallMillis * 1_000_000),
                    gcShare > 1 ? "over the wall time" : "share of wall",
                    gcShare > 1 ? "×" + Units.fmt(gcShare) : Units.percent(gcShare)),
                "Allocate less per record (reuse buffers, avoid boxing and intermediate collections), stream "
                    + "instead of materialising whole datasets, or give the heap more room."));
      }
    }
    if (r.heapMaxBytes > 0) {
      double heapShare = (double) r.heapUsedPeakBytes / r.heapMaxBytes;
      if (heapShare >= t.get("heap-near-max")) {
        out.add(
            new Finding(
                "heap-near-max",
                Severity.WARNING,
                "process",
                "heap peaked at " + Units.percent(heapShare) + " of its maximum",
                evidence(
                    "peak heap",
                    Units.bytes(r.heapUsedPeakBytes),
                    "max heap",
                    Units.bytes(r.heapMaxBytes)),
                "Stream the input in chunks instead of loading it whole, or raise -Xmx before the job "
                    + "fails with OutOfMemoryError."));
      }
    }
    double capacity = p.cpuCapacityNanos();
    if (capacity > 0 && r.cpuNanos > 0) {
      double cpuShare = r.cpuNanos / capacity;
      if (cpuShare >= t.get("cpu-bound-share")) {
        out.add(
            new Finding(
                "cpu-bound",
                Severity.INFO,
                "process",
                "the job is CPU-bound: " + Units.percent(cpuShare) + " of its CPUs",
                evidence(
                    "CPU time",
                    Units.nanos(r.cpuNanos),
                    "CPUs",
                    r.availableProcessors,
                    "share of the CPUs",
                    Units.percent(cpuShare)),
                "More CPUs or a cheaper algorithm in the busiest stage will speed it up; more threads will not."));
      } else if (cpuShare <= t.get("waiting-share")) {
        out.add(
            new Finding(
                "mostly-waiting",
                Severity.INFO,
                "process",
                "the job waits most of the time: it uses "
                    + Units.percent(cpuShare)
                    + " of its CPUs",
                evidence(
                    "CPU time",
                    Units.nanos(r.cpuNanos),
                    "CPUs",
                    r.availableProcessors,
                    "share of the CPUs",
                    Units.percent(cpuShare)),
                "The job is I/O-bound: overlap the waits (parallel partitions, async or batched calls); a "
                    + "smaller instance may cost less for the same wall time."));
      }
    }
  }
}
