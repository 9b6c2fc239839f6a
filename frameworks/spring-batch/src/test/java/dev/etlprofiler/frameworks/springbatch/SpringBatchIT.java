package dev.etlprofiler.frameworks.springbatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.tools.attach.VirtualMachine;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spring-batch preset on a real job (app-5.2, app-6.0: job {@code airports-etl}, a
 * fault-tolerant chunk step of 100 over a {@code FlatFileItemReader}, a multi-threaded chunk step
 * of 25 and a tasklet step; lambdas and method references, or the same job with classes), run with
 * {@code presets: [spring-batch]} alone. Checked against what the job printed: the counts the
 * framework kept in each {@code StepExecution}, and how often the job's own processors, writers and
 * tasklet were called.
 */
class SpringBatchIT {
  private static final String JOB = "job airports-etl";
  private static final List<String> STEPS = List.of("load-airports", "count-by-region", "report");
  private static final List<String> CHUNK_STEPS = List.of("load-airports", "count-by-region");

  /** The preset alone. */
  private static final String PRESET = "instrument:\n  presets: [spring-batch]\n";

  /**
   * The preset, every call timed: a hot per-item operation may otherwise be sampled under the CPU
   * budget, and a sampled node's calls are an estimate (docs/configuration.md, Hot methods), which
   * could not be compared with the framework's counts exactly.
   */
  private static final String EXACT = PRESET + "overhead:\n  cpu-budget: 0\n";

  /** Step counters and the {@code StepExecution} count each must equal. */
  private static final Map<String, String> COUNTERS = new LinkedHashMap<>();

  static {
    COUNTERS.put("itemsRead", "read");
    COUNTERS.put("itemsWritten", "write");
    COUNTERS.put("itemsFiltered", "filter");
    COUNTERS.put("readSkips", "readSkip");
    COUNTERS.put("processSkips", "processSkip");
    COUNTERS.put("writeSkips", "writeSkip");
    COUNTERS.put("commits", "commit");
    COUNTERS.put("rollbacks", "rollback");
  }

  @TempDir Path tmp;

  /** A Spring Batch version: the job compiled against it, and its class path. */
  record Version(String label, Path classes, List<Path> classPath) {
    static Version of(String label, String property) throws IOException {
      List<Path> cp = new ArrayList<>();
      for (String p :
          Files.readString(Path.of(System.getProperty("it." + property + ".classpath")))
              .trim()
              .split(File.pathSeparator)) {
        cp.add(Path.of(p));
      }
      return new Version(label, Path.of(System.getProperty("it." + property + ".classes")), cp);
    }
  }

  /** One run of the job and what it printed. */
  record Run(
      ForkedJvm.Result result,
      boolean exact,
      Map<String, Map<String, Long>> steps,
      Map<String, Long> calls,
      List<String> regions,
      String job) {
    long step(String step, String count) {
      Long n = steps.get(step) == null ? null : steps.get(step).get(count);
      if (n == null) throw new AssertionError("no " + count + " for step " + step + ": " + result);
      return n;
    }

    long calls(String what) {
      return calls.getOrDefault(what, 0L);
    }
  }

  @Test
  void springBatch52() throws Exception {
    Version v = Version.of("5.2", "sb52");
    Run plain = run(v, null, "lambdas");
    Run lambdas = run(v, EXACT, "lambdas");
    Run classes = run(v, PRESET, "classes");
    assertUnchanged(plain, lambdas);
    assertProfile(lambdas);
    assertProfile(classes);
    assertEquals(paths(lambdas), paths(classes), "lambdas and classes: the same operations");
    assertPartitioned(v);
    assertFailed(v, "lambdas");
  }

  @Test
  void springBatch60BothChunkApis() throws Exception {
    Version v = Version.of("6.0", "sb60");
    Run plain = run(v, null, "lambdas", "classic");
    Run classic = run(v, EXACT, "lambdas", "classic");
    Run lambdas = run(v, EXACT, "lambdas", "new");
    Run classes = run(v, PRESET, "classes", "new");
    assertUnchanged(plain, classic);
    assertUnchanged(plain, lambdas);
    assertProfile(classic);
    assertProfile(lambdas);
    assertProfile(classes);
    assertEquals(paths(lambdas), paths(classes), "lambdas and classes: the same operations");
    assertPartitioned(v);
    assertFailed(v, "lambdas", "new");
  }

