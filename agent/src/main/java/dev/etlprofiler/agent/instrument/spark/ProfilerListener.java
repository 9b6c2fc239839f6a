package dev.etlprofiler.agent.instrument.spark;

import dev.etlprofiler.core.spark.SparkCalls;
import java.lang.reflect.Method;
import java.util.Properties;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.scheduler.TaskInfo;
import scala.Option;

/**
 * The listener the agent registers on every SparkContext: a template, never loaded by the agent.
 * {@link ListenerDefiner} reads this class file, renames the class into Spark's {@code
 * org.apache.spark.scheduler} package and defines it in Spark's class loader, where its supertype
 * and the event types resolve; {@link SparkCalls} (on the bootstrap class path) is visible from
 * there. It reads each event and passes JDK types and primitives on; it never throws into Spark.
 *
 * <p>Written for Spark 3.x and 4.x on Scala 2.12 and 2.13: it calls no method whose descriptor
 * names a Scala collection type (those differ between Scala 2.12 and 2.13: {@code stageInfos} is
 * read reflectively and iterated as a {@code scala.collection.Iterable}), and reads the SQL events
 * of {@code spark-sql}, which may not be on the class path, reflectively by class name. Must stay a
 * single class (no nested or anonymous classes, no lambdas): only this class file is defined.
 */
public class ProfilerListener extends SparkListener {
  private static final String SQL_START =
      "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart";
  private static final String SQL_END =
      "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd";

  // reflective accessors, resolved at the first event of each type (the listener-bus thread only)
  private Method stageInfos;
  private Method sqlStartId;
  private Method sqlStartDescription;
  private Method sqlStartTime;
  private Method sqlEndId;
  private Method sqlEndTime;
  private Method sqlEndError;
  private boolean sqlEndErrorResolved;

  public ProfilerListener() {}

  @Override
  public void onJobStart(SparkListenerJobStart event) {
    try {
      if (stageInfos == null) {
        stageInfos = event.getClass().getMethod("stageInfos");
      }
      scala.collection.Iterator<?> it =
          ((scala.collection.Iterable<?>) stageInfos.invoke(event)).iterator();
      int[] ids = new int[8];
      int n = 0;
      String name = null;
      int last = Integer.MIN_VALUE;
      while (it.hasNext()) {
        StageInfo s = (StageInfo) it.next();
        if (n == ids.length) {
          ids = java.util.Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = s.stageId();
        if (s.stageId() > last) {
          last = s.stageId();
          name = s.name();
        }
      }
      Properties p = event.properties();
      String sqlId = p == null ? null : p.getProperty("spark.sql.execution.id");
      SparkCalls.jobStarted(
          event.jobId(), event.time(), name, java.util.Arrays.copyOf(ids, n), sqlId);
    } catch (Throwable t) {
      SparkCalls.failed("Spark job start", t);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd event) {
    try {
      Object result = event.jobResult();
      boolean failed = result == null || !result.getClass().getName().endsWith("JobSucceeded$");
      SparkCalls.jobEnded(event.jobId(), event.time(), failed);
    } catch (Throwable t) {
      SparkCalls.failed("Spark job end", t);
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    try {
      StageInfo s = event.stageInfo();
      SparkCalls.stageSubmitted(s.stageId(), s.attemptNumber(), s.name());
    } catch (Throwable t) {
      SparkCalls.failed("Spark stage submitted", t);
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    try {
      TaskInfo info = event.taskInfo();
      SparkCalls.taskEnded(
          event.stageId(),
          event.stageAttemptId(),
          info != null && (info.failed() || info.killed()));
    } catch (Throwable t) {
      SparkCalls.failed("Spark task end", t);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    try {
      StageInfo s = event.stageInfo();
      long[] m = new long[SparkCalls.METRICS];
      TaskMetrics t = s.taskMetrics();
      if (t != null) {
        m[SparkCalls.M_RUN_MS] = t.executorRunTime();
        m[SparkCalls.M_CPU_NANOS] = t.executorCpuTime();
        m[SparkCalls.M_GC_MS] = t.jvmGCTime();
        m[SparkCalls.M_RECORDS_READ] = t.inputMetrics().recordsRead();
        m[SparkCalls.M_BYTES_READ] = t.inputMetrics().bytesRead();
        m[SparkCalls.M_RECORDS_WRITTEN] = t.outputMetrics().recordsWritten();
        m[SparkCalls.M_BYTES_WRITTEN] = t.outputMetrics().bytesWritten();
        m[SparkCalls.M_SHUFFLE_READ_RECORDS] = t.shuffleReadMetrics().recordsRead();
        m[SparkCalls.M_SHUFFLE_READ_BYTES] = t.shuffleReadMetrics().totalBytesRead();
        m[SparkCalls.M_SHUFFLE_WRITE_RECORDS] = t.shuffleWriteMetrics().recordsWritten();
        m[SparkCalls.M_SHUFFLE_WRITE_BYTES] = t.shuffleWriteMetrics().bytesWritten();
        m[SparkCalls.M_MEMORY_SPILL_BYTES] = t.memoryBytesSpilled();
        m[SparkCalls.M_DISK_SPILL_BYTES] = t.diskBytesSpilled();
      }
      SparkCalls.stageCompleted(
          s.stageId(),
          s.attemptNumber(),
          s.name(),
          millis(s.submissionTime()),
          millis(s.completionTime()),
          s.failureReason().isDefined(),
          m);
    } catch (Throwable t) {
      SparkCalls.failed("Spark stage completed", t);
    }
  }

  @Override
  public void onOtherEvent(SparkListenerEvent event) {
    try {
      String type = event.getClass().getName();
      if (type.equals(SQL_START)) {
        if (sqlStartId == null) {
          Class<?> c = event.getClass();
          sqlStartDescription = c.getMethod("description");
          sqlStartTime = c.getMethod("time");
          sqlStartId = c.getMethod("executionId");
        }
        SparkCalls.queryStarted(
            ((Number) sqlStartId.invoke(event)).longValue(),
            (String) sqlStartDescription.invoke(event),
            ((Number) sqlStartTime.invoke(event)).longValue());
      } else if (type.equals(SQL_END)) {
        if (sqlEndId == null) {
          Class<?> c = event.getClass();
          sqlEndTime = c.getMethod("time");
          sqlEndId = c.getMethod("executionId");
        }
        if (!sqlEndErrorResolved) {
          sqlEndErrorResolved = true;
          try {
            sqlEndError = event.getClass().getMethod("errorMessage"); // Spark 3.4 and later
          } catch (NoSuchMethodException e) {
            sqlEndError = null;
          }
        }
        Object error = sqlEndError == null ? null : sqlEndError.invoke(event);
        SparkCalls.queryEnded(
            ((Number) sqlEndId.invoke(event)).longValue(),
            ((Number) sqlEndTime.invoke(event)).longValue(),
            failed(error));
      }
    } catch (Throwable t) {
      SparkCalls.failed("Spark SQL event", t);
    }
  }

  /**
   * Whether {@code errorMessage} tells of a failure: Spark 3.4 and later end a successful query
   * with {@code Some("")}, a failed one with the error's text.
   */
  private static boolean failed(Object errorMessage) {
    if (!(errorMessage instanceof Option) || ((Option<?>) errorMessage).isEmpty()) {
      return false;
    }
    Object text = ((Option<?>) errorMessage).get();
    return text != null && !text.toString().isEmpty();
  }

  private static long millis(Option<Object> time) {
    if (time == null || time.isEmpty()) {
      return -1;
    }
    Object v = time.get();
    return v instanceof Number ? ((Number) v).longValue() : -1;
  }
}
