package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.read.BadInputException;
import dev.etlprofiler.report.read.SnapshotReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and merging hand-made snapshot files with known contents. */
class SnapshotReaderTest {
  static String histogram(long... valuesNanos) {
    Histogram h = new Histogram(1, 3_600_000_000_000L, 2);
    for (long v : valuesNanos) h.recordValue(v);
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
  }

  static String line(
      String run,
      long pid,
      int seq,
      long start,
      long end,
      boolean last,
      String operations,
      String resources) {
    return "{\"format\":\"etl-profiler-snapshot\",\"version\":1,\"runId\":\""
        + run
        + "\",\"host\":\"h\",\"pid\":"
        + pid
        + ",\"seq\":"
        + seq
        + ",\"startMillis\":"
        + start
        + ",\"endMillis\":"
        + end
        + ",\"final\":"
        + last
        + ",\"operations\":["
        + operations
        + "]"
        + (resources == null ? "" : ",\"resources\":" + resources)
        + "}";
  }

  static String op(
      String path, String dataset, long calls, long total, String histogram, String extra) {
    String[] parts = path.split("/");
    StringBuilder p = new StringBuilder("[");
    for (int i = 0; i < parts.length; i++)
      p.append(i > 0 ? "," : "").append('"').append(parts[i]).append('"');
    p.append(']');
    return "{\"kind\":\"method\",\"name\":\""
        + parts[parts.length - 1]
        + "\",\"path\":"
        + p
        + (dataset == null ? "" : ",\"dataset\":\"" + dataset + "\",\"source\":\"s3\"")
        + ",\"calls\":"
        + calls
        + ",\"totalNanos\":"
        + total
        + ",\"maxNanos\":"
        + total
        + (histogram == null ? "" : ",\"histogram\":\"" + histogram + "\"")
        + extra
        + "}";
  }

  static String resources(long cpu, long heapPeak, long gcCount, long gcMillis) {
    return "{\"availableProcessors\":2,\"cpuNanos\":"
        + cpu
        + ",\"heapUsedPeakBytes\":"
        + heapPeak
        + ",\"heapMaxBytes\":1000,\"rssPeakBytes\":5000,\"threadsPeak\":7,\"diskWriteBytes\":100,"
        + "\"gc\":[{\"name\":\"G1 Young Generation\",\"count\":"
        + gcCount
        + ",\"timeMillis\":"
        + gcMillis
        + "}]}";
  }

  @Test
  void mergesIntervalsAndJvmsByAddition(@TempDir Path dir) throws Exception {
    String a1 =
        line(
            "r1",
            1,
            0,
            0,
            10_000,
            false,
            op(
                "job/parse",
                "orders",
                3,
                30_000_000,
                histogram(10_000_000, 10_000_000, 10_000_000),
                ",\"errors\":{\"java.io.IOException\":1},\"counters\":{\"records\":300}"),
            resources(1_000_000_000, 400, 2, 30));
    String a2 =
        line(
            "r1",
            1,
            1,
            10_000,
            20_000,
            true,
            op(
                "job/parse",
                "orders",
                1,
                50_000_000,
                histogram(50_000_000),
                ",\"counters\":{\"records\":100}"),
            resources(500_000_000, 600, 1, 10));
    String b1 =
        line(
            "r1",
            2,
            0,
            5_000,
            15_000,
            true,
            op(
                "job/parse",
                "orders",
                2,
                20_000_000,
                histogram(10_000_000, 10_000_000),
                ",\"errors\":{\"java.io.IOException\":2,\"Timeout\":1}"),
            resources(250_000_000, 100, 0, 0));
    Files.createDirectories(dir.resolve("r1"));
    Files.writeString(dir.resolve("r1/h-1.jsonl"), a1 + "\n" + a2 + "\n");
    Files.writeString(dir.resolve("r1/h-2.jsonl"), b1 + "\n");

    Profile p = new SnapshotReader(null).read(dir);
    assertEquals(List.of(), p.warnings());
    OperationStats parse =
        p.operations().get(new OperationKey("orders", "s3", "method", List.of("job", "parse")));
    assertEquals(6, parse.calls());
    assertEquals(100_000_000, parse.totalNanos());
    assertEquals(4, parse.errorCount());
    assertEquals(3, parse.errors().get("java.io.IOException"));
    assertEquals(400, parse.counter("records"));
    assertEquals(10_000_000, parse.percentile(50), 10_000_000 / 100.0);
    assertEquals(50_000_000, parse.percentile(100), 50_000_000 / 100.0);
    assertEquals(2, p.jvms().size());
    assertEquals(20_000, p.wallMillis(), "the run lasts as long as its longest JVM");
    assertEquals(30_000, p.jvmWallMillis());
    assertEquals(1_750_000_000, p.resources().cpuNanos);
    assertEquals(600, p.resources().heapUsedPeakBytes, "peaks merge by maximum");
    assertEquals(3, p.resources().gcCount());
    assertEquals(40, p.resources().gcMillis());
    assertEquals(300, p.resources().diskWriteBytes);
  }

