package dev.etlprofiler.frameworks.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etlprofiler.frameworks.spark.apps.AirportsSparkJob;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark preset on a real Spark 3.5 job ({@link AirportsSparkJob}: CSV in, filter, group by, a
 * failing validation, join, Parquet out; {@code local[2]}), in one forked JVM with the agent and
 * {@code presets: [spark]} alone. What the profiler recorded is compared with what the job's own
 * {@code SparkListener} counted, and the job's output with the answer computed here from the CSV.
 * Spark 3.5 does not run on JDK 25, so this module runs on the build's JDK 17 only.
 */
class SparkJobIT {
  private static final Pattern STAGE = Pattern.compile("stage (\\d+)(?: attempt (\\d+))? \\(.*");
  private static final Pattern JOB = Pattern.compile("job (\\d+)(?: \\(.*)?");
  private static final Pattern LISTENER_STAGE =
      Pattern.compile("listener stage (\\d+) (\\d+) tasks=(\\d+) recordsRead=(\\d+)");

  /** The --add-opens list of Spark's own launcher (JavaModuleOptions), for JDK 17. */
  private static final String[] OPENS = {
    "java.lang",
    "java.lang.invoke",
    "java.lang.reflect",
    "java.io",
    "java.net",
    "java.nio",
    "java.util",
    "java.util.concurrent",
    "java.util.concurrent.atomic",
    "jdk.internal.ref",
    "sun.nio.ch",
    "sun.nio.cs",
    "sun.security.action",
    "sun.util.calendar",
  };

