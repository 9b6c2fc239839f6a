package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.apps.pipeline.PipelineApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import java.nio.charset.StandardCharsets;
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
    return reportTool(dir, List.of(), args);
  }

  private static String[] reportTool(Path dir, List<String> jvmArgs, String... args)
      throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(List.of(Path.of(ForkedJvm.javaHome(), "bin", "java").toString()));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", System.getProperty("it.report.jar")));
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

  /**
   * An HdrHistogram field (compressed V2, base64) that inflates to {@code megabytes} MB: a header
   * of the snapshots' layout, then zeros. About 1 KB of input per MB.
   */
  private static String deflateBomb(int megabytes) {
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
    java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
    byte[] out = new byte[1 << 16];
    deflater.setInput(
        java.nio.ByteBuffer.allocate(40)
            .putInt(0x1c849303)
            .putInt(megabytes << 20)
            .putInt(0)
            .putInt(2)
            .putLong(1)
            .putLong(3_600_000_000_000L)
            .putDouble(1.0)
            .array());
    byte[] zeros = new byte[1 << 20];
    for (int mb = 0; mb <= megabytes; mb++) {
      while (!deflater.needsInput()) compressed.write(out, 0, deflater.deflate(out));
      if (mb < megabytes) deflater.setInput(zeros);
    }
    deflater.finish();
    while (!deflater.finished()) compressed.write(out, 0, deflater.deflate(out));
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + compressed.size());
    b.putInt(0x1c849304).putInt(compressed.size()).put(compressed.toByteArray());
    return java.util.Base64.getEncoder().encodeToString(b.array());
  }

  @Test
  void corruptSnapshotsOfARealRunAreReportedWithWarningsInA256MiBHeap(@TempDir Path dir)
      throws Exception {
    Path run = Files.createDirectory(dir.resolve("run"));
    assertEquals(
        0, new ForkedJvm(run).config(CONFIG).main(PipelineApp.class, "450", "5").run().exitCode());
    Path written;
    try (var files = Files.walk(run.resolve("profiler-out"))) {
      written = files.filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElseThrow();
    }
    String real =
        Files.readAllLines(written).stream()
            .filter(l -> l.contains("Load.write") && l.contains("\"histogram\":\""))
            .findFirst()
            .orElseThrow();
    java.util.function.IntFunction<String> seq =
        n -> real.replaceFirst("\"seq\":\\d+", "\"seq\":" + n);
    // seq 0 good; 1 a 300 MB deflate bomb; 2 one invalid byte; 3 missing; 4 a right-to-left
    // override
    String bomb =
        seq.apply(1)
            .replaceFirst("\"histogram\":\"[^\"]*\"", "\"histogram\":\"" + deflateBomb(300) + "\"");
    byte[] invalid =
        seq.apply(2).replace("\"host\":\"", "\"host\":\"\u00e9").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < invalid.length; i++) {
      if (invalid[i] == (byte) 0xc3) {
        invalid[i + 1] = (byte) 0xff; // é's second byte: no longer UTF-8
        break;
      }
    }
    String override = seq.apply(4).replace("Load.write", "Load.wr\\u202Eite");
    Path snaps = Files.createDirectory(dir.resolve("snaps"));
    Path file = snaps.resolve("x.jsonl");
    java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
    content.writeBytes((seq.apply(0) + "\n" + bomb + "\n").getBytes(StandardCharsets.UTF_8));
    content.writeBytes(invalid);
    content.writeBytes(("\n" + override + "\n").getBytes(StandardCharsets.UTF_8));
    Files.write(file, content.toByteArray());

    Path json = dir.resolve("report.json");
    String[] report =
        reportTool(
            dir,
            List.of("-Xmx256m"),
            "report",
            snaps.toString(),
            "--format",
            "json",
            "--output",
            json.toString());
    assertEquals("0", report[0], "the good lines are reported: " + report[1]);
    assertTrue(report[1].contains(file + ":2: the latency histogram of"), report[1]);
    assertTrue(report[1].contains("inflates to more than 41512 bytes"), report[1]);
    assertTrue(report[1].contains(file + ":3: not valid UTF-8 (byte 0xc3"), report[1]);
    assertTrue(report[1].contains("3 interval(s) missing, seq 1"), report[1]);
    assertTrue(
        !report[1].contains("\tat ") && !report[1].contains("Exception in thread"), report[1]);
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
    assertEquals(3, tree.get("warnings").size(), tree.get("warnings").toString());
    assertEquals(2, tree.get("intervals").asInt());

    String[] summary = reportTool(dir, List.of("-Xmx256m"), "summary", snaps.toString());
    assertEquals("0", summary[0], summary[1]);
    assertTrue(summary[1].contains("Load.wr\\u202Eite"), "shown as an escape: " + summary[1]);
    assertTrue(summary[1].indexOf('\u202E') < 0, summary[1]);
  }
}
