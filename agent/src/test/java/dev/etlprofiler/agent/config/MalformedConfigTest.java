package dev.etlprofiler.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever shape a configuration has, the loader returns: each malformed key is one line naming the
 * key, the value and what is allowed, and everything else still applies.
 */
class MalformedConfigTest {
  /** The part of every document that is valid: it must survive any bad neighbour. */
  private static final String VALID =
      """
      debug: true
      run:
        labels: {team: data}
      """;

  private static final Target GOOD_TARGET =
      new Target(List.of(), List.of("com.good"), List.of(), List.of(), List.of(), List.of());

  private static ConfigLoader.Result loadYaml(Path dir, String yaml) throws Exception {
    Path f = dir.resolve("p.yaml");
    Files.writeString(f, yaml);
    return ConfigLoader.load("config=" + f, Map.of(), new Properties(), 42);
  }

  @Test
  void aPlainStringTargetIsAClassPatternAndTheOtherTargetsStay(@TempDir Path dir) throws Exception {
    ConfigLoader.Result r =
        loadYaml(
            dir,
            VALID
                + """
                instrument:
                  targets:
                    - com.acme.Foo
                    - packages: [com.good]
                    - "com.acme.**.*Stage"
                """);
    assertEquals(List.of(), r.problems());
    assertEquals(
        List.of(
            new Target(
                List.of("com.acme.Foo"), List.of(), List.of(), List.of(), List.of(), List.of()),
            GOOD_TARGET,
            new Target(
                List.of("com.acme.**.*Stage"),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of())),
        r.config().targets());
    assertTrue(r.config().debug());
  }

  @Test
  void aTargetsScalarIsReadAsClassPatterns(@TempDir Path dir) throws Exception {
    ConfigLoader.Result r = loadYaml(dir, "instrument:\n  targets: com.acme.Foo\n");
    assertEquals(List.of(), r.problems());
    assertEquals(List.of("com.acme.Foo"), r.config().targets().get(0).classes());
  }

  /** One malformed key each: YAML text below VALID, the key it names, a part of the value. */
  private record Case(String yaml, String key, String value) {}

  private static final List<Case> CASES =
      List.of(
          // instrument.targets entries
          new Case(
              "instrument:\n  targets:\n    - ~\n    - packages: [com.good]\n",
              "instrument.targets[0]",
              "null"),
          new Case(
              "instrument:\n  targets:\n    - [a, b]\n    - packages: [com.good]\n",
              "instrument.targets[0]",
              "[a, b]"),
          new Case(
              "instrument:\n  targets:\n    - classes: {a: b}\n    - packages: [com.good]\n",
              "instrument.targets[0].classes",
              "{a=b}"),
          new Case(
              "instrument:\n  targets:\n    - classes: [A]\n      methods: [[run]]\n    - packages: [com.good]\n",
              "instrument.targets[0].methods",
              "[run]"),
          new Case(
              "instrument:\n  targets:\n    - classes: [A]\n      exclude-methods: [{x: y}]\n    - packages: [com.good]\n",
              "instrument.targets[0].exclude-methods",
              "{x=y}"),
          new Case(
              "instrument:\n  targets:\n    - classes: [A]\n      methods: {a: b}\n    - packages: [com.good]\n",
              "instrument.targets[0].methods",
              "{a=b}"),
          // a map where the list of targets is expected: read as one target
          new Case("instrument:\n  targets: {packages: [com.good]}\n", "instrument.targets", "{"),
          // scalars given a list or a map
          new Case("output:\n  dir: [a, b]\n", "output.dir", "[a, b]"),
          new Case("instrument:\n  annotations: {a: b}\n", "instrument.annotations", "{a=b}"),
          new Case("session:\n  dataset: [x]\n", "session.dataset", "[x]"),
          new Case("limits:\n  max-operations: [5]\n", "limits.max-operations", "[5]"),
          // numbers out of range
          new Case("limits:\n  max-operations: 99999999999999\n", "limits.max-operations", "9999"),
          new Case("overhead:\n  cpu-budget: NaN\n", "overhead.cpu-budget", "NaN"),
          new Case("overhead:\n  cpu-budget: 1e400\n", "overhead.cpu-budget", "1e400"),
          new Case("resources:\n  interval: 100000000000h\n", "resources.interval", "h"),
          new Case(
              "clients:\n  http:\n    max-endpoints-per-host: -1\n",
              "clients.http.max-endpoints-per-host",
              "-1"),
          // lists given a map or nested lists
          new Case("instrument:\n  presets: {a: b}\n", "instrument.presets", "{a=b}"),
          new Case(
              "instrument:\n  exclude:\n    classes: [[a]]\n", "instrument.exclude.classes", "[a]"),
          new Case(
              "clients:\n  http:\n    path-templates: [{a: b}]\n",
              "clients.http.path-templates",
              "{a=b}"),
          // maps given a list, a scalar or nested values
          new Case("session:\n  source: {a: b}\n", "session.source", "{a=b}"),
          // a section given a scalar or a list
          new Case("limits: 5\n", "limits", "5"),
          new Case("instrument:\n  exclude: [a]\n", "instrument.exclude", "[a]"),
          // a value that is no path
          new Case("output:\n  dir: \"a\\0b\"\n", "output.dir", "a"));