  @Test
  void gaugesMergeByMaximumNotByAddition(@TempDir Path dir) throws Exception {
    String l1 =
        line(
            "r",
            1,
            0,
            0,
            1000,
            false,
            op(
                "orders",
                null,
                2,
                2000,
                histogram(1000, 1000),
                ",\"gauges\":{\"consumerLagMax\":90}"),
            null);
    String l2 =
        line(
            "r",
            1,
            1,
            1000,
            2000,
            true,
            op(
                "orders",
                null,
                2,
                2000,
                histogram(1000, 1000),
                ",\"gauges\":{\"consumerLagMax\":40}"),
            null);
    Files.writeString(dir.resolve("h-1.jsonl"), l1 + "\n" + l2 + "\n");
    Profile p = new SnapshotReader(null).read(dir);
    OperationStats orders =
        p.operations().get(new OperationKey(null, null, "method", List.of("orders")));
    assertEquals(90, orders.gauges().get("consumerLagMax"));
  }

  @Test
  void warnsAboutCorruptTruncatedAndNewerLinesNamingFileAndLineAndReadsTheRest(@TempDir Path dir)
      throws Exception {
    String good =
        line("r", 1, 0, 0, 1000, false, op("a", null, 2, 2000, histogram(1000, 1000), ""), null);
    String newer = good.replace("\"version\":1", "\"version\":9");
    Path f = dir.resolve("x.jsonl");
    Files.writeString(
        f, good + "\nnot json at all\n" + newer + "\n" + good + "\n" + good.substring(0, 60));
    Profile p = new SnapshotReader(null).read(dir);
    assertEquals(
        4, p.operations().values().iterator().next().calls(), "the two good lines are read");
    assertEquals(4, p.warnings().size(), String.join("\n", p.warnings()));
    assertTrue(
        p.warnings().get(0).startsWith(f + ":2: not a complete JSON line"), p.warnings().get(0));
    assertTrue(
        p.warnings().get(1).startsWith(f + ":3: snapshot format version 9 is not supported"),
        p.warnings().get(1));
    assertTrue(
        p.warnings().get(2).startsWith(f + ":5: not a complete JSON line"), p.warnings().get(2));
    assertTrue(
        p.warnings().get(3).contains("seq 0 again at line 4"),
        "the same line twice: " + p.warnings());
  }

  @Test
  void aSkippedLineLeavesNoTraceInTheTotals(@TempDir Path dir) throws Exception {
    String good =
        line(
            "r",
            1,
            0,
            0,
            1000,
            false,
            op("a", null, 2, 2000, histogram(1000, 1000), ""),
            resources(100, 10, 1, 1));
    // the second operation's histogram is not an HdrHistogram: the whole line is skipped
    String bad =
        line(
            "r",
            1,
            1,
            1000,
            5000,
            true,
            op("a", null, 5, 5000, histogram(1000), "")
                + ","
                + op("b", null, 1, 1000, "bm90IGEgaGlzdG9ncmFt", ""),
            resources(700, 10, 1, 1));
    Path f = dir.resolve("x.jsonl");
    Files.writeString(f, good + "\n" + bad + "\n");
    Profile p = new SnapshotReader(null).read(dir);
    assertEquals(1, p.warnings().size(), String.join("\n", p.warnings()));
    assertTrue(p.warnings().get(0).startsWith(f + ":2: "), p.warnings().get(0));
    assertEquals(1, p.intervals());
    assertEquals(1000, p.wallMillis());
    assertEquals(100, p.resources().cpuNanos);
    assertEquals(
        List.of(new OperationKey(null, null, "method", List.of("a"))),
        List.copyOf(p.operations().keySet()));
    OperationStats a = p.operations().values().iterator().next();
    assertEquals(2, a.calls());
    assertEquals(2, a.histogram().getTotalCount());
  }

