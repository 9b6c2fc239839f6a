package dev.etlprofiler.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {
  private static RunInfo run(String runId, String host) {
    return new RunInfo(runId, host, 4242, "17", "test", "0.1.0", Map.of(), 0L);
  }

  @Test
  void theFileIsAlwaysInsideTheOutputDirectory(@TempDir Path dir) {
    Path out = dir.resolve("out");
    for (String[] idAndHost :
        List.of(
            new String[] {"..", "etl-7"},
            new String[] {".", "etl-7"},
            new String[] {"../..", "etl-7"},
            new String[] {"/abs", "etl-7"},
            new String[] {"", "etl-7"},
            new String[] {"run", "../../etc"},
            new String[] {"run", ".."},
            new String[] {"run", "h".repeat(1000)},
            new String[] {"a\u0000b", "h\nx"})) {
      Path file = new SnapshotWriter(run(idAndHost[0], idAndHost[1]), out, null, 0).file();
      String what = String.join(" / ", idAndHost) + " -> " + file;
      assertEquals(out, file.getParent().getParent(), what);
      String runDir = file.getParent().getFileName().toString();
      String name = file.getFileName().toString();
      for (String part : List.of(runDir, name)) {
        assertTrue(part.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}"), what);
        assertTrue(!part.contains(".."), what);
      }
      assertTrue(name.endsWith("-4242.jsonl"), what);
    }
    Path kept = new SnapshotWriter(run("nightly-7", "etl-7.example.com"), out, null, 0).file();
    assertEquals(out.resolve("nightly-7").resolve("etl-7.example.com-4242.jsonl"), kept);
  }
}
