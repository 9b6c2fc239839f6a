package dev.etlprofiler.core.spark;

import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.OpRegistry;
import dev.etlprofiler.core.ThreadState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What the agent's Spark listener calls: Spark's own scheduler events, turned into a tree of {@code
 * spark-sql} (SQL query executions) &gt; {@code spark-job} &gt; {@code spark-stage} nodes, each
 * timed once per completed query, job and stage attempt from Spark's own timestamps, with the
 * stage's task metrics as counters.
 *
 * <p>The listener is a {@code SparkListener} subclass that the agent defines in Spark's class
 * loader (it is registered on the {@code SparkContext} when its listener bus starts) and that
 * passes only JDK types and primitives here. Spark delivers listener events on a listener-bus
 * thread of its own, asynchronously, so none of this runs on a task thread or costs anything per
 * record; the methods are synchronized because a JVM may run several SparkContexts one after
 * another.
 *
 * <p>Bounded: query, job and stage ids grow with every action of a long-running application, so
 * only the first {@link #MAX_NUMBERED} numbered names are registered; later ones drop the number
 * ({@code job (count at Job.java:50)}), and after {@link #MAX_NAMES} distinct names more fold into
 * one {@code (more)} node per kind. Never throws.
 */
public final class SparkCalls {
  /** A SQL query execution ({@code SparkListenerSQLExecutionStart}/{@code End}). */
  public static final String KIND_QUERY = "spark-sql";

  /** A Spark job (one action, or one adaptive query stage). */
  public static final String KIND_JOB = "spark-job";

  /** One attempt of a Spark stage. */
  public static final String KIND_STAGE = "spark-stage";

  // indexes of the metrics array stageCompleted takes (filled by the listener from TaskMetrics)
  public static final int M_RUN_MS = 0;
  public static final int M_CPU_NANOS = 1;
  public static final int M_GC_MS = 2;
  public static final int M_RECORDS_READ = 3;
  public static final int M_BYTES_READ = 4;
  public static final int M_RECORDS_WRITTEN = 5;
  public static final int M_BYTES_WRITTEN = 6;
  public static final int M_SHUFFLE_READ_RECORDS = 7;
  public static final int M_SHUFFLE_READ_BYTES = 8;
  public static final int M_SHUFFLE_WRITE_RECORDS = 9;
  public static final int M_SHUFFLE_WRITE_BYTES = 10;
  public static final int M_MEMORY_SPILL_BYTES = 11;
  public static final int M_DISK_SPILL_BYTES = 12;
  public static final int METRICS = 13;

  static final int TASKS = Counter.register("tasks");
  static final int FAILED_TASKS = Counter.register("failedTasks");
  private static final int[] METRIC_COUNTERS = {
    Counter.register("executorRunNanos"),
    Counter.register("executorCpuNanos"),
    Counter.register("jvmGcNanos"),
    Counter.register("recordsRead"),
    Counter.register("bytesRead"),
    Counter.register("recordsWritten"),
    Counter.register("bytesWritten"),
    Counter.register("shuffleRecordsRead"),
    Counter.register("shuffleBytesRead"),
    Counter.register("shuffleRecordsWritten"),
    Counter.register("shuffleBytesWritten"),
    Counter.register("memorySpillBytes"),
    Counter.register("diskSpillBytes"),
  };

  /** Metrics Spark gives in milliseconds; recorded in ns like every duration of the agent. */
  private static final boolean[] MILLIS = new boolean[METRICS];

  static {
    MILLIS[M_RUN_MS] = true;
    MILLIS[M_GC_MS] = true;
  }

  static final int MAX_NUMBERED = 500;
  static final int MAX_NAMES = 1_000;
  private static final int MAX_TRACKED = 2_000;
  private static final int MAX_DESCRIPTION = 80;

  private static final Map<String, Integer> OPS = new HashMap<>();
  private static int numbered;

  private static final Map<Long, Node> QUERIES = bounded();
  private static final Map<Long, String> QUERY_SITES = bounded();
  private static final Map<Integer, String> STAGE_SITES = bounded();
  private static final Map<Long, Long> QUERY_STARTS = bounded();
  private static final Map<Integer, Node> JOBS = bounded();
  private static final Map<Integer, Long> JOB_STARTS = bounded();
  private static final Map<Integer, Node> JOB_OF_STAGE = bounded();
  private static final Map<Long, Node> STAGES = bounded();

  /** Defines and creates the listener in Spark's class loader (set by the agent). */
  private static volatile Function<Class<?>, Object> listenerFactory;

  private SparkCalls() {}

  private static <K, V> Map<K, V> bounded() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > MAX_TRACKED;
      }
    };
  }

  /** Set once by the agent when the spark preset is on. */
  public static void listenerFactory(Function<Class<?>, Object> factory) {
    listenerFactory = factory;
  }

  /**
   * A new listener for the SparkContext whose listener bus is starting, or null (no factory, or it
   * failed): called by the advice woven into {@code LiveListenerBus.start}, which registers it.
   *
   * @param sparkClass a class of the {@code org.apache.spark.scheduler} package, in Spark's loader
   */
  public static Object newListener(Class<?> sparkClass) {
    Function<Class<?>, Object> f = listenerFactory;
    if (f == null) {
      return null;
    }
    try {
      return f.apply(sparkClass);
    } catch (Throwable t) {
      Core.internalError("Spark listener", t);
      return null;
    }
  }

  /** A failure inside the listener: counted and logged once, never thrown into Spark. */
  public static void failed(String where, Throwable t) {
    Core.internalError(where, t);
  }

  /** A SQL query execution started ({@code SparkListenerSQLExecutionStart}). */
  public static synchronized void queryStarted(long executionId, String description, long time) {
    try {
      String name = "query " + executionId + " (" + shorten(description) + ")";
      QUERIES.put(
          executionId, base().child(op(KIND_QUERY, name, "query (" + shorten(description) + ")")));
      QUERY_STARTS.put(executionId, time);
      QUERY_SITES.put(executionId, shorten(description));
    } catch (Throwable t) {
      failed("Spark query start", t);
    }
  }

  /** A SQL query execution ended; {@code failed} when it ended with an error. */
  public static synchronized void queryEnded(long executionId, long time, boolean failed) {
    try {
      QUERY_SITES.remove(executionId);
      Node node = QUERIES.remove(executionId);
      Long start = QUERY_STARTS.remove(executionId);
      if (node != null && start != null) {
        node.record(millisToNanos(time - start));
        if (failed) {
          node.error("query failed");
        }
      }
    } catch (Throwable t) {
      failed("Spark query end", t);
    }
  }

  /**
   * A job started: {@code name} is its last stage's (the action's call site), {@code stageIds} the
   * stages it may run, {@code sqlExecutionId} the {@code spark.sql.execution.id} property or null.
   */
  public static synchronized void jobStarted(
      int jobId, long time, String name, int[] stageIds, String sqlExecutionId) {
    try {
      Node parent = null;
      String site = shorten(name);
      if (sqlExecutionId != null) {
        try {
          long id = Long.parseLong(sqlExecutionId.trim());
          parent = QUERIES.get(id);
          if (parent != null && sparksOwn(site)) {
            site = QUERY_SITES.getOrDefault(id, site);
          }
        } catch (NumberFormatException e) {
          parent = null;
        }
      }
      if (parent == null) {
        parent = base();
      }
      String n = site.isEmpty() ? "" : " (" + site + ")";
      Node job = parent.child(op(KIND_JOB, "job " + jobId + n, "job" + n));
      JOBS.put(jobId, job);
      JOB_STARTS.put(jobId, time);
      for (int stageId : stageIds) {
        if (JOB_OF_STAGE.putIfAbsent(stageId, job) == null) {
          STAGE_SITES.put(stageId, site);
        }
      }
    } catch (Throwable t) {
      failed("Spark job start", t);
    }
  }

  /** A job ended; {@code failed} unless it succeeded. */
  public static synchronized void jobEnded(int jobId, long time, boolean failed) {
    try {
      Node job = JOBS.remove(jobId);
      Long start = JOB_STARTS.remove(jobId);
      if (job != null && start != null) {
        job.record(millisToNanos(time - start));
        if (failed) {
          job.error("job failed");
        }
      }
    } catch (Throwable t) {
      failed("Spark job end", t);
    }
  }

  /** A stage attempt was submitted: its node is made now, for the tasks that end before it does. */
  public static synchronized void stageSubmitted(int stageId, int attempt, String name) {
    try {
      stage(stageId, attempt, name);
    } catch (Throwable t) {
      failed("Spark stage submitted", t);
    }
  }

  /** A task of a stage attempt ended ({@code SparkListenerTaskEnd}). */
  public static synchronized void taskEnded(int stageId, int attempt, boolean failed) {
    try {
      Node stage = STAGES.get(key(stageId, attempt));
      if (stage != null) {
        stage.add(TASKS, 1);
        if (failed) {
          stage.add(FAILED_TASKS, 1);
        }
      }
    } catch (Throwable t) {
      failed("Spark task end", t);
    }
  }

  /**
   * A stage attempt completed: one call of its node, timed from submission to completion (Spark's
   * millisecond timestamps; -1 when unknown), with the stage's task metrics ({@code metrics}, by
   * the {@code M_} indexes) as counters.
   */
  public static synchronized void stageCompleted(
      int stageId,
      int attempt,
      String name,
      long submissionTime,
      long completionTime,
      boolean failed,
      long[] metrics) {
    try {
      Node stage = stage(stageId, attempt, name);
      if (submissionTime >= 0 && completionTime >= submissionTime) {
        stage.record(millisToNanos(completionTime - submissionTime));
      } else {
        stage.record(0);
      }
      if (failed) {
        stage.error("stage failed");
      }
      for (int i = 0; i < METRICS && i < metrics.length; i++) {
        long v = metrics[i];
        if (v > 0) {
          stage.add(METRIC_COUNTERS[i], MILLIS[i] ? millisToNanos(v) : v);
        }
      }
    } catch (Throwable t) {
      failed("Spark stage completed", t);
    }
  }

  private static Node stage(int stageId, int attempt, String name) {
    long key = key(stageId, attempt);
    Node stage = STAGES.get(key);
    if (stage == null) {
      Node parent = JOB_OF_STAGE.get(stageId);
      if (parent == null) {
        parent = base();
      }
      String site = shorten(name);
      if (sparksOwn(site)) {
        site = STAGE_SITES.getOrDefault(stageId, site);
      }
      String n = site.isEmpty() ? "" : " (" + site + ")";
      String a = attempt > 0 ? " attempt " + attempt : "";
      stage = parent.child(op(KIND_STAGE, "stage " + stageId + a + n, "stage" + a + n));
      STAGES.put(key, stage);
    }
    return stage;
  }

  private static long key(int stageId, int attempt) {
    return ((long) stageId << 32) | (attempt & 0xffffffffL);
  }

  /** The listener thread's base node: the root, or the configured default session. */
  private static Node base() {
    return ThreadState.ofCurrentThread().currentNode();
  }

  /**
   * The op id of a numbered name, or of its name without the number once {@link #MAX_NUMBERED}
   * numbered names exist, or of {@code (more)} once {@link #MAX_NAMES} names exist.
   */
  static int op(String kind, String numberedName, String plainName) {
    String key = kind + '\u0000' + numberedName;
    Integer id = OPS.get(key);
    if (id != null) {
      return id;
    }
    String name = numberedName;
    if (numbered >= MAX_NUMBERED) {
      name = plainName;
      key = kind + '\u0000' + plainName;
      id = OPS.get(key);
      if (id != null) {
        return id;
      }
    } else {
      numbered++;
    }
    if (OPS.size() >= MAX_NAMES) {
      return OpRegistry.id(kind, "(more)");
    }
    id = OpRegistry.id(kind, name);
    OPS.put(key, id);
    return id;
  }

  /**
   * Whether a call site is Spark's own rather than the job's: Spark names a job or stage by the
   * first frame outside Spark on the thread that submitted it, and the jobs of a SQL execution that
   * Spark submits from a thread pool of its own (adaptive query stages; every job of a query in
   * Spark 4) get a frame of that pool ({@code $anonfun$withThreadLocalCaptured$1 at
   * FutureTask.java:264}). Such a job is named by its query's description, and such a stage by its
   * job's name.
   */
  static boolean sparksOwn(String site) {
    return site.startsWith("$anonfun$")
        || site.contains(" at FutureTask.java:")
        || site.contains(" at CompletableFuture.java:")
        || site.contains(" at ThreadPoolExecutor.java:")
        || site.contains(" at Thread.java:");
  }

  /** Whitespace collapsed, at most {@link #MAX_DESCRIPTION} characters. */
  static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip().replaceAll("\\s+", " ");
    return t.length() <= MAX_DESCRIPTION ? t : t.substring(0, MAX_DESCRIPTION - 1) + "…";
  }

  private static long millisToNanos(long ms) {
    return ms <= 0 ? 0 : ms * 1_000_000L;
  }
}
