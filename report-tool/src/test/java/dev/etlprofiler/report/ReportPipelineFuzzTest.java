package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.etlprofiler.report.analyze.Analyzer;
import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.analyze.Savings;
import dev.etlprofiler.report.analyze.Thresholds;
import dev.etlprofiler.report.compare.Comparison;
import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.read.BadInputException;
import dev.etlprofiler.report.read.HistogramDecoderTestAccess;
import dev.etlprofiler.report.read.SnapshotReader;
import dev.etlprofiler.report.render.CsvRenderer;
import dev.etlprofiler.report.render.HtmlRenderer;
import dev.etlprofiler.report.render.JsonRenderer;
import dev.etlprofiler.report.render.MarkdownRenderer;
import dev.etlprofiler.report.render.Report;
import dev.etlprofiler.report.render.SummaryRenderer;
import dev.etlprofiler.report.render.TextRenderer;
import dev.etlprofiler.report.render.Visible;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated snapshot files through the whole report pipeline in-process: read, analyze, cost, every
 * renderer and compare. Whatever the input, nothing may escape but the tool's own BadInputException
 * (nothing readable), no case may run out of memory (the module's tests run with the tool's
 * documented -Xmx256m) or take more than {@link #CASE_SECONDS}, and every output must be encodable
 * as UTF-8. When a good file lies next to the mutated one, the read must succeed with its
 * intervals.
 *
 * <p>CI runs {@link #CASES} cases from a fixed seed. A longer run by hand: {@code mvn -pl
 * report-tool test -Dtest=ReportPipelineFuzzTest -Dfuzz.cases=100000 -Dfuzz.seed=42}. A failing
 * case's input is kept under {@code target/fuzz-failures/}, with the seed that makes it.
 */
class ReportPipelineFuzzTest {
  static final int CASES = 300;
  static final long SEED = 20_251_203L;
  static final int CASE_SECONDS = 60;

  private static final Pattern HISTOGRAM = Pattern.compile("\"histogram\":\"([^\"]*)\"");
  private static final String[] NUMBERS = {
    "-1",
    "0",
    "-0.0",
    "1e400",
    "-1e400",
    "1.7976931348623157E308",
    "9007199254740993",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999999",
    "2147483648",
    "4102444799999", // the last millisecond a timestamp may have
    "9007199254740992", // the largest count a line may have
    "4.5",
    "1" + "0".repeat(2000)
  };
  private static final String[] VALUES = {
    "{}",
    "[]",
    "null",
    "true",
    "\"x\"",
    "\"\"",
    "\"\\ud800\"",
    "\"\\u0000\\u202e\\u001b[2J=cmd|' /C calc'!A0\"",
    "\"=HYPERLINK(\\\"http://x\\\")\"",
    "\"-1\"",
    "{\"a\":[1,{\"b\":null}]}",
    "\"" + "\\u2066".repeat(50) + "\""
  };

  private final String[] baseLines;
  private final String[] bombs;

  ReportPipelineFuzzTest() throws Exception {
    Path fixture = Path.of(getClass().getResource("/snapshots/v1/hello-1-jvm.jsonl").toURI());
    List<String> lines = new ArrayList<>(Files.readAllLines(fixture));
    // a second JVM of another shape: sessions, nesting, sampling, counters, gauges, GC
    for (int seq = 0; seq < 6; seq++) {
      String ops =
          SnapshotReaderTest.op(
                  "job",
                  "orders",
                  1,
                  900_000_000,
                  SnapshotReaderTest.histogram(900_000_000),
                  ",\"counters\":{\"records\":500,\"bytes\":70000}")
              + ","
              + SnapshotReaderTest.op(
                  "job/parse",
                  "orders",
                  500,
                  5_000_000,
                  SnapshotReaderTest.histogram(10_000, 10_000, 12_000, 4_000_000),
                  ",\"sampling\":{\"oneIn\":4,\"timedCalls\":4},\"errors\":{\"E\":3}")
              + ","
              + SnapshotReaderTest.op(
                  "job/GET http://api:80/{n}",
                  "orders",
                  500,
                  400_000_000,
                  SnapshotReaderTest.histogram(800_000),
                  ",\"kind\":\"http\",\"counters\":{\"status2xx\":500},\"gauges\":{\"consumerLagMax\":7}");
      lines.add(
          SnapshotReaderTest.line(
                  "run-2",
                  77,
                  seq,
                  1_795_400_000_000L + seq * 1000L,
                  1_795_400_001_000L + seq * 1000L,
                  seq == 5,
                  ops,
                  SnapshotReaderTest.resources(700_000_000, 1 << 20, seq, 2 * seq))
              .replace("\"seq\"", "\"jvmStartMillis\":1795399999000,\"seq\""));
    }
    baseLines = lines.toArray(String[]::new);
    bombs =
        new String[] {
          HistogramDecoderTestAccess.bomb(16, HistogramDecoderTestAccess.header(16 << 20)),
          HistogramDecoderTestAccess.bomb(4, new byte[0]),
          HistogramDecoderTestAccess.bomb(
              0, ByteBuffer.allocate(40).putInt(0x1c849303).putInt(99).putInt(0).putInt(5).array())
        };
  }

  @Test
  void noInputCrashesHangsOrExhaustsTheReportPipeline(@TempDir Path dir) throws Exception {
    int cases = Integer.getInteger("fuzz.cases", CASES);
    long seed = Long.getLong("fuzz.seed", SEED);
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r));
    long started = System.nanoTime();
    int badInput = 0;
    long slowest = 0;
    String slowestCase = "";
    try {
      for (int i = 0; i < cases; i++) {
        SplittableRandom random = new SplittableRandom(seed + i);
        List<String> applied = new ArrayList<>();
        byte[] mutated = mutate(random, applied);
        boolean withGoodFile = random.nextBoolean();
        Path caseDir = Files.createDirectories(dir.resolve("case-" + i));
        Files.write(caseDir.resolve("fuzz.jsonl"), mutated);
        if (withGoodFile) {
          Files.writeString(
              caseDir.resolve("good.jsonl"), baseLines[0] + "\n" + baseLines[1] + "\n");
        }
        String what = "case " + i + " (-Dfuzz.seed=" + (seed + i) + " -Dfuzz.cases=1): " + applied;
        long caseStarted = System.nanoTime();
        Future<Boolean> run = worker.submit(() -> pipeline(caseDir, withGoodFile));
        try {
          if (!run.get(CASE_SECONDS, TimeUnit.SECONDS)) {
            badInput++;
          }
        } catch (TimeoutException e) {
          run.cancel(true);
          keep(caseDir, i);
          fail(what + ": still running after " + CASE_SECONDS + " s");
        } catch (ExecutionException e) {
          keep(caseDir, i);
          throw new AssertionError(what + ": " + e.getCause(), e.getCause());
        }
        deleteRecursively(caseDir);
        long took = System.nanoTime() - caseStarted;
        if (took > slowest) {
          slowest = took;
          slowestCase = what;
        }
      }
    } finally {
      worker.shutdownNow();
    }
    long cpu =
        ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    System.out.printf(
        "fuzz: %d cases from seed %d in %.1f s (JVM CPU time so far %.1f s), %d with nothing"
            + " readable; slowest %d ms, %s%n",
        cases,
        seed,
        (System.nanoTime() - started) / 1e9,
        cpu / 1e9,
        badInput,
        slowest / 1_000_000,
        slowestCase);
  }

  /** Runs what the commands run; false if the tool found nothing readable. */
  private static boolean pipeline(Path dir, boolean withGoodFile) throws Exception {
    Profile p;
    try {
      p = new SnapshotReader(null).read(dir);
    } catch (BadInputException e) {
      assertTrue(!withGoodFile, "a good file was read alongside: " + e.getMessage());
      return false;
    }
    assertTrue(!withGoodFile || p.intervals() >= 2, "the good file's intervals are read");
    CostReport cost = new CostEstimator().estimate(p, CostModel.defaults(), null);
    List<Finding> findings = Savings.annotate(new Analyzer(Thresholds.defaults()).analyze(p), cost);
    Report report = new Report(p, findings, cost);
    List<String> outputs = new ArrayList<>();
    outputs.add(new JsonRenderer().render(report));
    outputs.add(new CsvRenderer().renderAll(report));
    outputs.add(new MarkdownRenderer().render(report));
    outputs.add(new HtmlRenderer().render(report));
    outputs.add(Visible.lines(new SummaryRenderer().render(p)));
    TextRenderer text = new TextRenderer();
    outputs.add(text.findings(findings));
    for (String period : List.of("run", "hourly", "daily", "monthly")) {
      outputs.add(text.cost(cost, period));
    }
    outputs.add(
        text.comparison(Comparison.of(p, p, 1.5, cost.perRun(), cost.perRun(), cost.currency())));
    for (String out : outputs) {
      try {
        StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(out));
      } catch (CharacterCodingException e) {
        fail("an output cannot be written as UTF-8: " + e);
      }
    }
    return true;
  }

  private byte[] mutate(SplittableRandom random, List<String> applied) {
    List<String> lines = new ArrayList<>(Arrays.asList(baseLines));
    int textMutations = random.nextInt(0, 4);
    for (int m = 0; m < textMutations && !lines.isEmpty(); m++) {
      int at = random.nextInt(lines.size());
      String line = lines.get(at);
      switch (random.nextInt(12)) {
        case 0 -> {
          applied.add("duplicate line " + at);
          lines.add(random.nextInt(lines.size() + 1), line);
        }
        case 1 -> {
          applied.add("delete line " + at);
          lines.remove(at);
        }
        case 2 -> {
          int to = random.nextInt(lines.size());
          applied.add("swap lines " + at + ", " + to);
          lines.set(at, lines.get(to));
          lines.set(to, line);
        }
        case 3 -> {
          String n = NUMBERS[random.nextInt(NUMBERS.length)];
          applied.add(
              "number " + (n.length() > 30 ? n.length() + " digits" : n) + " in line " + at);
          lines.set(at, replaceOne(random, false, line, n));
        }
        case 4 -> {
          String v = VALUES[random.nextInt(VALUES.length)];
          applied.add("value " + v + " in line " + at);
          lines.set(at, replaceOne(random, random.nextBoolean(), line, v));
        }
        case 5 -> {
          int depth = random.nextInt(1, 20_000);
          boolean closed = random.nextBoolean();
          applied.add("nesting " + depth + (closed ? "" : " unclosed") + " in line " + at);
          String nest = "[".repeat(depth) + (closed ? "]".repeat(depth) : "");
          lines.set(at, replaceOne(random, false, line, nest));
        }
        case 6 -> {
          applied.add("deflate bomb in line " + at);
          lines.set(at, replaceHistogram(random, line, bombs[random.nextInt(bombs.length)]));
        }
        case 7 -> {
          applied.add("histogram counts corrupted in line " + at);
          lines.set(at, corruptHistogram(random, line));
        }
        case 8 -> {
          int copies = random.nextInt(1, 3_000);
          applied.add(copies + " copies of an operation in line " + at);
          lines.set(at, manyOperations(line, copies));
        }
        case 9 -> {
          int length = random.nextInt(1, 1 << 20);
          applied.add("a string of " + length + " characters in line " + at);
          lines.set(at, replaceOne(random, true, line, "\"" + "x".repeat(length) + "\""));
        }
        case 10 -> {
          // a few, or more than a 256 MiB heap holds (3,276: the line is skipped); between the
          // two, analysis, compare and the tree order take seconds (quadratic in operations),
          // which is slow, not a hang, and is another engineer's code (docs/reliability.md)
          int distinct =
              random.nextBoolean() ? random.nextInt(1, 500) : random.nextInt(3_300, 4_000);
          applied.add(distinct + " distinct operations in line " + at);
          lines.set(at, distinctOperations(line, distinct));
        }
        default -> {
          long seq = random.nextLong(-5, Integer.MAX_VALUE + 5L);
          applied.add("seq " + seq + " in line " + at);
          lines.set(at, line.replaceFirst("\"seq\":[0-9]+", "\"seq\":" + seq));
        }
      }
    }
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    int byteMutations = textMutations == 0 ? random.nextInt(1, 4) : random.nextInt(0, 3);
    for (int m = 0; m < byteMutations && bytes.length > 0; m++) {
      switch (random.nextInt(3)) {
        case 0 -> {
          int flips = random.nextInt(1, 9);
          applied.add(flips + " bit flips");
          for (int f = 0; f < flips; f++) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          int at = random.nextInt(bytes.length);
          applied.add("truncated at " + at);
          bytes = Arrays.copyOf(bytes, at);
        }
        default -> {
          byte[] garbage = garbage(random);
          int at = random.nextInt(bytes.length + 1);
          applied.add(garbage.length + " bytes of garbage at " + at);
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.write(bytes, 0, at);
          b.writeBytes(garbage);
          b.write(bytes, at, bytes.length - at);
          bytes = b.toByteArray();
        }
      }
    }
    return bytes;
  }

  /** Random bytes, with the UTF-8 that decoders get wrong mixed in. */
  private static byte[] garbage(SplittableRandom random) {
    byte[][] nasty = {
      {(byte) 0xff},
      {(byte) 0xc0, (byte) 0x80}, // overlong NUL
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate in UTF-8
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
      {(byte) 0xe2, (byte) 0x80, (byte) 0xae}, // U+202E
      {0},
      {'\r'},
      {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, // BOM
      {(byte) 0xe2, (byte) 0x82} // cut short
    };
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int n = random.nextInt(1, 64);
    for (int i = 0; i < n; i++) {
      if (random.nextInt(3) == 0) {
        b.writeBytes(nasty[random.nextInt(nasty.length)]);
      } else {
        b.write(random.nextInt(256));
      }
    }
    return b.toByteArray();
  }

  /**
   * Replaces one value of the line, picked at random among its numbers ({@code strings} false) or
   * its strings (true) that follow a colon, a bracket or a comma.
   */
  private static String replaceOne(
      SplittableRandom random, boolean strings, String line, String with) {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      char before = i == 0 ? ' ' : line.charAt(i - 1);
      boolean value = before == ':' || before == '[' || before == ',';
      if (c == '"') {
        int end = i + 1;
        while (end < line.length() && line.charAt(end) != '"') {
          end += line.charAt(end) == '\\' ? 2 : 1;
        }
        if (strings && value) spans.add(new int[] {i, Math.min(end + 1, line.length())});
        i = end + 1;
      } else if (!strings && value && (c == '-' || (c >= '0' && c <= '9'))) {
        int end = i + 1;
        while (end < line.length() && "0123456789.eE+-".indexOf(line.charAt(end)) >= 0) end++;
        spans.add(new int[] {i, end});
        i = end;
      } else {
        i++;
      }
    }
    if (spans.isEmpty()) return line;
    int[] s = spans.get(random.nextInt(spans.size()));
    return line.substring(0, s[0]) + with + line.substring(s[1]);
  }

  private static String replaceHistogram(SplittableRandom random, String line, String with) {
    Matcher m = HISTOGRAM.matcher(line);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) spans.add(new int[] {m.start(1), m.end(1)});
    if (spans.isEmpty()) return line;
    int[] s = spans.get(random.nextInt(spans.size()));
    return line.substring(0, s[0]) + with + line.substring(s[1]);
  }

  /**
   * Inflates a histogram, changes bytes of its counts (valid deflate, wrong contents), deflates.
   */
  private static String corruptHistogram(SplittableRandom random, String line) {
    Matcher m = HISTOGRAM.matcher(line);
    if (!m.find()) return line;
    try {
      byte[] compressed = Base64.getDecoder().decode(m.group(1));
      Inflater inflater = new Inflater();
      inflater.setInput(compressed, 8, compressed.length - 8);
      byte[] raw = new byte[1 << 16];
      int n = inflater.inflate(raw);
      int flips = random.nextInt(1, 6);
      for (int i = 0; i < flips; i++) {
        int at = random.nextInt(random.nextBoolean() ? Math.min(n, 40) : n);
        raw[at] = (byte) random.nextInt(256);
      }
      if (random.nextBoolean()) { // runs of huge counts
        int at = random.nextInt(40, Math.max(41, n));
        for (int i = at; i < Math.min(n, at + 9); i++) raw[i] = (byte) 0xff;
      }
      Deflater deflater = new Deflater();
      deflater.setInput(raw, 0, n);
      deflater.finish();
      byte[] out = new byte[n + 1024];
      int c = deflater.deflate(out);
      ByteBuffer b = ByteBuffer.allocate(8 + c).putInt(0x1c849304).putInt(c).put(out, 0, c);
      String encoded = Base64.getEncoder().encodeToString(b.array());
      return line.substring(0, m.start(1)) + encoded + line.substring(m.end(1));
    } catch (Exception e) {
      return line;
    }
  }

  private static String manyOperations(String line, int copies) {
    int start = line.indexOf("\"operations\":[");
    if (start < 0) return line;
    start += "\"operations\":[".length();
    int end = line.indexOf("}", start);
    if (end < 0 || line.charAt(start) != '{') return line;
    String op = line.substring(start, end + 1);
    copies = fitting(copies, op);
    return line.substring(0, start)
        + String.join(",", java.util.Collections.nCopies(copies, op))
        + line.substring(end + 1);
  }

  /** The line's first operation as {@code n} operations of different names. */
  private static String distinctOperations(String line, int n) {
    int start = line.indexOf("\"operations\":[");
    if (start < 0) return line;
    start += "\"operations\":[".length();
    int end = line.indexOf("}", start);
    if (end < 0 || line.charAt(start) != '{') return line;
    String op = line.substring(start, end + 1);
    n = fitting(n, op);
    StringBuilder ops = new StringBuilder();
    for (int i = 0; i < n; i++) {
      ops.append(i > 0 ? "," : "").append(op.replace("\"path\":[", "\"path\":[\"op" + i + "\","));
    }
    return line.substring(0, start) + ops + line.substring(end + 1);
  }

  /**
   * At most as many copies of {@code op} as fit in about 20 MB: an operation an earlier mutation
   * made long, copied thousands of times, would exhaust the test's own heap (past the reader's 16
   * MiB line limit either way).
   */
  private static int fitting(int copies, String op) {
    return (int) Math.max(1, Math.min(copies, (20L << 20) / op.length()));
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "fuzz-case");
    t.setDaemon(true);
    return t;
  }

  private static void keep(Path caseDir, int i) throws Exception {
    Path to = Path.of("target", "fuzz-failures", "case-" + i);
    Files.createDirectories(to);
    try (var files = Files.list(caseDir)) {
      for (Path f : files.toList()) {
        Files.copy(
            f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) Files.delete(f);
    }
    Files.delete(dir);
  }
}
