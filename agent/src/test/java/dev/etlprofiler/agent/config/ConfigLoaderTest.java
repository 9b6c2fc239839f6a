package dev.etlprofiler.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static ConfigLoader.Result load(String args, Map<String, String> env, Properties sys) {
    return ConfigLoader.load(args, env, sys, 42);
  }

  @Test
  void theSpringBatchPresetAddsNoTargetsUnlessFrameworkInternalsAreAsked() {
    Properties sys = new Properties();
    sys.setProperty("profiler.instrument.presets", "spring-batch");
    ConfigLoader.Result plain = load("", Map.of(), sys);
    assertEquals(List.of(), plain.problems());
    assertEquals(List.of("spring-batch"), plain.config().presets());
    assertEquals(List.of(), plain.config().targets(), "the preset switches its library on");
    sys.setProperty("profiler.instrument.framework-internals", "true");
    ConfigLoader.Result internals = load("", Map.of(), sys);
    assertEquals(List.of(), internals.problems());
    assertEquals(Presets.internals("spring-batch"), internals.config().targets());
    assertEquals(4, internals.config().targets().size(), "reader, processor, writer, tasklet");
  }

  @Test
  void generatedRunIdsAreTheUtcTimeAsJavaTimeGivesIt() {
    java.time.format.DateTimeFormatter f =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(java.time.ZoneOffset.UTC);
    java.util.Random random = new java.util.Random(42);
    long[] fixed = {
      0L,
      951_782_400_000L /* 2000-02-29 */,
      4_107_542_399_000L /* 2100-02-28T23:59:59 */,
      1_795_477_885_196L,
      -86_400_000L
    };
    for (long t : fixed) {
      assertEquals(
          f.format(java.time.Instant.ofEpochMilli(t)), ConfigLoader.utcStamp(t), "at " + t);
    }
    for (int i = 0; i < 10_000; i++) {
      long t = (long) (random.nextDouble() * 4_000_000_000_000L);
      assertEquals(
          f.format(java.time.Instant.ofEpochMilli(t)), ConfigLoader.utcStamp(t), "at " + t);
    }
    assertTrue(
        ConfigLoader.generatedRunId(123).matches("\\d{8}-\\d{6}-123"),
        ConfigLoader.generatedRunId(123));
  }

  @Test
  void noConfigAtAllGivesTheDocumentedDefaults() {
    ConfigLoader.Result r = load(null, Map.of(), new Properties());
    ProfilerConfig c = r.config();
    assertEquals(List.of(), r.problems());
    assertTrue(c.enabled());
    assertEquals(Path.of("./profiler-out"), c.outputDir());
    assertEquals(Duration.ofSeconds(10), c.interval());
    assertEquals(Duration.ofSeconds(1), c.resourcesInterval());
    assertTrue(c.annotations());
    assertEquals(List.of(), c.targets());
    assertEquals(1000, c.maxOperations());
    assertTrue(c.runId().matches("\\d{8}-\\d{6}-42"), c.runId());
  }

  @Test
  void readsTheYamlFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.yaml");
    Files.writeString(
        f,
        """
        output:
          dir: out
          interval: 500ms
        run:
          id: nightly-7
          labels: {job: orders, env: prod}
        session: {dataset: orders, source: eia}
        instrument:
          presets: [spring-batch]
          targets:
            - packages: [com.acme.etl]
              methods: [read*, write]
              exclude-methods: [readme]
          exclude:
            classes: ["*Test"]
        limits:
          max-operations: 50
        """);
    ConfigLoader.Result r = load("config=" + f, Map.of(), new Properties());
    assertEquals(List.of(), r.problems());
    ProfilerConfig c = r.config();
    assertEquals(Path.of("out"), c.outputDir());
    assertEquals(Duration.ofMillis(500), c.interval());
    assertEquals("nightly-7", c.runId());
    assertEquals(Map.of("job", "orders", "env", "prod"), c.labels());
    assertEquals("orders", c.sessionDataset());
    assertEquals(50, c.maxOperations());
    assertEquals(List.of("*Test"), c.excludeClasses());
    Target first = c.targets().get(0);
    assertEquals(List.of("com.acme.etl"), first.packages());
    assertEquals(List.of("read*", "write"), first.methods());
    assertEquals(List.of("readme"), first.excludeMethods());
    assertEquals(1 + Presets.get("spring-batch").size(), c.targets().size());
  }

  @Test
  void precedenceIsFileThenAgentArgumentsThenEnvironmentThenSystemProperties(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("p.yaml");
    Files.writeString(
        f,
        "output:\n  dir: file\n  interval: 1s\nrun:\n  id: file\nlimits:\n  max-operations: 20\n");
    Properties sys = new Properties();
    sys.setProperty("profiler.output.dir", "sys");
    sys.setProperty("unrelated.key", "x");
    Map<String, String> env =
        Map.of(
            "PROFILER_OUTPUT_DIR",
            "env",
            "PROFILER_RUN_ID",
            "env",
            "PROFILER_LIMITS_MAX_OPERATIONS",
            "30");
    ConfigLoader.Result r =
        load("config=" + f + ",output.interval=2s,run.id=arg,limits.max-operations=25", env, sys);
    assertEquals(List.of(), r.problems());
    assertEquals(Path.of("sys"), r.config().outputDir());
    assertEquals("env", r.config().runId());
    assertEquals(30, r.config().maxOperations());
    assertEquals(Duration.ofSeconds(2), r.config().interval());
  }

  @Test
  void shorthandKeysMakeOneTargetFromTheCommandLine() {
    Properties sys = new Properties();
    sys.setProperty("profiler.instrument.packages", "com.acme.etl, com.acme.load");
    sys.setProperty("profiler.instrument.methods", "process");
    ConfigLoader.Result r = load(null, Map.of(), sys);
    assertEquals(List.of(), r.problems());
    Target t = r.config().targets().get(0);
    assertEquals(List.of("com.acme.etl", "com.acme.load"), t.packages());
    assertEquals(List.of("process"), t.methods());
  }

  @Test
  void eachBadValueIsOneLineWithKeyValueAndWhatIsAllowedAndKeepsTheDefault() {
    Properties sys = new Properties();
    sys.setProperty("profiler.output.interval", "soon");
    sys.setProperty("profiler.limits.max-operations", "-3");
    sys.setProperty("profiler.enabled", "yes please");
    sys.setProperty("profiler.resources.process-metrics", "magic");
    sys.setProperty("profiler.instrument.presets", "spring-batch,nope");
    ConfigLoader.Result r = load(null, Map.of(), sys);
    assertEquals(5, r.problems().size(), String.join("\n", r.problems()));
    assertTrue(
        r.problems().stream()
            .anyMatch(
                p ->
                    p.contains("output.interval")
                        && p.contains("'soon'")
                        && p.contains("duration")));
    assertTrue(
        r.problems().stream()
            .anyMatch(
                p ->
                    p.contains("limits.max-operations")
                        && p.contains("'-3'")
                        && p.contains("10 to 1000000")));
    assertTrue(
        r.problems().stream().anyMatch(p -> p.contains("enabled") && p.contains("true or false")));
    assertTrue(
        r.problems().stream()
            .anyMatch(p -> p.contains("'magic'") && p.contains("auto, proc, oshi")));
    assertTrue(
        r.problems().stream().anyMatch(p -> p.contains("'nope'") && p.contains("spring-batch")));
    assertEquals(Duration.ofSeconds(10), r.config().interval());
    assertEquals(1000, r.config().maxOperations());
    assertTrue(r.config().enabled());
    assertEquals(List.of("spring-batch"), r.config().presets());
  }

  @Test
  void unknownKeysAndTargetsWithoutTypesAreReported(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.yaml");
    Files.writeString(
        f,
        """
        outptu:
          dir: x
        instrument:
          targets:
            - methods: [run]
            - packages: [a.b]
              method: [typo]
        """);
    ConfigLoader.Result r = load("config=" + f, Map.of(), new Properties());
    assertEquals(3, r.problems().size(), String.join("\n", r.problems()));
    assertTrue(
        r.problems().get(0).contains("unknown key 'outptu.dir'")
            || r.problems().get(0).contains("unknown key 'outptu'"));
    assertTrue(
        r.problems().stream().anyMatch(p -> p.contains("instrument.targets[0] selects no types")));
    assertTrue(
        r.problems().stream()
            .anyMatch(
                p ->
                    p.contains("'instrument.targets[1].method'") && p.contains("exclude-methods")));
    assertEquals(1, r.config().targets().size());
  }

  @Test
  void parsesDurations() {
    assertEquals(Duration.ofMillis(250), ConfigLoader.parseDuration("250ms"));
    assertEquals(Duration.ofSeconds(10), ConfigLoader.parseDuration("10"));
    assertEquals(Duration.ofMinutes(2), ConfigLoader.parseDuration("2m"));
    assertEquals(Duration.ofMillis(1500), ConfigLoader.parseDuration("1.5s"));
    assertEquals(null, ConfigLoader.parseDuration("ten seconds"));
  }

  @Test
  void everyKeyIsDocumentedWithItsDefault() throws Exception {
    Path doc = Path.of("../docs/configuration.md");
    String text = Files.readString(doc);
    for (ConfigKeys.Key key : ConfigKeys.ALL.values()) {
      assertTrue(
          text.contains("`" + key.name() + "`"),
          "docs/configuration.md does not document " + key.name());
      if (key.defaultValue() != null) {
        String row =
            text.lines().filter(l -> l.startsWith("| `" + key.name() + "`")).findFirst().orElse("");
        assertTrue(
            row.contains(key.defaultValue()),
            "docs/configuration.md: default of " + key.name() + " is " + key.defaultValue());
      }
    }
    for (String preset : Presets.names()) {
      assertTrue(
          text.contains("`" + preset + "`"),
          "docs/configuration.md does not document preset " + preset);
    }
  }
}