  @Test
  void eachMalformedShapeIsOneLineAndTheRestOfTheConfigStays(@TempDir Path dir) throws Exception {
    for (Case c : CASES) {
      String yaml = VALID + c.yaml();
      ConfigLoader.Result r = loadYaml(dir, yaml);
      String where = "document:\n" + yaml + "\nproblems:\n" + String.join("\n", r.problems());
      assertEquals(1, r.problems().size(), where);
      String line = r.problems().get(0);
      assertTrue(line.contains(c.key()) && line.contains(c.value()), where);
      assertTrue(line.contains("allowed"), where);
      assertFalse(line.contains("\n"), where);
      assertTrue(r.config().debug(), where);
      assertEquals(Map.of("team", "data"), r.config().labels(), where);
      if (yaml.contains("com.good")) {
        assertEquals(List.of(GOOD_TARGET), r.config().targets(), where);
      }
    }
  }

  @Test
  void aTargetWithAMalformedValueIsLeftOutWholeRatherThanWidened(@TempDir Path dir)
      throws Exception {
    ConfigLoader.Result r =
        loadYaml(
            dir,
            """
            instrument:
              targets:
                - packages: [com.wide]
                  methods: [[run]]
                - packages: [com.good]
            """);
    assertEquals(1, r.problems().size(), String.join("\n", r.problems()));
    assertTrue(r.problems().get(0).contains("this target is ignored"), r.problems().get(0));
    assertEquals(List.of(GOOD_TARGET), r.config().targets(), "not every method of com.wide");
  }

  @Test
  void badLabelsAreOneLineEachAndTheGoodLabelsStay(@TempDir Path dir) throws Exception {
    ConfigLoader.Result r =
        loadYaml(dir, "run:\n  labels: {team: data, nested: {a: b}, list: [x], empty: ~}\n");
    assertEquals(2, r.problems().size(), String.join("\n", r.problems()));
    assertTrue(r.problems().get(0).contains("run.labels.nested"), r.problems().get(0));
    assertTrue(r.problems().get(1).contains("run.labels.list"), r.problems().get(1));
    assertEquals(Map.of("team", "data", "empty", ""), r.config().labels());
    for (String scalar : List.of("run:\n  labels: [a, b]\n", "run:\n  labels: hello\n")) {
      ConfigLoader.Result s = loadYaml(dir, scalar);
      assertEquals(1, s.problems().size(), scalar + String.join("\n", s.problems()));
      assertTrue(s.problems().get(0).contains("run.labels"), s.problems().get(0));
      assertEquals(Map.of(), s.config().labels());
    }
  }

  @Test
  void aValueIsQuotedOnOneLineAndShortened() {
    Properties sys = new Properties();
    sys.setProperty("profiler.output.interval", "1\nsecond\u0007" + "x".repeat(10_000));
    ConfigLoader.Result r = ConfigLoader.load(null, Map.of(), sys, 42);
    assertEquals(1, r.problems().size());
    String line = r.problems().get(0);
    assertFalse(line.contains("\n") || line.contains("\u0007"), line);
    assertTrue(line.contains("1\\nsecond\\u0007x"), line);
    assertTrue(line.length() < 600, "length " + line.length());
  }

