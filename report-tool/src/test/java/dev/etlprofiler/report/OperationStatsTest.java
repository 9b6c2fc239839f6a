package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.read.SnapshotReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One operation's figures as read: what is impossible never comes out. */
class OperationStatsTest {
  @Test
  void aOneCallOperationsTotalIsNeverBelowItsLongestCall(@TempDir Path dir) throws Exception {
    // what the agent writes for one call of 55.0 s: the total from the histogram's bucket
    // (1 % precision), the longest call from the bucket's top
    String histogram = SnapshotReaderTest.histogram(55_000_000_000L);
    String op =
        SnapshotReaderTest.op("job", null, 1, 54_895_050_752L, histogram, "")
            .replace("\"maxNanos\":54895050752", "\"maxNanos\":55000000000");
    Files.writeString(
        dir.resolve("h-1.jsonl"),
        SnapshotReaderTest.line("r", 1, 0, 0, 60_000, true, op, null) + "\n");
    Profile p = new SnapshotReader(null).read(dir);
    OperationStats job = p.operations().get(new OperationKey(null, null, "method", List.of("job")));
    assertEquals(55_000_000_000L, job.maxNanos());
    assertEquals(55_000_000_000L, job.totalNanos(), "a total includes its longest call");
    assertEquals(1, job.raisedToMax());
    assertEquals(55_000_000_000L, job.percentile(50), "one call: its p50 is that call");
    assertEquals(55_000_000_000L, job.percentile(99));
  }
}
