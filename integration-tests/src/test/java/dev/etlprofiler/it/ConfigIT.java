package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.apps.ExitApp;
import dev.etlprofiler.it.apps.pipeline.PipelineApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration: one clear line, and the job runs on, profiling what it can. */
class ConfigIT {
  @Test
  void aBadValueGivesOneLineNamingKeyValueAndWhatIsAllowed(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .config(
                """
            output:
              interval: banana
            instrument:
              targets:
                - packages: [dev.etlprofiler.it.apps.pipeline]
                  methods: [read]
            """)
            .main(PipelineApp.class, "10", "0")
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    List<String> config = r.agentLines().stream().filter(l -> l.contains("config:")).toList();
    assertEquals(1, config.size(), r.stderr());
    String line = config.get(0);
    assertTrue(
        line.contains("output.interval") && line.contains("'banana'") && line.contains("duration"),
        line);
    assertTrue(r.stdout().contains("records=10 failed=4"), r.stdout());
    assertEquals(
        10, r.snapshots().calls("Extract.read"), "the rest of the configuration still applies");
  }

  @Test
  void anUnknownKeyIsNamedWithTheAllowedOnes(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .config("output:\n  directory: /tmp/x\n")
            .main(ExitApp.class, "normal", "3")
            .run();
    assertEquals(0, r.exitCode());
    List<String> config = r.agentLines().stream().filter(l -> l.contains("config:")).toList();
    assertEquals(1, config.size(), r.stderr());
    assertTrue(
        config.get(0).contains("'output.directory'") && config.get(0).contains("output.dir"),
        config.get(0));
  }

  @Test
  void brokenYamlStillProfilesAnnotatedMethodsWithDefaults(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .config("output: [unclosed\n  interval: : :\n")
            .main(ExitApp.class, "normal", "5")
            .run();
    assertEquals(0, r.exitCode());
    assertEquals("ticked 5\n", r.stdout());
    List<String> config = r.agentLines().stream().filter(l -> l.contains("config:")).toList();
    assertEquals(1, config.size(), r.stderr());
    assertTrue(config.get(0).contains("not valid YAML"), config.get(0));
    assertEquals(5, r.snapshots().calls("tick"));
  }

  @Test
  void aMissingConfigFileIsReportedAndDefaultsApply(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir).agentArgs("config=nope.yaml").main(ExitApp.class, "normal", "2").run();
    assertEquals(0, r.exitCode());
    assertTrue(
        r.agentLines().stream().anyMatch(l -> l.contains("nope.yaml not found")), r.stderr());
    assertEquals(2, r.snapshots().calls("tick"));
  }

  @Test
  void systemPropertiesAndEnvironmentOverrideTheFile(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .config("output:\n  dir: from-file\nrun:\n  id: file-run\n")
            .env("PROFILER_RUN_ID", "env-run")
            .env("PROFILER_RUN_LABELS_TEAM", "data")
            .jvmArg("-Dprofiler.output.dir=from-sysprop")
            .main(ExitApp.class, "normal", "2")
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    Path file = dir.resolve("from-sysprop").resolve("env-run");
    assertTrue(java.nio.file.Files.isDirectory(file), r.stderr());
    var s = dev.etlprofiler.it.harness.Snapshots.read(dir.resolve("from-sysprop"));
    assertEquals("env-run", s.last().path("runId").asText());
    assertEquals("data", s.last().path("labels").path("team").asText());
  }

  @Test
  void anUnwritableOutputDirectoryIsReportedOnceAndTheJobFinishes(@TempDir Path dir)
      throws Exception {
    java.nio.file.Files.writeString(dir.resolve("blocker"), "a file where the directory should be");
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .agentArgs("output.dir=blocker/out,output.interval=200ms")
            .main(ExitApp.class, "normal", "300")
            .run();
    assertEquals(0, r.exitCode());
    assertEquals("ticked 300\n", r.stdout());
    assertEquals(
        1,
        r.agentLines().stream().filter(l -> l.contains("cannot write snapshots")).count(),
        r.stderr());
  }
}