  /** {@code levels} collections nested in one another under run.labels (the root map is one). */
  private static String nested(int levels, boolean flow) {
    int inner = levels - 2; // the root map and the run map
    return flow
        ? "run:\n  labels: " + "[".repeat(inner) + "]".repeat(inner) + "\n"
        : "run:\n  labels:\n    " + "- ".repeat(inner) + "x\n";
  }

  @Test
  void yamlNestedDeeperThan64LevelsIsOneLineAndTheDefaults(@TempDir Path dir) throws Exception {
    // the agent's own reader (flow and block), and Jackson's (an anchor sends the file there)
    for (String prefix : List.of("", "x: &a 1\n")) {
      for (boolean flow : List.of(true, false)) {
        for (int levels : List.of(65, 100_000)) {
          String yaml = "debug: true\n" + prefix + nested(levels, flow);
          ConfigLoader.Result r = loadYaml(dir, yaml);
          String where = levels + " levels, flow " + flow + ", prefix " + prefix + ": ";
          assertEquals(1, r.problems().size(), where + String.join("\n", r.problems()));
          String line = r.problems().get(0);
          assertTrue(
              line.contains("is not valid YAML") && line.contains("deeper than 64"), where + line);
          assertFalse(r.config().debug(), where + "the defaults");
        }
        String yaml = "debug: true\n" + prefix + nested(64, flow);
        ConfigLoader.Result r = loadYaml(dir, yaml);
        assertTrue(r.config().debug(), "64 levels are read: " + r.problems());
      }
    }
  }

  @Test
  void aliasesAreNotExpanded(@TempDir Path dir) throws Exception {
    StringBuilder yaml = new StringBuilder("run:\n  labels:\n    l0: &l0 lol\n");
    for (int i = 1; i < 10; i++) {
      String refs = String.join(", ", java.util.Collections.nCopies(10, "*l" + (i - 1)));
      yaml.append("    l").append(i).append(": &l").append(i).append(" [").append(refs);
      yaml.append("]\n");
    }
    ConfigLoader.Result r = loadYaml(dir, yaml.toString());
    // ten to the ninth "lol"s if the aliases were expanded; Jackson reads an alias as its name
    assertEquals(9, r.problems().size(), String.join("\n", r.problems()));
    for (String p : r.problems()) {
      assertTrue(p.length() < 400, p);
    }
    assertEquals(Map.of("l0", "lol"), r.config().labels());
  }

  @Test
  void aRunIdThatIsNoSafeFileNameIsOneLineAndTheGeneratedId() {
    for (String id :
        List.of(
            "..",
            ".",
            ".hidden",
            "a..b",
            "../escape",
            "a/b",
            "a\\b",
            "a\u0000b",
            "a\nb",
            "a\u007fb",
            "x".repeat(129),
            "CON",
            "nul.txt",
            "Com1",
            "a:b")) {
      Properties sys = new Properties();
      sys.setProperty("profiler.run.id", id);
      ConfigLoader.Result r = ConfigLoader.load(null, Map.of(), sys, 42);
      assertEquals(1, r.problems().size(), id + ": " + r.problems());
      assertTrue(r.problems().get(0).contains("run.id"), r.problems().get(0));
      assertFalse(r.problems().get(0).contains("\n"), r.problems().get(0));
      assertTrue(r.config().runId().matches("\\d{8}-\\d{6}-42"), id + ": " + r.config().runId());
    }
    for (String id : List.of("nightly-7", "a.b_c-D", "x".repeat(128), "20261123.1", "-x")) {
      Properties sys = new Properties();
      sys.setProperty("profiler.run.id", id);
      ConfigLoader.Result r = ConfigLoader.load(null, Map.of(), sys, 42);
      assertEquals(List.of(), r.problems(), id);
      assertEquals(id, r.config().runId());
    }
  }

  @Test
  void manyProblemsAreCappedWithACount(@TempDir Path dir) throws Exception {
    StringBuilder yaml = new StringBuilder("debug: true\n");
    for (int i = 0; i < 120; i++) {
      yaml.append("unknown").append(i).append(": x\n");
    }
    ConfigLoader.Result r = loadYaml(dir, yaml.toString());
    assertEquals(ConfigLoader.MAX_PROBLEMS, r.problems().size());
    assertEquals(
        "... and 71 more problems in the configuration",
        r.problems().get(ConfigLoader.MAX_PROBLEMS - 1));
    assertTrue(r.config().debug());
  }

