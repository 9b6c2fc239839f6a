package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.apps.pipeline.PipelineApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job profiled by configuration only: counts, latencies, errors, hierarchy, unchanged output. */
class PipelineIT {
  private static final String CONFIG =
      """
      output:
        interval: 1s
      instrument:
        targets:
          - packages: [dev.etlprofiler.it.apps.pipeline]
            methods: [run, read, apply, write]
      """;

  @Test
  void countsEveryCallExactlyAndKeepsTheHierarchy(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir).config(CONFIG).main(PipelineApp.class, "3000", "0").run();
    assertEquals(0, r.exitCode(), r.toString());
    Snapshots s = r.snapshots();
    assertEquals(1, s.calls("PipelineApp.run"));
    assertEquals(3000, s.calls("Extract.read"));
    assertEquals(3000, s.calls("Transform.apply"));
    assertEquals(
        2000, s.calls("Load.write"), "Transform fails on every third record; Load sees the rest");
    assertEquals(List.of("PipelineApp.run > Extract.read"), s.paths("Extract.read"));
    assertEquals(List.of("PipelineApp.run > Load.write"), s.paths("Load.write"));
    assertEquals(0, s.calls("Load.checksum"), "methods not listed in methods: are not profiled");
  }

  @Test
  void countsErrorsByTypeAndTheApplicationStillSeesItsException(@TempDir Path dir)
      throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir).config(CONFIG).main(PipelineApp.class, "300", "0").run();
    Snapshots s = r.snapshots();
    assertEquals(100, s.errors("Transform.apply", "java.lang.IllegalArgumentException"));
    assertEquals(
        0, s.errors("PipelineApp.run", "java.lang.IllegalArgumentException"), "caught inside run");
    assertTrue(
        r.stdout().startsWith("java.lang.IllegalArgumentException: bad record record-0\n"),
        r.stdout());
    assertTrue(r.stdout().contains("failed=100"), r.stdout());
  }

  @Test
  void measuresAKnownSleepWithinHistogramPrecisionAndSchedulingSlack(@TempDir Path dir)
      throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir).config(CONFIG).main(PipelineApp.class, "60", "20").run();
    Snapshots s = r.snapshots();
    Histogram h = s.histogram("Load.write");
    assertEquals(40, h.getTotalCount());
    long ms = 1_000_000L;
    // the intervals' totals: each is its count times its histogram's mean (HdrHistogram's getMean)
    long total =
        s.operations("Load.write").stream().mapToLong(o -> o.path("totalNanos").asLong()).sum();
    assertTrue(total >= 40 * 19.8 * ms && total < 40 * 30 * ms, "totalNanos " + total);
    assertEquals(
        h.getMean() * h.getTotalCount(),
        total,
        1e-6 * total,
        "the sum of totalNanos is count x mean");
    // Thread.sleep(20) never returns early; 2 significant digits allow 1% below the true value
    assertTrue(h.getMinValue() >= 19.8 * ms, "min " + h.getMinValue());
    assertTrue(
        h.getValueAtPercentile(50) >= 19.8 * ms && h.getValueAtPercentile(50) < 30 * ms,
        "p50 " + h.getValueAtPercentile(50));
    assertTrue(h.getValueAtPercentile(99) < 60 * ms, "p99 " + h.getValueAtPercentile(99));
  }

  @Test
  void printsExactlyWhatItPrintsWithoutTheAgent(@TempDir Path dir) throws Exception {
    Path with = Files.createDirectory(dir.resolve("with"));
    Path without = Files.createDirectory(dir.resolve("without"));
    ForkedJvm.Result a =
        new ForkedJvm(with).config(CONFIG).main(PipelineApp.class, "500", "0").run();
    ForkedJvm.Result b =
        new ForkedJvm(without).withoutAgent().main(PipelineApp.class, "500", "0").run();
    assertEquals(b.stdout(), a.stdout());
    assertEquals(b.exitCode(), a.exitCode());
    assertEquals(
        List.of(),
        a.stderr().lines().filter(l -> !l.startsWith("[etl-profiler]")).toList(),
        "the agent adds nothing but its own prefixed lines to stderr");
  }
}
