package dev.etlprofiler.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's own YAML reader gives exactly what Jackson gives, on every YAML file and YAML example
 * of the project and on hand-written edge cases; what it cannot read it refuses, so that Jackson
 * reads it.
 */
class MiniYamlTest {
  private static final Path ROOT = Path.of("..");

  static List<String> corpus() throws Exception {
    List<String> docs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path f :
          files
              .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .toList()) {
        docs.add(Files.readString(f));
      }
    }
    Pattern fence = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    for (Path md :
        List.of(
            ROOT.resolve("README.md"),
            ROOT.resolve("docs/configuration.md"),
            ROOT.resolve("docs/cost-model.md"))) {
      Matcher m = fence.matcher(Files.readString(md));
      while (m.find()) docs.add(m.group(1).stripIndent());
    }
    docs.addAll(
        List.of(
            "",
            "# only a comment\n",
            "a: 1\nb: 'it''s'\nc: \"q\\\"uote\"\nd: ~\ne:\nf: null\n",
            "list:\n- a\n- b # comment\n-   c\n",
            "outer:\n  inner:\n    - {x: 1, y: [2, 3]}\n    - name: n\n      values: [\"a, b\", 'c']\n  after: z\n",
            "url: http://host:8080/path#frag\nhash: a#b\nempty: []\nemptymap: {}\n",
            "targets:\n  - classes: [\"com.acme.*\"]\n    methods: [run]\n  -\n    packages: [org.x]\n",
            "key with spaces: value with spaces\n\"quoted key\": v\n",
            "nested:\n  - - a\n    - b\n  - c\n",
            "n: 10s\nm: 0.5\nt: true\nf: false\n"));
    return docs;
  }

  @Test
  void readsWhatJacksonReadsOrRefuses(@TempDir Path dir) throws Exception {
    int read = 0;
    int i = 0;
    for (String doc : corpus()) {
      Path f = dir.resolve("doc" + (i++) + ".yaml");
      Files.writeString(f, doc);
      Object mini;
      try {
        mini = MiniYaml.parse(doc);
      } catch (MiniYaml.Unsupported refused) {
        continue;
      }
      assertEquals(YamlTree.read(f), mini, "document:\n" + doc);
      read++;
    }
    assertTrue(read >= 14, "most of the corpus is within the subset: " + read);
  }

  @Test
  void theExampleConfigurationIsWithinTheSubset() throws Exception {
    Object tree = MiniYaml.parse(Files.readString(ROOT.resolve("examples/profiler.yaml")));
    assertTrue(tree instanceof Map<?, ?> m && m.containsKey("instrument"), String.valueOf(tree));
  }

  @Test
  void refusesWhatItDoesNotRead() {
    for (String doc :
        List.of(
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "---\na: 1\n",
            "a: 1\n  b: 2\n",
            "a: [1,\n  2]\n",
            "a: yes\n",
            "a: True\n",
            "a: \"open\n",
            "\ta: 1\n",
            "a: plain\n  continued\n",
            "? complex\n: key\n",
            "a: b: c\n")) {
      assertThrows(MiniYaml.Unsupported.class, () -> MiniYaml.parse(doc), doc);
    }
  }
}
