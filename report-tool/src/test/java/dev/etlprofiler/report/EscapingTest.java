package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.cli.Main;
import dev.etlprofiler.report.compare.Comparison;
import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.render.HtmlRenderer;
import dev.etlprofiler.report.render.MarkdownRenderer;
import dev.etlprofiler.report.render.Report;
import dev.etlprofiler.report.render.TextRenderer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names from snapshots reach the terminal, Markdown and HTML with every control and bidi character
 * shown as a visible {@code \\uXXXX} escape: a NUL, an ANSI escape or a right-to-left override in
 * an operation name can neither hide text, reorder it nor drive the terminal.
 */
class EscapingTest {
  /** NUL, right-to-left override, an ANSI colour, an emoji (kept), first-strong isolate, DEL. */
  static final String HOSTILE = "enrich\u0000a\u202Eb\u001b[31m\uD83D\uDE00\u2068c\u007F";

  /** Fails at the first control, bidi or unpaired surrogate character ({@code \n} allowed). */
  static void assertShownSafely(String out, String what) {
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < out.length()
          && Character.isLowSurrogate(out.charAt(i + 1))) {
        i++;
        continue;
      }
      boolean bidi =
          c == '\u061C'
              || c == '\u200E'
              || c == '\u200F'
              || (c >= '\u202A' && c <= '\u202E')
              || (c >= '\u2066' && c <= '\u2069');
      if (c != '\n' && (Character.isISOControl(c) || bidi || Character.isSurrogate(c))) {
        fail(String.format("%s: raw U+%04X at %d in:%n%s", what, (int) c, i, out));
      }
    }
    assertTrue(out.contains("\\u202E"), what + " shows the override as an escape:\n" + out);
    assertTrue(out.contains("\uD83D\uDE00"), what + " keeps the emoji:\n" + out);
  }

  private static Report report() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 60_000);
    Profiles.op(p, "orders", "method", 1, 55_000_000_000L, "job");
    Profiles.op(p, "orders", "method", 20_000, 2_000_000, "job", HOSTILE);
    Finding f =
        new Finding(
            "rule" + HOSTILE,
            Finding.Severity.WARNING,
            "job > " + HOSTILE,
            "title " + HOSTILE,
            Map.of("key " + HOSTILE, "value " + HOSTILE),
            "do " + HOSTILE);
    CostModel model =
        new CostModel(
            "USD",
            0.04,
            0.005,
            0.023,
            0.0,
            0.09,
            0.0,
            List.of(new CostModel.ApiPrice("enrich*", 0.4, 0)));
    p.warnings().add("a warning about " + HOSTILE);
    return new Report(p, List.of(f), new CostEstimator().estimate(p, model, 24.0));
  }

  @Test
  void htmlMarkdownAndTextShowControlAndBidiCharactersAsEscapes() {
    Report r = report();
    assertShownSafely(new HtmlRenderer().render(r), "html");
    assertShownSafely(new MarkdownRenderer().render(r), "markdown");
    assertShownSafely(new TextRenderer().findings(r.findings()), "text findings");
    assertShownSafely(new TextRenderer().cost(r.cost(), "run"), "text cost");
    assertShownSafely(
        new TextRenderer().comparison(Comparison.of(r.profile(), r.profile(), 1.5)),
        "text comparison");
  }

  @Test
  void aCutLabelNeverSplitsACharacterInTwo() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 60_000);
    // 46 + 2 chars: the HTML chart cuts labels at 47, the comparison subjects at 49
    String html = "h".repeat(46) + "\uD83D\uDE00" + "tail";
    String text = "t".repeat(48) + "\uD83D\uDE00" + "tail";
    Profiles.op(p, 20_000, 2_000, html);
    Profiles.op(p, 20_000, 2_000, text);
    Report r = new Report(p, List.of(), new CostEstimator().estimate(p, CostModel.defaults(), 1.0));
    for (String out :
        List.of(
            new HtmlRenderer().render(r),
            new TextRenderer().comparison(Comparison.of(p, p, 1.5)))) {
      for (int i = 0; i < out.length(); i++) {
        char c = out.charAt(i);
        if (Character.isHighSurrogate(c)) {
          assertTrue(
              i + 1 < out.length() && Character.isLowSurrogate(out.charAt(++i)),
              "half a character at " + i);
        } else {
          assertFalse(Character.isLowSurrogate(c), "half a character at " + i);
        }
      }
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static String fixtureWithName(String jsonName) throws Exception {
    Path fixture =
        Path.of(EscapingTest.class.getResource("/snapshots/v1/hello-1-jvm.jsonl").toURI());
    return Files.readString(fixture).replace("Hello.work", jsonName);
  }

  @Test
  void theSummaryAndTheWarningsOnTheTerminalShowEscapesToo(@TempDir Path dir) throws Exception {
    String name = "enrich\\u0000a\\u202Eb\\u001b[31m\\ud83d\\ude00\\u2068c\\u007f";
    Files.writeString(dir.resolve("x.jsonl"), fixtureWithName(name) + "{\u202E\u001b[2J}\n");
    Run r = run("summary", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertShownSafely(r.out(), "summary");
    assertTrue(r.err().contains("x.jsonl:3: not a complete JSON line"), r.err());
    assertTrue(r.err().contains("\\u202E"), r.err());
    for (char c : r.err().toCharArray()) {
      assertFalse(c == '\u202E' || c == 0x1b, "raw in warnings: " + r.err());
    }
  }

  @Test
  void aNameThatIsNotValidUnicodeSkipsItsLineSoEveryReportCanBeWritten(@TempDir Path dir)
      throws Exception {
    String[] lines = fixtureWithName("Hello.work").split("\n");
    lines[0] = lines[0].replace("\"Hello.work\"", "\"half \\ud800 a character\"");
    Path snaps = Files.createDirectory(dir.resolve("snaps"));
    Files.writeString(snaps.resolve("x.jsonl"), lines[0] + "\n" + lines[1] + "\n");
    for (String format : List.of("html", "json", "markdown")) {
      Path out = dir.resolve("report." + format);
      Run r = run("report", snaps.toString(), "--format", format, "--output", out.toString());
      assertEquals(0, r.code(), format + ": " + r.err());
      assertTrue(r.err().contains("x.jsonl:1: operations[0].name is not valid Unicode"), r.err());
      assertTrue(Files.readString(out).contains("Hello.work"));
    }
  }

  @Test
  void textQuotedFromALineInAWarningIsValidUnicodeAndShort(@TempDir Path dir) throws Exception {
    String[] lines = fixtureWithName("Hello.work").split("\n");
    Path snaps = Files.createDirectory(dir.resolve("snaps"));
    Files.writeString(
        snaps.resolve("x.jsonl"),
        lines[0].replace("\"version\":1", "\"version\":\"\\ud800\"")
            + "\n"
            + lines[0].replace("\"version\":1", "\"version\":\"" + "9".repeat(100_000) + "\"")
            + "\n"
            + lines[1]
            + "\n");
    Path out = dir.resolve("report.json");
    Run r = run("report", snaps.toString(), "--format", "json", "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    var warnings =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile()).get("warnings");
    assertEquals(
        "snapshot format version \\uD800 is not supported (this report tool reads versions 1 to 1),"
            + " skipped",
        warnings.get(0).asText().replaceFirst("^.*x.jsonl:1: ", ""));
    assertTrue(warnings.get(1).asText().length() < 300, warnings.get(1).asText());
  }
}
