package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes and messages, never a stack trace on bad input. */
class MainTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true));
      System.setErr(new PrintStream(e, true));
      int code = Main.run(args);
      return new Run(code, o.toString(), e.toString());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void summaryOfTheFixturePrintsTheOperationsAndResources() throws Exception {
    Path fixture = Path.of(getClass().getResource("/snapshots/v1").toURI());
    Run r = run("summary", fixture.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("1 run(s), 1 JVM(s)"), r.out());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(l -> l.startsWith("Hello.work") && l.contains(" 50 ") && l.contains(" 5 ")),
        r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("apiOp [api]")), r.out());
    assertTrue(r.out().contains("resources\n  CPU"), r.out());
  }

  @Test
  void anEmptyDirectoryExitsWithTwoAndAClearMessage(@TempDir Path dir) {
    Run r = run("summary", dir.toString());
    assertEquals(2, r.code());
    assertEquals("error: no snapshot files (*.jsonl) under " + dir + "\n", r.err());
  }

  @Test
  void aFileOfGarbageExitsWithTwoAfterWarning(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bad.jsonl"), "{\"broken\n");
    Run r = run("summary", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("bad.jsonl:1: not a complete JSON line"), r.err());
    assertTrue(r.err().contains("error: no readable snapshot line"), r.err());
    assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
  }

  @Test
  void unknownCommandsAndMissingArgumentsAreBadInput() {
    assertEquals(2, run("frobnicate").code());
    assertEquals(2, run("summary").code());
    assertEquals(0, run("summary", "--help").code());
  }

  /** The fixture's two lines, the first one's histogram replaced by a deflate bomb. */
  private static String[] fixtureWithBomb() throws Exception {
    Path fixture = Path.of(MainTest.class.getResource("/snapshots/v1/hello-1-jvm.jsonl").toURI());
    String[] lines = Files.readString(fixture).split("\n");
    String bomb =
        dev.etlprofiler.report.read.HistogramDecoderTestAccess.bomb(
            40, dev.etlprofiler.report.read.HistogramDecoderTestAccess.header(40 << 20));
    lines[0] = lines[0].replaceFirst("\"histogram\":\"[^\"]*\"", "\"histogram\":\"" + bomb + "\"");
    return lines;
  }

  @Test
  void aDeflateBombIsSkippedWithAWarningAndTheRestIsReported(@TempDir Path dir) throws Exception {
    String[] lines = fixtureWithBomb();
    Path f = dir.resolve("bomb.jsonl");
    Files.writeString(f, lines[0] + "\n" + lines[1] + "\n");
    Run r = run("summary", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("warning: " + f + ":1: "), r.err());
    assertTrue(r.err().contains("inflates to more than 41512 bytes"), r.err());
    assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
    assertTrue(
        r.out().lines().anyMatch(l -> l.startsWith("Hello.work") && l.contains(" 45 ")), r.out());

    Files.writeString(f, lines[0] + "\n");
    r = run("summary", dir.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("inflates to more than 41512 bytes"), r.err());
    assertTrue(r.err().contains("error: no readable snapshot line"), r.err());
  }

  @Test
  void aGapInTheIntervalsIsWarnedAboutAndListedInTheJsonReport(@TempDir Path dir) throws Exception {
    Path fixture = Path.of(getClass().getResource("/snapshots/v1/hello-1-jvm.jsonl").toURI());
    String[] lines = Files.readString(fixture).split("\n");
    Path f = dir.resolve("gap.jsonl");
    Files.writeString(f, lines[0] + "\n" + lines[1].replace("\"seq\":1", "\"seq\":4") + "\n");
    String warning =
        f
            + " (run fixture-run, host vm, pid 19596): 3 interval(s) missing, seq 1–3;"
            + " the report lacks their figures";
    Run r = run("report", dir.toString(), "--format", "json");
    assertEquals(0, r.code(), r.err());
    assertEquals("warning: " + warning + "\n", r.err());
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertEquals(warning, json.get("warnings").get(0).asText(), r.out());
  }
}
