package dev.etlprofiler.frameworks.spark.apps;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.min;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * A Spark job written the way users write one (runs in the forked JVM): read the airports CSV with
 * its header, keep the US airports, count them by state, join the counts back onto the airports and
 * write the result as Parquet, then read it back; a validation in between fails on some airports (a
 * UDF that throws), which the job catches and reports. It registers its own {@link SparkListener}
 * that counts jobs, stage attempts, tasks and records read, as Spark reports them, and prints them
 * after {@code spark.stop()} (which delivers every pending event first).
 *
 * <p>Output: {@code state XX N} for the five largest states, {@code validation failed}, {@code
 * written N}, then {@code listener jobs=… failedJobs=… failedStages=… tasks=… failedTasks=…
 * recordsRead=…} and one {@code listener stage ID ATTEMPT tasks=… recordsRead=…} line per stage
 * attempt.
 */
public final class AirportsSparkJob {
  private AirportsSparkJob() {}

  /** The job's own listener: Spark's counts, to compare the profiler's with. */
  public static final class Counts extends SparkListener {
    private long jobs;
    private long failedJobs;
    private long tasks;
    private long failedTasks;
    private long failedStages;
    private long recordsRead;
    private final Map<String, long[]> stages = new TreeMap<>();

    @Override
    public synchronized void onJobEnd(SparkListenerJobEnd jobEnd) {
      jobs++;
      if (jobEnd.jobResult().getClass().getSimpleName().startsWith("JobFailed")) {
        failedJobs++;
      }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
      tasks++;
      boolean ok = taskEnd.taskInfo().successful();
      if (!ok) {
        failedTasks++;
      }
      // a failed task's too: it read them (Spark's stage metrics count them as well)
      long read =
          taskEnd.taskMetrics() == null ? 0 : taskEnd.taskMetrics().inputMetrics().recordsRead();
      recordsRead += read;
      long[] s =
          stages.computeIfAbsent(
              taskEnd.stageId() + " " + taskEnd.stageAttemptId(), k -> new long[3]);
      s[0]++;
      s[1] += read;
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
      StageInfo info = completed.stageInfo();
      if (info.failureReason().isDefined()) {
        failedStages++;
      }
      stages.computeIfAbsent(info.stageId() + " " + info.attemptNumber(), k -> new long[3])[2] = 1;
    }

    synchronized void print() {
      long completed = stages.values().stream().filter(s -> s[2] == 1).count();
      System.out.println(
          "listener jobs="
              + jobs
              + " stages="
              + completed
              + " failedJobs="
              + failedJobs
              + " failedStages="
              + failedStages
              + " tasks="
              + tasks
              + " failedTasks="
              + failedTasks
              + " recordsRead="
              + recordsRead);
      stages.forEach(
          (k, s) ->
              System.out.println(
                  "listener stage " + k + " tasks=" + s[0] + " recordsRead=" + s[1]));
    }
  }

  public static void main(String[] args) {
    String csv = args[0];
    String out = args[1];
    SparkSession spark =
        SparkSession.builder()
            .appName("airports")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    Counts counts = new Counts();
    spark.sparkContext().addSparkListener(counts);

    Dataset<Row> airports = spark.read().option("header", "true").csv(csv);
    Dataset<Row> us = airports.filter(col("country").equalTo("USA"));
    Dataset<Row> byState = us.groupBy("state").agg(count("*").as("airports"));

    List<Row> top = byState.orderBy(desc("airports"), col("state")).limit(5).collectAsList();
    for (Row r : top) {
      System.out.println("state " + r.getString(0) + " " + r.getLong(1));
    }

    // a validation that fails on the airports of the Pacific territories: the job reports it and
    // goes on (Spark runs no task twice in local mode: one failed task fails the job)
    spark
        .udf()
        .register(
            "checkedLatitude",
            (UDF1<String, Double>) AirportsSparkJob::latitude,
            DataTypes.DoubleType);
    try {
      Row south =
          us.select(callUDF("checkedLatitude", col("latitude")).as("lat")).agg(min("lat")).first();
      System.out.println("southernmost " + south.get(0));
    } catch (Exception e) { // a SparkException, which Java sees as checked
      System.out.println("validation failed");
    }

    us.join(byState, "state")
        .select("iata", "name", "state", "airports")
        .write()
        .mode("overwrite")
        .parquet(out);
    long written = spark.read().parquet(out).count();
    System.out.println("written " + written);

    spark.stop();
    counts.print();
  }

  /** A latitude within the 50 states, else an {@link IllegalArgumentException}. */
  static Double latitude(String text) {
    double lat = Double.parseDouble(text);
    if (lat < 18 || lat > 72) {
      throw new IllegalArgumentException("latitude outside the 50 states: " + text);
    }
    return lat;
  }
}
