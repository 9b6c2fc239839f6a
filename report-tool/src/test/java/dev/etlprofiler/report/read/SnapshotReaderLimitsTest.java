package dev.etlprofiler.report.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.model.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounds that keep the reader's memory within the heap whatever the input. */
class SnapshotReaderLimitsTest {
  private static final String HISTOGRAM =
      "HISTFAAAACl4nJNpmSzMwMDAzgABTFCakYGB2c1gxwIG+w8QgZ0KLAws9kwAc60Fcw==";

  private static String op(String name) {
    return "{\"kind\":\"method\",\"name\":\""
        + name
        + "\",\"path\":[\""
        + name
        + "\"],\"calls\":5,\"totalNanos\":27082752,\"maxNanos\":6324223,\"histogram\":\""
        + HISTOGRAM
        + "\"}";
  }

  private static String line(int seq, String ops) {
    return "{\"format\":\"etl-profiler-snapshot\",\"version\":1,\"runId\":\"r\",\"host\":\"h\","
        + "\"pid\":1,\"seq\":"
        + seq
        + ",\"startMillis\":"
        + seq * 1000
        + ",\"endMillis\":"
        + (seq * 1000 + 1000)
        + ",\"operations\":["
        + ops
        + "]}";
  }

  private static String ops(String prefix, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append(op(prefix + i));
    return b.toString();
  }

  private static Limits limits(int operations, int lineBytes, int values, int perFile, int all) {
    return new Limits(operations, lineBytes, values, perFile, all);
  }

  @Test
  void theDefaultsFollowTheHeap() {
    Limits at256 = Limits.forHeap(256L << 20);
    assertEquals(3276, at256.maxOperations(), "half of 256 MiB in operations of 40 KiB");
    assertEquals(13107, Limits.forHeap(1L << 30).maxOperations());
    assertEquals(16 << 20, at256.maxLineBytes());
  }

  @Test
  void aLineThatWouldAddMoreOperationsThanTheHeapHoldsIsSkipped(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("x.jsonl");
    Files.writeString(
        f, String.join("\n", line(0, ops("a", 6)), line(1, ops("b", 6)), line(2, ops("a", 3)), ""));
    Profile p = new SnapshotReader(null, limits(10, 1 << 20, 1000, 20, 100)).read(dir);
    assertEquals(6, p.operations().size());
    assertEquals(2, p.intervals());
    assertTrue(
        p.warnings()
            .get(0)
            .startsWith(f + ":2: it would add distinct operations beyond the 10 this heap holds"),
        p.warnings().toString());
  }

  @Test
  void aLineLongerThanTheLimitIsSkippedWithoutBeingBuffered(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.jsonl");
    String huge = line(1, op("x".repeat(300_000)));
    Files.writeString(f, line(0, op("a")) + "\n" + huge + "\r\n" + line(2, op("a")));
    SnapshotReader reader = new SnapshotReader(null, limits(10, 100_000, 1000, 20, 100));
    Profile p = reader.read(dir);
    assertEquals(2, p.intervals());
    assertEquals(
        f
            + ":2: a line of "
            + huge.length()
            + " bytes, more than the 100000 a snapshot line may have, skipped",
        p.warnings().get(0));
    assertTrue(reader.lineBufferBytes() <= 128 << 10, "buffer " + reader.lineBufferBytes());
  }

  @Test
  void aLineWithMoreValuesThanTheLimitIsSkipped(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.jsonl");
    String deep = op("a").replace("\"path\":[", "\"path\":[" + "\"p\",".repeat(300));
    Files.writeString(f, line(0, op("a")) + "\n" + line(1, deep) + "\n");
    Profile p = new SnapshotReader(null, limits(10, 1 << 20, 100, 20, 100)).read(dir);
    assertEquals(1, p.intervals());
    assertTrue(
        p.warnings().get(0).startsWith(f + ":2: more than 100 values in one line"),
        p.warnings().toString());
  }

  @Test
  void warningsAreListedUpToALimitPerFileAndInAll(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    String bad = "not json\n".repeat(10);
    Files.writeString(a, bad + line(0, op("a")) + "\n");
    Files.writeString(b, bad + line(0, op("a")) + "\n");
    Profile p = new SnapshotReader(null, limits(10, 1 << 20, 100, 3, 5)).read(dir);
    List<String> w = p.warnings();
    assertEquals(6, w.size(), String.join("\n", w));
    assertTrue(w.get(0).startsWith(a + ":1: not a complete JSON line"), w.get(0));
    assertTrue(w.get(2).startsWith(a + ":3: "), w.get(2));
    assertEquals(a + ": 7 more line(s) skipped, not listed", w.get(3));
    assertTrue(w.get(4).startsWith(b + ":1: "), w.get(4));
    assertEquals("3 more warning(s) not listed", w.get(5));
  }

  @Test
  void aPathDeeperThanTheAgentNestsOrANameLongerThanTheLimitSkipsItsLine(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("x.jsonl");
    String deep = op("a").replace("\"path\":[", "\"path\":[" + "\"p\",".repeat(256));
    String longName = op("a").replace("\"path\":[\"a\"", "\"path\":[\"" + "n".repeat(8193) + "\"");
    String longError =
        op("a").replace("\"calls\"", "\"errors\":{\"" + "E".repeat(8193) + "\":1},\"calls\"");
    Files.writeString(
        f,
        String.join(
            "\n",
            line(0, op("a")),
            line(1, deep),
            line(2, longName),
            line(3, longError),
            line(4, op("a").replace("\"path\":[", "\"path\":[" + "\"p\",".repeat(255))),
            ""));
    Profile p = new SnapshotReader(null).read(dir);
    assertEquals(2, p.intervals(), "a path of 256 is read");
    assertEquals(
        f + ":2: operations[0].path has 257 elements, more than the 256 a path may have, skipped",
        p.warnings().get(0));
    assertEquals(
        f + ":3: operations[0].path holds a name of 8193 characters, more than 8192, skipped",
        p.warnings().get(1));
    assertEquals(
        f + ":4: operations[0].errors holds a name of 8193 characters, more than 8192, skipped",
        p.warnings().get(2));
  }
}
