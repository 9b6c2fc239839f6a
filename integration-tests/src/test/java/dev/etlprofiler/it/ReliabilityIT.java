package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etlprofiler.it.apps.ExitApp;
import dev.etlprofiler.it.apps.SteadyApp;
import dev.etlprofiler.it.apps.pipeline.PipelineApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and bad disks never break the job and never lose data: a malformed configuration is one
 * line and the rest applies; snapshots stay inside {@code output.dir}; intervals that cannot be
 * written are kept and written, each on its own line, when the disk takes them again. Scenarios:
 * {@code docs/reliability.md}, <i>Agent scenarios</i>.
 */
class ReliabilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Short intervals; no sampling, so that every call is counted exactly. */
  private static final String FAST = "output.interval=200ms,overhead.cpu-budget=0";

  @Test
  void aPlainStringTargetIsAClassPatternAndTheOtherTargetsStay(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .config(
                """
                instrument:
                  targets:
                    - dev.etlprofiler.it.apps.pipeline.Transform
                    - packages: [dev.etlprofiler.it.apps.pipeline]
                      methods: [read]
                """)
            .main(PipelineApp.class, "10", "0")
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("records=10 failed=4"), r.stdout());
    assertEquals(List.of(), r.agentLines().stream().filter(l -> l.contains("config:")).toList());
    Snapshots s = r.snapshots();
    assertEquals(10, s.calls("Extract.read"), r.toString());
    assertEquals(10, s.calls("Transform.apply"), r.toString());
  }

  @Test
  void yamlNested100000LevelsDeepIsOneLineAndTheDefaultsApply(@TempDir Path dir) throws Exception {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .config("output:\n  interval: 2s\nrun:\n  labels: " + deep + "\n")
            .main(ExitApp.class, "normal", "5")
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("ticked 5\n", r.stdout());
    List<String> config = r.agentLines().stream().filter(l -> l.contains("config:")).toList();
    assertEquals(1, config.size(), r.stderr());
    assertTrue(
        config.get(0).contains("not valid YAML") && config.get(0).contains("deeper than 64"),
        config.get(0));
    assertEquals(5, r.snapshots().calls("tick"), "the defaults: annotated methods are profiled");
  }

  @Test
  void aRunIdOfDotDotWritesNothingOutsideTheOutputDirectory(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("out/inner"));
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .agentArgs("output.dir=out/inner,run.id=..")
            .main(ExitApp.class, "normal", "3")
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    List<String> config = r.agentLines().stream().filter(l -> l.contains("config:")).toList();
    assertEquals(1, config.size(), r.stderr());
    assertTrue(config.get(0).contains("run.id") && config.get(0).contains("'..'"), config.get(0));
    List<Path> files = jsonl(dir);
    assertEquals(1, files.size(), files.toString());
    Path runDir = files.get(0).getParent();
    assertEquals(dir.resolve("out/inner"), runDir.getParent(), files.toString());
    assertTrue(runDir.getFileName().toString().matches("\\d{8}-\\d{6}-\\d+"), runDir.toString());
    assertEquals(3, Snapshots.read(dir.resolve("out/inner")).calls("tick"));
  }

  /**
   * The output directory cannot be created at first (a file stands where it should be), then can:
   * the intervals of the first seconds are written then, none is lost.
   */
  @Test
  void intervalsThatCouldNotBeWrittenAreWrittenOnceTheDirectoryIsWritable(@TempDir Path dir)
      throws Exception {
    Path blocker = dir.resolve("blocker");
    Files.writeString(blocker, "a file where the output directory should be");
    ForkedJvm jvm =
        new ForkedJvm(dir).agentArgs(FAST + ",output.dir=blocker/out").main(SteadyApp.class);
    Process p = jvm.start();
    try {
      awaitText(dir.resolve("stdout.txt"), "ready", p);
      awaitText(dir.resolve("stderr.txt"), "cannot write snapshots", p);
      Thread.sleep(1200); // about six intervals that cannot be written
      Files.delete(blocker);
      awaitText(dir.resolve("stderr.txt"), "snapshots are written again", p);
      Files.writeString(dir.resolve("stop"), "");
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the job did not stop");
    } finally {
      p.destroyForcibly();
    }
    ForkedJvm.Result r = jvm.result(p.exitValue());
    assertEquals(0, r.exitCode(), r.toString());
    assertNothingLost(r, blocker.resolve("out"), 4);
  }

  /**
   * The disk fills up while the job runs (a 256 KiB tmpfs, filled by another file), then space
   * returns: no line is glued to a partial one, and every interval is written, in order.
   */
  @Test
  void aFullDiskGluesNoLinesAndLosesNoIntervalOnceSpaceReturns(@TempDir Path dir) throws Exception {
    Path mnt = dir.resolve("mnt");
    Files.createDirectories(mnt);
    mountTmpfs(mnt, "256k");
    try {
      Path out = mnt.resolve("out");
      ForkedJvm jvm =
          new ForkedJvm(dir).agentArgs(FAST + ",output.dir=" + out).main(SteadyApp.class);
      Process p = jvm.start();
      try {
        awaitText(dir.resolve("stdout.txt"), "ready", p);
        awaitLines(out, 2, p);
        Path filler = mnt.resolve("filler");
        fill(filler);
        assertEquals(0, Files.getFileStore(mnt).getUsableSpace(), "the disk is full");
        awaitText(dir.resolve("stderr.txt"), "cannot write snapshots", p);
        Thread.sleep(1200); // about six intervals that cannot be written
        Files.delete(filler);
        awaitText(dir.resolve("stderr.txt"), "snapshots are written again", p);
        Files.writeString(dir.resolve("stop"), "");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the job did not stop");
      } finally {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
      ForkedJvm.Result r = jvm.result(p.exitValue());
      assertEquals(0, r.exitCode(), r.toString());
      assertNothingLost(r, out, 4);
    } finally {
      run("umount", mnt.toString());
    }
  }

  @Test
  void snapshotFilesAreNoWiderThanTheUmaskAllows(@TempDir Path dir) throws Exception {
    for (String[] c :
        List.of(
            new String[] {"077", "rw-------", "rwx------"},
            new String[] {"027", "rw-r-----", "rwxr-x---"})) {
      Path work = Files.createDirectories(dir.resolve("umask" + c[0]));
      ForkedJvm jvm =
          new ForkedJvm(work).agentArgs("output.dir=out/nested").main(ExitApp.class, "normal", "2");
      List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask " + c[0] + " && exec \"$@\""));
      cmd.add("sh");
      cmd.addAll(jvm.command());
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("PROFILER_"));
      pb.redirectOutput(work.resolve("stdout.txt").toFile());
      pb.redirectError(work.resolve("stderr.txt").toFile());
      Process p = pb.start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      ForkedJvm.Result r = jvm.result(p.exitValue());
      assertEquals(0, r.exitCode(), r.toString());
      List<Path> files = jsonl(work);
      assertEquals(1, files.size(), r.toString());
      Path file = files.get(0);
      assertEquals(c[1], permissions(file), "umask " + c[0] + ": " + file);
      for (Path d = file.getParent(); !d.equals(work); d = d.getParent()) {
        assertEquals(c[2], permissions(d), "umask " + c[0] + ": " + d);
      }
    }
  }

  // ---- helpers ----

  /**
   * Every line of every snapshot file is complete JSON; the seq numbers run from 0 without a gap or
   * a repeat; the calls add up to what the job made; the last line is the final one; the agent said
   * once that it could not write, and that it writes again.
   */
  @Test
  void aMillionDistinctOperationNamesFinishInBoundedMemoryAndEveryCallIsCounted(@TempDir Path dir)
      throws Exception {
    int n = 1_000_000;
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .agentArgs("output.dir=out,limits.max-operations=1000")
            .main(dev.etlprofiler.it.apps.ManyNamesApp.class, Integer.toString(n))
            .run(); // -Xmx256m; run() fails the test after 120 s
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("operations " + n + " records " + n), r.stdout());
    Snapshots s = Snapshots.read(dir.resolve("out"));
    long calls = 0;
    long records = 0;
    long distinct = 0;
    long folded = 0;
    long dropped = 0;
    for (var line : s.lines()) {
      for (var op : line.path("operations")) {
        calls += op.path("calls").asLong();
        records += op.path("counters").path("records").asLong();
        if (op.path("name").asText().startsWith("op-")) distinct++;
      }
      folded += line.path("agent").path("foldedNameCalls").asLong();
      dropped += line.path("agent").path("droppedOperations").asLong();
    }
    assertEquals(n, calls, "every call counted, named or folded");
    assertEquals(n, records);
    assertTrue(distinct < 1000, "at most limits.max-operations nodes: " + distinct);
    assertTrue(
        s.calls("(other)") > n - 1000 && folded + dropped > 0,
        "the rest folded into (other), and the snapshot says so: "
            + s.calls("(other)")
            + " calls, foldedNameCalls "
            + folded
            + ", droppedOperations "
            + dropped);
  }

  private static void assertNothingLost(ForkedJvm.Result r, Path out, int minLines)
      throws IOException {
    Matcher m = Pattern.compile("steps=(\\d+)").matcher(r.stdout());
    assertTrue(m.find(), r.toString());
    long steps = Long.parseLong(m.group(1));
    List<Path> files = jsonl(out);
    assertEquals(1, files.size(), files.toString());
    String text = Files.readString(files.get(0), StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"), "the file ends with a complete line");
    List<JsonNode> lines = new ArrayList<>();
    String[] raw = text.split("\n", -1);
    for (int i = 0; i < raw.length - 1; i++) {
      try {
        lines.add(JSON.readTree(raw[i]));
      } catch (IOException e) {
        String shown = raw[i].length() > 300 ? raw[i].substring(0, 300) + "..." : raw[i];
        fail("line " + (i + 1) + " of " + files.get(0) + " is not one JSON object: " + shown);
      }
    }
    assertTrue(lines.size() >= minLines, "lines: " + lines.size());
    long calls = 0;
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(i, lines.get(i).path("seq").asInt(), "line " + (i + 1) + ": no interval lost");
      for (JsonNode op : lines.get(i).path("operations")) {
        if (op.path("name").asText().equals("step")) calls += op.path("calls").asLong();
      }
    }
    assertEquals(steps, calls, "every call of the job is in the snapshots");
    assertTrue(lines.get(lines.size() - 1).path("final").asBoolean());
    List<String> agent = r.agentLines();
    assertEquals(
        1, agent.stream().filter(l -> l.contains("cannot write snapshots")).count(), r.stderr());
    assertTrue(agent.stream().anyMatch(l -> l.contains("snapshots are written again")), r.stderr());
  }

  private static List<Path> jsonl(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  private static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static void awaitText(Path file, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      assertTrue(p.isAlive(), "the job ended before " + file.getFileName() + " said " + text);
      Thread.sleep(20);
    }
    fail(file.getFileName() + " did not say '" + text + "' in 60 s");
  }

  private static void awaitLines(Path out, int lines, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      List<Path> files = jsonl(out);
      if (!files.isEmpty()
          && Files.readString(files.get(0)).chars().filter(c -> c == '\n').count() >= lines) {
        return;
      }
      assertTrue(p.isAlive(), "the job ended early");
      Thread.sleep(20);
    }
    fail("no " + lines + " snapshot lines in 60 s");
  }

  /** Writes the file until the file system has no space left. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream o = Files.newOutputStream(filler)) {
      while (true) {
        o.write(block);
      }
    } catch (IOException full) {
      // the disk is full: what the test wants
    }
  }

  /** A small file system the test can fill; needs root (skipped, saying so, without). */
  private static void mountTmpfs(Path at, String size) throws Exception {
    String out =
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0777", "tmpfs", at.toString());
    Assumptions.assumeTrue(out == null, "cannot mount a tmpfs to fill (needs root): " + out);
  }

  /** Runs a command; null when it succeeded, else what it printed. */
  private static String run(String... cmd) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.toString();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 ? null : out.isBlank() ? "exit " + p.exitValue() : out.strip();
  }
}
