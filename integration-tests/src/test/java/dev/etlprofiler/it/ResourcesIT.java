package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etlprofiler.it.apps.GcApp;
import dev.etlprofiler.it.apps.pipeline.PipelineApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every interval carries the process's resources and the run's identity. */
class ResourcesIT {
  @Test
  void snapshotsCarryResourcesAndRunIdentity(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .agentArgs("output.interval=300ms,resources.interval=100ms,run.id=resources-run")
            .main(PipelineApp.class, "100", "10")
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    Snapshots s = r.snapshots();
    assertTrue(s.lines().size() >= 2, "several intervals in ~1 s: " + s.lines().size());
    long cpu = 0;
    long gcEntries = 0;
    for (JsonNode line : s.lines()) {
      assertEquals("etl-profiler-snapshot", line.path("format").asText());
      assertEquals(1, line.path("version").asInt());
      assertEquals("resources-run", line.path("runId").asText());
      assertTrue(
          line.path("pid").asLong() != ProcessHandle.current().pid(), "the forked JVM's pid");
      assertTrue(line.path("endMillis").asLong() >= line.path("startMillis").asLong());
      JsonNode res = line.path("resources");
      cpu += res.path("cpuNanos").asLong();
      assertTrue(res.path("heapUsedBytes").asLong() > 0, res.toString());
      assertTrue(
          res.path("heapUsedPeakBytes").asLong() >= res.path("heapUsedBytes").asLong(),
          res.toString());
      assertEquals(256L << 20, res.path("heapMaxBytes").asLong(), "-Xmx256m");
      assertTrue(res.path("rssBytes").asLong() > 10L << 20, res.toString());
      assertTrue(res.path("threads").asInt() > 1, res.toString());
      assertTrue(
          res.has("cpuUserNanos") && res.has("diskWriteBytes") && res.has("netRxBytes"),
          res.toString());
      gcEntries += res.path("gc").size();
    }
    assertTrue(cpu > 0, "the JVM used some CPU");
    assertTrue(gcEntries > 0, "per-collector GC figures");
    String version = s.last().path("jvm").path("version").asText();
    assertTrue(
        version.startsWith(ForkedJvm.javaFeatureVersion() + "."),
        "ran on the JDK under test: " + version);
  }

  @Test
  void everyCollectionIsCountedOnceUnderItsCollectorsName(@TempDir Path dir) throws Exception {
    int collections = 7;
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .jvmArg("-XX:+UseG1GC")
            .agentArgs("output.interval=200ms,debug=true")
            .main(GcApp.class, "600", String.valueOf(collections))
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    long old = 0;
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (JsonNode line : r.snapshots().lines()) {
      for (JsonNode gc : line.path("resources").path("gc")) {
        names.add(gc.path("name").asText());
        if (gc.path("name").asText().equals("G1 Old Generation")) {
          old += gc.path("count").asLong();
        }
      }
    }
    assertTrue(
        names.contains("G1 Young Generation") && names.contains("G1 Old Generation"),
        "the JMX names: " + names);
    assertEquals(collections, old, "one full collection per System.gc()");
    assertTrue(
        r.agentLines().stream().noneMatch(l -> l.contains("GC beans")),
        "the beans came from the JDK's helper, not the fallback: " + r.agentLines());
  }
}