  @Test
  void aLineOfInvalidUtf8IsSkippedNamingFileLineAndByteAndTheRestIsRead(@TempDir Path dir)
      throws Exception {
    String good =
        line("r", 1, 0, 0, 1000, false, op("a", null, 2, 2000, histogram(1000, 1000), ""), null);
    String accented = good.replace("\"r\"", "\"r\u00e9\"").replace("\"seq\":0", "\"seq\":1");
    byte[] bad = accented.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int at = accented.indexOf('\u00e9');
    bad[at + 1] = (byte) 0xff; // the second byte of é: an invalid continuation
    java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
    file.write((good + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    file.write(bad);
    file.write(("\n" + good.replace("\"seq\":0", "\"seq\":2") + "\n").getBytes("UTF-8"));
    Path f = dir.resolve("x.jsonl");
    Files.write(f, file.toByteArray());
    Files.writeString(dir.resolve("y.jsonl"), good + "\n");
    Profile p = new SnapshotReader(null).read(dir);
    assertEquals(2, p.warnings().size(), String.join("\n", p.warnings()));
    assertEquals(
        f + ":2: not valid UTF-8 (byte 0xc3 at byte " + (at + 1) + " of the line), skipped",
        p.warnings().get(0));
    assertTrue(p.warnings().get(1).contains("1 interval(s) missing, seq 1;"), p.warnings().get(1));
    assertEquals(6, p.operations().values().iterator().next().calls(), "both files are read");
  }

  /** A line with every field the reader range-checks, with {@code replace} applied. */
  private static String full(int seq, String... replace) {
    String l =
        line(
            "r",
            1,
            seq,
            1_000L * seq,
            1_000L * seq + 1000,
            false,
            op(
                "a",
                "d",
                2,
                2000,
                histogram(1000, 1000),
                ",\"sampling\":{\"oneIn\":2,\"timedCalls\":2},\"errors\":{\"E\":1},"
                    + "\"counters\":{\"records\":7},\"gauges\":{\"consumerLagMax\":3}"),
            resources(100, 10, 1, 1)
                .replace(
                    "{\"availableProcessors\"", "{\"cpuUserNanos\":60,\"availableProcessors\""));
    l = l.replace("\"seq\"", "\"jvmStartMillis\":0,\"seq\"");
    for (int i = 0; i < replace.length; i += 2) {
      assertTrue(l.contains(replace[i]), replace[i] + " in " + l);
      l = l.replace(replace[i], replace[i + 1]);
    }
    return l;
  }

  @Test
  void aNumberOutOfRangeSkipsTheLineNamingFileLineAndField(@TempDir Path dir) throws Exception {
    String max = Long.toString(Long.MAX_VALUE);
    String[][] cases = {
      {"operations[0].calls", "\"calls\":2", "\"calls\":-5"},
      {"operations[0].calls", "\"calls\":2", "\"calls\":" + max},
      {"operations[0].calls", "\"calls\":2", "\"calls\":99999999999999999999"},
      {"operations[0].calls", "\"calls\":2", "\"calls\":-1e300"},
      {"operations[0].totalNanos", "\"totalNanos\":2000", "\"totalNanos\":-2000"},
      {"operations[0].maxNanos", "\"maxNanos\":2000", "\"maxNanos\":" + max},
      {"operations[0].sampling.timedCalls", "\"timedCalls\":2", "\"timedCalls\":3"},
      {"operations[0].errors.E", "\"E\":1", "\"E\":-1"},
      {"operations[0].counters.records", "\"records\":7", "\"records\":" + max},
      {"operations[0].gauges.consumerLagMax", "\"consumerLagMax\":3", "\"consumerLagMax\":-9"},
      {"endMillis", "\"endMillis\":2000", "\"endMillis\":500"},
      {"startMillis", "\"startMillis\":1000", "\"startMillis\":-1000"},
      {"endMillis", "\"endMillis\":2000", "\"endMillis\":" + max},
      {"jvmStartMillis", "\"jvmStartMillis\":0", "\"jvmStartMillis\":-1"},
      {"seq", "\"seq\":1", "\"seq\":-1"},
      {"pid", "\"pid\":1", "\"pid\":-1"},
      {"resources.cpuNanos", "\"cpuNanos\":100", "\"cpuNanos\":-100"},
      {"resources.cpuUserNanos", "\"cpuUserNanos\":60", "\"cpuUserNanos\":" + max},
      {"resources.diskWriteBytes", "\"diskWriteBytes\":100", "\"diskWriteBytes\":-2"},
      {"resources.heapUsedPeakBytes", "\"heapUsedPeakBytes\":10", "\"heapUsedPeakBytes\":-7"},
      {"resources.rssPeakBytes", "\"rssPeakBytes\":5000", "\"rssPeakBytes\":" + max},
      {"resources.threadsPeak", "\"threadsPeak\":7", "\"threadsPeak\":3000000000"},
      {"resources.availableProcessors", "\"availableProcessors\":2", "\"availableProcessors\":0"},
      {"resources.gc[0].count", "\"count\":1", "\"count\":-1"},
      {"resources.gc[0].timeMillis", "\"timeMillis\":1", "\"timeMillis\":" + max},
    };
    for (String[] c : cases) {
      Path f = Files.createTempDirectory(dir, "case").resolve("x.jsonl");
      Files.writeString(f, full(0) + "\n" + full(1, c[1], c[2]) + "\n");
      Profile p = new SnapshotReader(null).read(f.getParent());
      String what = c[2] + ": " + p.warnings();
      assertEquals(1, p.warnings().size(), what);
      assertTrue(p.warnings().get(0).startsWith(f + ":2: " + c[0] + " = "), what);
      assertTrue(p.warnings().get(0).endsWith(", skipped"), what);
      assertEquals(1, p.intervals(), what);
      OperationStats a = p.operations().values().iterator().next();
      assertEquals(2, a.calls(), what);
      assertEquals(100, p.resources().cpuNanos, what);
    }
    // the values the format allows at the edges are read
    Path f = dir.resolve("edges.jsonl");
    Files.writeString(
        f,
        full(
                0,
                "\"heapMaxBytes\":1000",
                "\"heapMaxBytes\":" + max,
                "\"rssPeakBytes\":5000",
                "\"rssPeakBytes\":-1",
                "\"cpuNanos\":100",
                "\"cpuNanos\":9007199254740992")
            + "\n");
    Profile p = new SnapshotReader(null).read(f);
    assertEquals(List.of(), p.warnings());
    assertEquals(Long.MAX_VALUE, p.resources().heapMaxBytes, "unbounded heap");
    assertEquals(1L << 53, p.resources().cpuNanos);
  }

  @Test
  void aLineWhoseCountsWouldOverflowTheSumsIsSkippedNamingTheField(@TempDir Path dir)
      throws Exception {
    // 2^53 is the largest count one line may hold; 1024 of them no longer fit in a long
    String big = Long.toString(1L << 53);
    String one = full(0, "\"calls\":2", "\"calls\":" + big);
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 1025; i++) {
      file.append(one.replace("\"seq\":0", "\"seq\":" + i)).append('\n');
    }
    Path f = dir.resolve("x.jsonl");
    Files.writeString(f, file);
    Profile p = new SnapshotReader(null).read(dir);
    assertEquals(2, p.warnings().size(), String.join("\n", p.warnings()));
    assertTrue(
        p.warnings().get(0).startsWith(f + ":1024: operations[0].calls: the sum "),
        p.warnings().get(0));
    assertTrue(p.warnings().get(1).startsWith(f + ":1025: "), p.warnings().get(1));
    assertEquals(1023L << 53, p.operations().values().iterator().next().calls());
    assertEquals(1023, p.intervals());
    // operations of one line that are the same operation add up in the line itself
    String same = op("a", null, 1L << 53, 1, null, "");
    String ops = String.join(",", java.util.Collections.nCopies(1024, same));
    Files.writeString(f, line("r", 1, 0, 0, 1000, false, ops, null) + "\n");
    BadInputException none =
        assertThrows(BadInputException.class, () -> new SnapshotReader(null).read(dir));
    assertTrue(
        none.warnings().get(0).startsWith(f + ":1: operations[1023].calls: the sum "),
        none.warnings().get(0));
  }

  /** A file of one JVM with lines of the given seq numbers. */
  private static Path withSeqs(Path dir, String name, int... seqs) throws Exception {
    StringBuilder file = new StringBuilder();
    for (int seq : seqs) {
      file.append(full(seq)).append('\n');
    }
    Path f = dir.resolve(name);
    Files.writeString(f, file);
    return f;
  }

  @Test
  void missingIntervalsAreNamedByJvmAndSeqNumbers(@TempDir Path dir) throws Exception {
    Path f = withSeqs(dir, "x.jsonl", 0, 1, 4, 5, 8, 9);
    Path g = withSeqs(dir, "y.jsonl", 2, 3);
    Path h = withSeqs(dir, "z.jsonl", 0, 1, 2);
    Profile p = new SnapshotReader(null).read(dir);
    assertEquals(
        List.of(
            f
                + " (run r, host h, pid 1): 4 interval(s) missing, seq 2–3, 6–7;"
                + " the report lacks their figures",
            g
                + " (run r, host h, pid 1): 2 interval(s) missing, seq 0–1;"
                + " the report lacks their figures"),
        p.warnings());
    assertEquals(11, p.intervals(), "z.jsonl is complete: no warning");
    assertTrue(h.toFile().exists());
  }

  @Test
  void aSkippedLinesIntervalIsMissingTooAndRepeatedIntervalsAreNoted(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("x.jsonl");
    Files.writeString(
        f,
        String.join(
            "\n", full(0), full(1, "\"calls\":2", "\"calls\":-2"), full(2), full(2), full(3), ""));
    Profile p = new SnapshotReader(null).read(dir);
    assertEquals(3, p.warnings().size(), String.join("\n", p.warnings()));
    assertTrue(p.warnings().get(0).startsWith(f + ":2: operations[0].calls = -2"));
    assertEquals(
        f + " (run r, host h, pid 1): 1 interval(s) missing, seq 1; the report lacks their figures",
        p.warnings().get(1));
    assertEquals(
        f
            + " (run r, host h, pid 1): 1 interval(s) read more than once (seq 2 again at line 4);"
            + " the report counts them each time",
        p.warnings().get(2));
    assertEquals(4, p.intervals());
  }

  @Test
  void anEmptyOrMissingDirectoryIsBadInput(@TempDir Path dir) {
    BadInputException empty =
        assertThrows(BadInputException.class, () -> new SnapshotReader(null).read(dir));
    assertTrue(empty.getMessage().contains("no snapshot files"), empty.getMessage());
    BadInputException missing =
        assertThrows(
            BadInputException.class, () -> new SnapshotReader(null).read(dir.resolve("nope")));
    assertTrue(missing.getMessage().contains("no such file or directory"), missing.getMessage());
  }

  @Test
  void readsTheVersion1FixtureWrittenByTheAgent() throws Exception {
    Path fixture = Path.of(getClass().getResource("/snapshots/v1/hello-1-jvm.jsonl").toURI());
    Profile p = new SnapshotReader(null).read(fixture);
    assertEquals(List.of(), p.warnings());
    OperationStats work =
        p.operations().get(new OperationKey(null, null, "method", List.of("Hello.work")));
    assertEquals(50, work.calls());
    assertEquals(5, work.errors().get("java.lang.IllegalStateException"));
    assertTrue(work.percentile(50) >= 4_950_000, "Hello.work sleeps 5 ms: " + work.percentile(50));
    OperationStats api = p.operations().get(new OperationKey(null, null, "api", List.of("apiOp")));
    assertEquals(42, api.counter("records"));
    assertEquals(List.of("fixture-run"), List.copyOf(p.runIds()));
  }
}