  @Test
  void stagesTasksAndRecordsAreSparksOwn(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        ForkedJvm.javaFeatureVersion() < 25, "Spark 3.5 does not run on JDK 25 and later");
    Path csv = dir.resolve("airports.csv");
    try (InputStream in = SparkJobIT.class.getResourceAsStream("/airports.csv")) {
      Files.copy(in, csv);
    }
    ForkedJvm jvm =
        new ForkedJvm(dir)
            .config("instrument:\n  presets: [spark]\n")
            .jvmArg("-Xmx1g")
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .main(AirportsSparkJob.class, csv.toString(), dir.resolve("out.parquet").toString());
    for (String p : OPENS) {
      jvm.jvmArg("--add-opens=java.base/" + p + "=ALL-UNNAMED");
    }
    for (String entry : System.getProperty("it.spark.classpath").split(File.pathSeparator)) {
      jvm.classPath(Path.of(entry));
    }
    // not jvm.run(): its 120 s are too few for Spark on a busy 2-core machine
    Process process = jvm.start();
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the Spark job did not finish in 300 s");
    }
    ForkedJvm.Result r = jvm.result(process.exitValue());

    // the job ran as it does without the agent: same exit code, the answer the data gives
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(
        expectedOutput(Files.readString(csv, StandardCharsets.UTF_8)), jobLines(r), r::toString);
    assertTrue(r.agentLines().stream().noneMatch(l -> l.contains("internal error")), r::toString);

    // Spark's own counts, from the job's listener
    Map<String, Long> totals = new HashMap<>();
    Matcher t =
        Pattern.compile(
                "listener jobs=(\\d+) stages=(\\d+) failedJobs=(\\d+) failedStages=(\\d+) tasks=(\\d+)"
                    + " failedTasks=(\\d+) recordsRead=(\\d+)")
            .matcher(r.stdout());
    assertTrue(t.find(), r::toString);
    String[] keys = {
      "jobs", "stages", "failedJobs", "failedStages", "tasks", "failedTasks", "recordsRead"
    };
    for (int i = 0; i < keys.length; i++) {
      totals.put(keys[i], Long.parseLong(t.group(i + 1)));
    }
    Map<String, long[]> listenerStages = new TreeMap<>();
    Matcher s = LISTENER_STAGE.matcher(r.stdout());
    while (s.find()) {
      listenerStages.put(
          s.group(1) + " " + s.group(2),
          new long[] {Long.parseLong(s.group(3)), Long.parseLong(s.group(4))});
    }
    assertTrue(totals.get("failedTasks") >= 1, "the validation failed a task: " + r);

    // the profiler's: one spark-stage node per stage attempt, under its job
    Snapshots snapshots = r.snapshots();
    Map<String, long[]> stages = new TreeMap<>();
    Map<String, Long> stageErrors = new TreeMap<>();
    long failedTasks = 0;
    for (JsonNode op : operations(snapshots, "spark-stage")) {
      Matcher m = STAGE.matcher(op.path("name").asText());
      assertTrue(m.matches(), op::toString);
      String key = m.group(1) + " " + (m.group(2) == null ? "0" : m.group(2));
      long[] v = stages.computeIfAbsent(key, k -> new long[3]);
      v[0] += op.path("counters").path("tasks").asLong();
      v[1] += op.path("counters").path("recordsRead").asLong();
      v[2] += op.path("calls").asLong();
      failedTasks += op.path("counters").path("failedTasks").asLong();
      op.path("errors")
          .fields()
          .forEachRemaining(e -> stageErrors.merge(e.getKey(), e.getValue().asLong(), Long::sum));
      assertTrue(JOB.matcher(parent(op)).matches(), "a stage's parent is its job: " + op);
      assertFalse(
          op.path("name").asText().contains("$anonfun$"), "named in the job's terms: " + op);
    }
    assertEquals(listenerStages.keySet(), stages.keySet(), "stage attempts");
    assertEquals(totals.get("stages"), (long) stages.size(), "completed stage attempts");
    long records = 0;
    for (var e : listenerStages.entrySet()) {
      long[] p = stages.get(e.getKey());
      assertEquals(e.getValue()[0], p[0], "tasks of stage " + e.getKey());
      assertEquals(e.getValue()[1], p[1], "records read by stage " + e.getKey());
      assertEquals(1, p[2], "one timed call per stage attempt: " + e.getKey());
      records += p[1];
    }
    assertEquals(totals.get("recordsRead"), records);
    assertEquals(totals.get("failedTasks"), failedTasks, "failed tasks");
    assertEquals(Map.of("stage failed", totals.get("failedStages")), stageErrors);

    // jobs: one spark-job node per job, timed once; the failed one carries the error
    List<JsonNode> jobs = operations(snapshots, "spark-job");
    Map<String, Long> jobCalls = new TreeMap<>();
    long jobErrors = 0;
    for (JsonNode op : jobs) {
      assertTrue(JOB.matcher(op.path("name").asText()).matches(), op::toString);
      assertFalse(
          op.path("name").asText().contains("$anonfun$"), "named in the job's terms: " + op);
      jobCalls.merge(op.path("name").asText(), op.path("calls").asLong(), Long::sum);
      jobErrors += op.path("errors").path("job failed").asLong();
    }
    assertEquals(totals.get("jobs"), (long) jobCalls.size(), "jobs: " + jobCalls);
    assertTrue(jobCalls.values().stream().allMatch(c -> c == 1), jobCalls::toString);
    assertEquals(totals.get("failedJobs"), jobErrors);

    // SQL query executions above their jobs, named by Spark's description (the action's call site)
    List<JsonNode> queries = operations(snapshots, "spark-sql");
    assertFalse(queries.isEmpty(), "no spark-sql node");
    assertTrue(
        jobs.stream()
            .anyMatch(
                j ->
                    path(j)
                        .matches(
                            "query \\d+ \\(collectAsList at AirportsSparkJob\\.java:\\d+\\) > job \\d+ .*")),
        "the top-5 query's jobs under it: " + jobs);
    assertEquals(
        1,
        queries.stream().mapToLong(q -> q.path("errors").path("query failed").asLong()).sum(),
        "the validation query failed, the others did not");

    // the old preset's targets are gone: nothing but Spark's own terms
    for (JsonNode line : snapshots.lines()) {
      for (JsonNode op : line.path("operations")) {
        assertTrue(op.path("kind").asText().startsWith("spark-"), op::toString);
      }
      assertEquals(0, line.path("agent").path("internalErrors").asLong(), line::toString);
    }
  }

  private static List<JsonNode> operations(Snapshots snapshots, String kind) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode line : snapshots.lines()) {
      for (JsonNode op : line.path("operations")) {
        if (op.path("kind").asText().equals(kind)) out.add(op);
      }
    }
    return out;
  }

  private static String path(JsonNode op) {
    List<String> p = new ArrayList<>();
    op.path("path").forEach(n -> p.add(n.asText()));
    return String.join(" > ", p);
  }

  private static String parent(JsonNode op) {
    JsonNode p = op.path("path");
    return p.size() < 2 ? "" : p.get(p.size() - 2).asText();
  }

  /** The job's own lines (not the listener's). */
  private static List<String> jobLines(ForkedJvm.Result r) {
    return r.stdout().lines().filter(l -> !l.startsWith("listener ")).toList();
  }

  /** What the job must print, computed from the CSV without Spark. */
  private static List<String> expectedOutput(String csv) {
    List<String> lines = csv.lines().toList();
    List<String> header = fields(lines.get(0));
    int country = header.indexOf("country");
    int state = header.indexOf("state");
    Map<String, Long> byState = new HashMap<>();
    long us = 0;
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = fields(line);
      if (f.get(country).equals("USA")) {
        byState.merge(f.get(state), 1L, Long::sum);
        us++;
      }
    }
    List<String> out = new ArrayList<>();
    byState.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(5)
        .forEach(e -> out.add("state " + e.getKey() + " " + e.getValue()));
    out.add("validation failed");
    out.add("written " + us);
    return out;
  }

  /** One CSV line's fields (double quotes around a field that holds a comma). */
  private static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
