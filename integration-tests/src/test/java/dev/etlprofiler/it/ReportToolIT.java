package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.apps.pipeline.PipelineApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report tool on real snapshots: analyze finds the known error rate, compare the slowed stage.
 */
class ReportToolIT {
  private static final String CONFIG =
      """
      instrument:
        targets:
          - packages: [dev.etlprofiler.it.apps.pipeline]
            methods: [run, read, apply, write]
      """;

  private static String[] reportTool(Path dir, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(ForkedJvm.javaHome(), "bin", "java").toString(),
                "-jar",
                System.getProperty("it.report.jar")));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("report.txt").toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new String[] {
      Integer.toString(p.exitValue()), Files.readString(dir.resolve("report.txt"))
    };
  }

  @Test
  void compareFlagsExactlyTheSlowedOperationAndAnalyzeTheErrorRate(@TempDir Path dir)
      throws Exception {
    Path base = Files.createDirectory(dir.resolve("base"));
    Path same = Files.createDirectory(dir.resolve("same"));
    Path slow = Files.createDirectory(dir.resolve("slow"));
    assertEquals(
        0, new ForkedJvm(base).config(CONFIG).main(PipelineApp.class, "450", "5").run().exitCode());
    assertEquals(
        0, new ForkedJvm(same).config(CONFIG).main(PipelineApp.class, "450", "5").run().exitCode());
    assertEquals(
        0,
        new ForkedJvm(slow).config(CONFIG).main(PipelineApp.class, "450", "15").run().exitCode());

    String[] compare =
        reportTool(
            dir,
            "compare",
            base.resolve("profiler-out").toString(),
            slow.resolve("profiler-out").toString());
    assertEquals("1", compare[0], compare[1]);
    List<String> regressions = compare[1].lines().filter(l -> l.startsWith("regression ")).toList();
    // exactly the slowed stage (5 ms -> 15 ms a call: typically 3x): the run itself has one call
    // (too few to judge), and the microsecond stages of two cold JVMs neither change their
    // typical call by 1.5x beyond their spread nor could add 1 % of the wall time if they did
    assertEquals(1, regressions.size(), compare[1]);
    assertTrue(regressions.get(0).contains("PipelineApp.run > Load.write"), compare[1]);
    assertTrue(
        compare[1].lines().anyMatch(l -> l.matches("too_few_calls +PipelineApp\\.run +.*")),
        compare[1]);

    // two runs of the same code: nothing to report, exit 0
    String[] unchanged =
        reportTool(
            dir,
            "compare",
            base.resolve("profiler-out").toString(),
            same.resolve("profiler-out").toString());
    assertEquals("0", unchanged[0], unchanged[1]);
    assertTrue(unchanged[1].lines().noneMatch(l -> l.startsWith("regression ")), unchanged[1]);
    assertTrue(
        unchanged[1]
            .lines()
            .anyMatch(l -> l.matches("unchanged +PipelineApp\\.run > Load\\.write .*")),
        unchanged[1]);

    String[] analyze =
        reportTool(
            dir, "analyze", base.resolve("profiler-out").toString(), "--fail-on", "critical");
    assertEquals("1", analyze[0], "a 33% error rate is critical: " + analyze[1]);
    assertTrue(analyze[1].contains("Transform.apply fails 33.3% of its calls"), analyze[1]);
    assertTrue(
        analyze[1].contains("most frequent: java.lang.IllegalArgumentException (150)"), analyze[1]);
  }

  @Test
  void badInputExitsWithTwoAndNoStackTrace(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("cost.yaml"), "currency: USD\ncompute: {vcpu-hour: -0.04, gb-hour: 0}\n");
    Path snaps = Files.createDirectory(dir.resolve("snaps"));
    Files.writeString(snaps.resolve("a.jsonl"), "{not json\n");
    for (String[] args :
        List.of(
            new String[] {"summary", dir.resolve("empty").toString()},
            new String[] {"analyze", snaps.toString()},
            new String[] {
              "cost", dir.toString(), "--cost-model", dir.resolve("cost.yaml").toString()
            },
            new String[] {"report", dir.toString(), "--format", "pdf"})) {
      String[] r = reportTool(dir, args);
      assertEquals("2", r[0], String.join(" ", args) + "\n" + r[1]);
      assertTrue(r[1].contains("error: ") && !r[1].contains("\tat "), r[1]);
    }
  }
}
