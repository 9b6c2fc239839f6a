package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.harness.ForkedJvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application carries old Jackson 2.9, ByteBuddy 1.12 and JNA 5.10 (the agent uses newer ones).
 * It gets its own versions and works, and the agent still profiles it.
 */
class IsolationIT {
  @Test
  void theApplicationGetsItsOwnVersionsOfTheAgentsDependencies(@TempDir Path dir) throws Exception {
    List<Path> libs;
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("it.libs")))) {
      libs = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
    assertEquals(5, libs.size(), "conflicting libraries prepared by the build: " + libs);
    Path classes = Files.createDirectory(dir.resolve("app-classes"));
    compileApp(libs, classes);

    ForkedJvm.Result with = runByName(dir.resolve("with"), classes, libs, true);
    ForkedJvm.Result without = runByName(dir.resolve("without"), classes, libs, false);

    assertEquals(0, with.exitCode(), with.toString());
    assertEquals(without.stdout(), with.stdout());
    assertTrue(with.stdout().contains("jackson=2.9.10"), with.stdout());
    assertTrue(with.stdout().contains("bytebuddy=byte-buddy-1.12.19.jar"), with.stdout());
    assertTrue(with.stdout().contains("jna=jna-5.10.0.jar"), with.stdout());
    assertTrue(with.stdout().contains("{\"a\":1} hello from bytebuddy pointer=8"), with.stdout());
    assertEquals(1, with.snapshots().calls("isolation.work"));
  }

  private static ForkedJvm.Result runByName(Path dir, Path classes, List<Path> libs, boolean agent)
      throws Exception {
    Files.createDirectories(dir);
    List<String> cp = new ArrayList<>();
    cp.add(classes.toString());
    cp.add(Path.of(System.getProperty("it.api.jar")).toString());
    libs.forEach(l -> cp.add(l.toString()));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(ForkedJvm.javaHome(), "bin", "java").toString());
    if (agent) cmd.add("-javaagent:" + ForkedJvm.agentJar());
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, cp));
    cmd.add("isolation.IsolationApp");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    p.waitFor();
    return new ForkedJvm.Result(
        p.exitValue(),
        Files.readString(dir.resolve("stdout.txt")),
        Files.readString(dir.resolve("stderr.txt")),
        dir);
  }

  private static void compileApp(List<Path> libs, Path out) throws Exception {
    Path source =
        Path.of(IsolationIT.class.getResource("/isolation-app/IsolationApp.java").toURI());
    List<String> cp = new ArrayList<>();
    cp.add(Path.of(System.getProperty("it.api.jar")).toString());
    libs.forEach(l -> cp.add(l.toString()));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "--release",
            "17",
            "-proc:none",
            "-cp",
            String.join(File.pathSeparator, cp),
            "-d",
            out.toString(),
            source.toString());
    assertEquals(0, rc, "isolation app compiles against the old libraries");
  }
}