  /**
   * The agent attached to a JVM that already ran the job (Spring Batch's classes loaded): they are
   * retransformed, and the next run is recorded in full.
   */
  @Test
  void springBatch52AttachedLate() throws Exception {
    Version v = Version.of("5.2", "sb52");
    Path dir = Files.createDirectories(tmp.resolve("attached"));
    try (InputStream in = SpringBatchIT.class.getResourceAsStream("/airports-sample.csv")) {
      Files.copy(in, dir.resolve("airports.csv"));
    }
    ForkedJvm jvm = new ForkedJvm(dir).withoutAgent().classPath(v.classes());
    v.classPath().forEach(jvm::classPath);
    Process p = jvm.main(Launcher.class, "dev.etlprofiler.sbapp.TwoRuns", "airports.csv").start();
    try {
      Path stdout = dir.resolve("stdout.txt");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(stdout).contains("ready")) {
        assertTrue(
            p.isAlive() && System.nanoTime() < deadline,
            "the first run did not end: " + Files.readString(dir.resolve("stderr.txt")));
        Thread.sleep(20);
      }
      VirtualMachine vm = VirtualMachine.attach(Long.toString(p.pid()));
      try {
        vm.loadAgent(
            ForkedJvm.agentJar().toString(),
            "instrument.presets=spring-batch,overhead.cpu-budget=0,output.dir="
                + dir.resolve("profiler-out").toAbsolutePath());
      } finally {
        vm.detach();
      }
      Files.writeString(dir.resolve("go"), "");
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the second run did not end");
    } finally {
      p.destroyForcibly();
    }
    ForkedJvm.Result r = jvm.result(p.exitValue());
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.stdout().contains("JOB airports-etl COMPLETED"), r::toString);
    long read = 0;
    for (String line : r.stdout().lines().toList()) {
      if (line.startsWith("STEP load-airports ")) {
        read = Long.parseLong(line.substring(line.indexOf("read=") + 5));
      }
    }
    assertTrue(read > 0, r::toString);
    Snapshots s = r.snapshots();
    assertEquals(1, s.calls(JOB), "the run after the attach, not the one before");
    assertEquals(1, s.calls("step load-airports"));
    assertEquals(read, callsUnder(s, "read", "load-airports"));
    assertEquals(read, s.counter("step load-airports", "itemsRead"));
  }

  /**
   * A step that fails (the report tasklet throws): the job's exit code is still 1, and the step,
   * its tasklet and the job carry the failure as an error of its type.
   */
  private void assertFailed(Version v, String... args) throws Exception {
    Run run =
        runMain(
            v,
            List.of("-Dairports.fail-report=true"),
            "dev.etlprofiler.sbapp.AirportsJob",
            EXACT,
            args);
    ForkedJvm.Result r = run.result();
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("JOB airports-etl FAILED", run.job(), r::toString);
    assertTrue(
        r.stdout().contains("STEP report ") && r.stdout().contains("exit=FAILED"), r::toString);
    Snapshots s = r.snapshots();
    String failure = "java.lang.IllegalStateException";
    assertEquals(1, s.errors("tasklet", failure), "the tasklet threw");
    assertEquals(1, s.errors("step report", failure), "the step failed");
    assertEquals(1, s.errors(JOB, failure), "the job failed");
    assertEquals(0, s.errors("step load-airports", failure), "the other steps completed");
  }

  /**
   * A partitioned step (three partitions, each on its own thread): the workers' chunks, reads,
   * processing and writes are attributed to the worker step, named by the step, under the job.
   */
  private void assertPartitioned(Version v) throws Exception {
    Run run = runMain(v, List.of(), "dev.etlprofiler.sbapp.PartitionedJob", EXACT);
    ForkedJvm.Result r = run.result();
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("JOB airports-partitions COMPLETED", run.job(), r::toString);
    String job = "job airports-partitions";
    String worker = "step load-partition";
    long partitions = 0;
    long read = 0;
    long written = 0;
    for (Map.Entry<String, Map<String, Long>> e : run.steps().entrySet()) {
      if (e.getKey().startsWith("load-partition:")) {
        partitions++;
        read += e.getValue().get("read");
        written += e.getValue().get("write");
      }
    }
    assertEquals(3, partitions, r::toString);
    Snapshots s = r.snapshots();
    assertEquals(List.of(job + " > " + worker), s.paths(worker), "partitions named by their step");
    assertEquals(partitions, s.calls(worker), "one call per partition");
    assertEquals(read, s.counter(worker, "itemsRead"));
    assertEquals(written, s.counter(worker, "itemsWritten"));
    assertEquals(1, s.calls("step split-airports"));
    assertEquals(read, s.calls("read"));
    assertEquals(List.of(job + " > " + worker + " > chunk > read"), s.paths("read"));
    assertEquals(run.calls("load-partition.process"), s.calls("process"));
    assertEquals(List.of(job + " > " + worker + " > chunk > process"), s.paths("process"));
    assertEquals(run.calls("load-partition.write"), s.calls("write"));
    assertEquals(List.of(job + " > " + worker + " > chunk > write"), s.paths("write"));
  }

  private Run run(Version v, String config, String... args) throws Exception {
    return runMain(v, List.of(), "dev.etlprofiler.sbapp.AirportsJob", config, args);
  }

  /**
   * Runs a job's main with the agent and a configuration, or without the agent (config null), in a
   * directory of its own holding a copy of the CSV sample.
   */
  private Run runMain(Version v, List<String> jvmArgs, String main, String config, String... args)
      throws Exception {
    boolean agent = config != null;
    Path dir =
        Files.createDirectories(
            tmp.resolve(
                v.label()
                    + "-"
                    + main.substring(main.lastIndexOf('.') + 1)
                    + "-"
                    + (config == null ? "plain" : config == EXACT ? "exact" : "preset")
                    + (jvmArgs.isEmpty() ? "" : "-failing")
                    + "-"
                    + String.join("-", args)));
    Path csv = dir.resolve("airports.csv");
    try (InputStream in = SpringBatchIT.class.getResourceAsStream("/airports-sample.csv")) {
      Files.copy(in, csv);
    }
    ForkedJvm jvm = new ForkedJvm(dir).classPath(v.classes());
    jvmArgs.forEach(jvm::jvmArg);
    for (Path p : v.classPath()) {
      jvm.classPath(p);
    }
    if (agent) {
      jvm.config(config);
    } else {
      jvm.withoutAgent();
    }
    List<String> mainArgs = new ArrayList<>(List.of(main, "airports.csv"));
    mainArgs.addAll(List.of(args));
    ForkedJvm.Result r = jvm.main(Launcher.class, mainArgs.toArray(new String[0])).run();
    Map<String, Map<String, Long>> steps = new LinkedHashMap<>();
    Map<String, Long> calls = new LinkedHashMap<>();
    List<String> regions = new ArrayList<>();
    String job = null;
    for (String line : r.stdout().lines().toList()) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "STEP" -> {
          Map<String, Long> counts = new LinkedHashMap<>();
          for (int i = 2; i < f.length; i++) {
            String[] kv = f[i].split("=");
            if (!kv[0].equals("exit")) counts.put(kv[0], Long.parseLong(kv[1]));
          }
          steps.put(f[1], counts);
        }
        case "CALLS" -> calls.put(f[1], Long.parseLong(f[2]));
        case "REGION" -> regions.add(line);
        case "JOB" -> job = line;
        default -> {}
      }
    }
    return new Run(r, config == EXACT, steps, calls, regions, job);
  }

  /** The job's output and exit code with the agent are those without it. */
  private static void assertUnchanged(Run plain, Run profiled) {
    assertEquals(0, plain.result().exitCode(), plain.result()::toString);
    assertEquals("JOB airports-etl COMPLETED", plain.job(), plain.result()::toString);
    assertTrue(plain.regions().size() >= 4, plain.result()::toString);
    assertEquals(plain.result().exitCode(), profiled.result().exitCode());
    assertEquals(plain.job(), profiled.job());
    assertEquals(plain.regions(), profiled.regions());
    for (String step : STEPS) {
      for (String count : List.of("read", "write", "filter", "readSkip", "processSkip")) {
        assertEquals(plain.step(step, count), profiled.step(step, count), step + " " + count);
      }
    }
  }

  /** The profile names the job's steps and counts what the framework and the job's code saw. */
  private static void assertProfile(Run run) throws IOException {
    ForkedJvm.Result r = run.result();
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.agentLines().stream().noneMatch(l -> l.contains("internal error")), r::toString);
    Snapshots s = r.snapshots();
    assertEquals(1, s.calls(JOB), "one job run");
    assertEquals(List.of("spring-batch-job"), s.kinds(JOB));
    assertEquals(List.of(JOB), s.paths(JOB));
    for (String step : STEPS) {
      String op = "step " + step;
      assertEquals(List.of(JOB + " > " + op), s.paths(op), op + " under the job, not merged");
      assertEquals(1, s.calls(op), op);
      for (Map.Entry<String, String> c : COUNTERS.entrySet()) {
        assertEquals(
            run.step(step, c.getValue()), s.counter(op, c.getKey()), op + " " + c.getKey());
      }
      assertEquals(run.step(step, "read"), s.counter(op, "records"), op + " records");
    }
    for (String step : CHUNK_STEPS) {
      assertCalls(run, s, "read", step, run.step(step, "read"));
      assertCalls(run, s, "process", step, run.calls(step + ".process"));
      assertCalls(run, s, "write", step, run.calls(step + ".write"));
      assertTrue(callsUnder(s, "chunk", step) > 0, step + " chunks");
    }
    assertTrue(run.calls("count-by-region.process") > 0);
    assertEquals(1, run.calls("report.tasklet"));
    assertCalls(run, s, "tasklet", "report", run.calls("report.tasklet"));
    assertTrue(run.step("load-airports", "processSkip") > 0, "the job skips an airport");
    assertTrue(
        s.errors("process", "java.lang.IllegalArgumentException")
            >= run.step("load-airports", "processSkip"),
        "a skipped item's failure is an error of process");
    // only the framework's terms, each under a step of the job, wherever it ran (the second step
    // runs on two threads)
    for (JsonNode op : ops(s)) {
      assertTrue(op.path("kind").asText().startsWith("spring-batch-"), op::toString);
      String path = path(op);
      assertTrue(path.equals(JOB) || path.startsWith(JOB + " > step "), path);
    }
  }

  /**
   * The calls of an operation under a step are {@code expected}: exactly when no node of it was
   * sampled (always in the runs with every call timed), else they are an estimate, and only their
   * presence is checked.
   */
  private static void assertCalls(Run run, Snapshots s, String name, String step, long expected) {
    boolean sampled = under(s, name, step).stream().anyMatch(o -> o.has("sampling"));
    if (run.exact()) {
      assertTrue(!sampled, name + " under " + step + " sampled although every call is timed");
    }
    if (sampled) {
      assertTrue(callsUnder(s, name, step) > 0, step + " " + name + " (sampled)");
    } else {
      assertEquals(expected, callsUnder(s, name, step), step + " " + name);
    }
  }

  private static List<JsonNode> under(Snapshots s, String name, String step) {
    return s.operations(name).stream()
        .filter(o -> path(o).startsWith(JOB + " > step " + step + " > "))
        .toList();
  }

  private static long callsUnder(Snapshots s, String name, String step) {
    return s.operations(name).stream()
        .filter(o -> path(o).startsWith(JOB + " > step " + step + " > "))
        .mapToLong(o -> o.path("calls").asLong())
        .sum();
  }

  private static List<JsonNode> ops(Snapshots s) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode line : s.lines()) {
      line.path("operations").forEach(all::add);
    }
    return all;
  }

  private static String path(JsonNode op) {
    List<String> p = new ArrayList<>();
    op.path("path").forEach(n -> p.add(n.asText()));
    return String.join(" > ", p);
  }

  private static Set<String> paths(Run run) throws IOException {
    Set<String> paths = new TreeSet<>();
    for (JsonNode op : ops(run.result().snapshots())) {
      paths.add(path(op));
    }
    return paths;
  }
}