  @Test
  void aHugeFileIsOneLineAndTheDefaults(@TempDir Path dir) throws Exception {
    String yaml = "debug: true\n" + "# padding\n".repeat(200_000);
    ConfigLoader.Result r = loadYaml(dir, yaml);
    assertEquals(1, r.problems().size(), String.join("\n", r.problems()));
    assertTrue(r.problems().get(0).contains("at most 1048576"), r.problems().get(0));
    assertFalse(r.config().debug());
  }

  @Test
  void aLabelWithoutANameIsOneLine() {
    Properties sys = new Properties();
    sys.setProperty("profiler.run.labels.", "x");
    sys.setProperty("profiler.run.labels.team", "data");
    ConfigLoader.Result r = ConfigLoader.load(null, Map.of(), sys, 42);
    assertEquals(1, r.problems().size(), String.join("\n", r.problems()));
    assertTrue(r.problems().get(0).contains("run.labels"), r.problems().get(0));
    assertEquals(Map.of("team", "data"), r.config().labels());
  }

  @Test
  void overridesOfEveryKeyWithAnyTextNeverThrow() {
    String[] values = {"", " ", ",", ",,", "=", "\u0000", "-1", "1e400", "NaN", "a,b", "{a: b}"};
    for (String key : ConfigKeys.ALL.keySet()) {
      for (String v : values) {
        Properties sys = new Properties();
        sys.setProperty("profiler." + key, v);
        sys.setProperty("profiler." + key + ".x", v);
        ConfigLoader.Result r =
            ConfigLoader.load(
                key + "=" + v, Map.of(ConfigKeys.envName(key), v, "PROFILER_X", v), sys, 42);
        for (String p : r.problems()) {
          assertFalse(p.contains("\n"), key + "=" + v + ": " + p);
        }
      }
    }
  }

  /** Values of every shape YAML can give, as flow YAML (JSON is YAML). */
  private static final List<String> SHAPES =
      List.of(
          "null",
          "\"\"",
          "\"x\"",
          "\"-1\"",
          "\"..\"",
          "[]",
          "{}",
          "[null]",
          "[\"a\", null]",
          "[[\"a\"]]",
          "[{\"a\": \"b\"}]",
          "{\"a\": null}",
          "{\"a\": [\"b\"]}",
          "{\"a\": {\"b\": \"c\"}}",
          "[\"x\", {\"classes\": [\"a\"]}, [\"b\"], null]",
          "{\"classes\": {\"a\": \"b\"}, \"methods\": [[null]]}");

  /**
   * Every shape under every key, and under every key of a target: the loader returns, and each
   * problem is one line.
   */
  @Test
  void everyShapeUnderEveryKeyNeverThrows(@TempDir Path dir) throws Exception {
    List<String> paths = new java.util.ArrayList<>(ConfigKeys.ALL.keySet());
    for (String k : ConfigKeys.TARGET_KEYS) {
      paths.add("instrument.targets[]." + k);
    }
    paths.addAll(List.of("output", "instrument", "instrument.exclude", "run", "x"));
    for (String path : paths) {
      for (String shape : SHAPES) {
        String yaml = "{" + nest(path, shape) + "}\n";
        ConfigLoader.Result r = loadYaml(dir, yaml);
        for (String p : r.problems()) {
          assertFalse(p.contains("\n"), yaml + p);
        }
      }
    }
  }

  /** {@code a.b} with value v as flow YAML: {@code "a": {"b": v}}; {@code []} makes a list. */
  private static String nest(String path, String value) {
    int dot = path.indexOf('.');
    String head = dot < 0 ? path : path.substring(0, dot);
    if (dot < 0) {
      return "\"" + head + "\": " + value;
    }
    String inner = "{" + nest(path.substring(dot + 1), value) + "}";
    return head.endsWith("[]")
        ? "\"" + head.substring(0, head.length() - 2) + "\": [" + inner + "]"
        : "\"" + head + "\": " + inner;
  }
}
