package dev.etlprofiler.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test application in a new JVM, with or without the built agent, in its own working
 * directory, and captures what it printed. The JDK is the build's, or {@code it.java.home}.
 */
public final class ForkedJvm {
  private static final Path AGENT_JAR =
      Path.of(System.getProperty("it.agent.jar", "../agent/target/profiler-agent.jar"));
  private static final Path TEST_CLASSES =
      Path.of(System.getProperty("it.test.classes", "target/test-classes"));
  private static final Path API_JAR =
      Path.of(System.getProperty("it.api.jar", "../agent-api/target/agent-api.jar"));

  private final Path workDir;
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> classPath = new ArrayList<>();
  private final Map<String, String> env = new java.util.HashMap<>();
  private String agentArgs;
  private boolean withAgent = true;
  private String mainClass;
  private final List<String> args = new ArrayList<>();

  public ForkedJvm(Path workDir) {
    this.workDir = workDir;
    classPath.add(TEST_CLASSES.toAbsolutePath().toString());
    classPath.add(API_JAR.toAbsolutePath().toString());
  }

  public static Path agentJar() {
    return AGENT_JAR.toAbsolutePath();
  }

  public static String javaHome() {
    return System.getProperty("it.java.home", System.getProperty("java.home"));
  }

  public static int javaFeatureVersion() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(Path.of(javaHome(), "bin", "java").toString(), "-version")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"(\\d+)").matcher(out);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  public ForkedJvm withoutAgent() {
    withAgent = false;
    return this;
  }

  /** Agent arguments after {@code =}, e.g. {@code config=profiler.yaml}. */
  public ForkedJvm agentArgs(String a) {
    agentArgs = a;
    return this;
  }

  /** Writes {@code profiler.yaml} into the working directory and points the agent at it. */
  public ForkedJvm config(String yaml) throws IOException {
    Files.writeString(workDir.resolve("profiler.yaml"), yaml);
    return agentArgs("config=profiler.yaml");
  }

  public ForkedJvm jvmArg(String a) {
    jvmArgs.add(a);
    return this;
  }

  public ForkedJvm env(String k, String v) {
    env.put(k, v);
    return this;
  }

  public ForkedJvm classPath(Path p) {
    classPath.add(p.toAbsolutePath().toString());
    return this;
  }

  public ForkedJvm main(Class<?> main, String... mainArgs) {
    mainClass = main.getName();
    args.addAll(List.of(mainArgs));
    return this;
  }

  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(javaHome(), "bin", "java").toString());
    cmd.add("-Xmx256m");
    if (withAgent) {
      cmd.add(
          "-javaagent:" + AGENT_JAR.toAbsolutePath() + (agentArgs == null ? "" : "=" + agentArgs));
    }
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(String.join(java.io.File.pathSeparator, classPath));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  public Process start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command()).directory(workDir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("PROFILER_"));
    pb.environment().putAll(env);
    pb.redirectOutput(workDir.resolve("stdout.txt").toFile());
    pb.redirectError(workDir.resolve("stderr.txt").toFile());
    return pb.start();
  }

  /** Runs to completion (at most 120 s) and returns what it printed. */
  public Result run() throws IOException, InterruptedException {
    Process p = start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("forked JVM did not finish in 120 s: " + command());
    }
    return result(p.exitValue());
  }

  public Result result(int exitCode) throws IOException {
    return new Result(
        exitCode,
        Files.readString(workDir.resolve("stdout.txt")),
        Files.readString(workDir.resolve("stderr.txt")),
        workDir);
  }

  /** What a forked JVM did. */
  public record Result(int exitCode, String stdout, String stderr, Path workDir) {
    public Snapshots snapshots() throws IOException {
      return Snapshots.read(workDir.resolve("profiler-out"));
    }

    /** The agent's own lines on stderr. */
    public List<String> agentLines() {
      return stderr.lines().filter(l -> l.startsWith("[etl-profiler]")).toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }
}
