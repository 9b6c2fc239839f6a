package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.analyze.Analyzer;
import dev.etlprofiler.report.analyze.Thresholds;
import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.render.CsvRenderer;
import dev.etlprofiler.report.render.HtmlRenderer;
import dev.etlprofiler.report.render.JsonRenderer;
import dev.etlprofiler.report.render.MarkdownRenderer;
import dev.etlprofiler.report.render.Report;
import dev.etlprofiler.report.render.SummaryRenderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every renderer on one hand-made report, compared with a golden file in src/test/resources/golden.
 * To accept a deliberate change, run with -Dgolden.update=true and read the diff before committing
 * it.
 */
class RenderersGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  /**
   * A job with a hostile operation name (markup, a pipe, a quote and a comma) to check escaping.
   */
  static Report report() {
    Profile p = new Profile();
    Profiles.jvm(p, "nightly-42", 1_795_400_000_000L, 60_000);
    p.resources().seen = true;
    p.resources().cpuNanos = 30_000_000_000L;
    p.resources().cpuUserNanos = 27_000_000_000L;
    p.resources().cpuSystemNanos = 3_000_000_000L;
    p.resources().availableProcessors = 2;
    p.resources().heapUsedPeakBytes = 500L << 20;
    p.resources().heapMaxBytes = 1L << 30;
    p.resources().rssPeakBytes = 800L << 20;
    p.resources().threadsPeak = 24;
    p.resources().diskWriteBytes = 200L << 20;
    p.resources().gc.put("G1 Young Generation", new long[] {12, 340});
    p.warnings()
        .add(
            "nightly-42/etl-7-4242.jsonl (run nightly-42, host etl-7, pid 4242): 2 interval(s)"
                + " missing, seq 3–4; the report lacks their figures");
    Profiles.op(p, "orders", "method", 1, 55_000_000_000L, "job");
    Profiles.op(p, "orders", "method", 20_000, 100_000, "job", "parse")
        .addCounter("records", 20_000);
    Profiles.op(
            p,
            "orders",
            "method",
            20_000,
            2_000_000,
            "job",
            "enrich <script>alert('x')</script> | a,\"b\"")
        .addError("java.net.SocketTimeoutException", 300);
    Profiles.op(p, "orders", "method", 40, 250_000_000, "job", "load");
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
    return new Report(
        p,
        new Analyzer(Thresholds.defaults()).analyze(p),
        new CostEstimator().estimate(p, model, 24.0));
  }

  private static void assertGolden(String name, String actual) throws Exception {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "differs from " + file);
  }

  @Test
  void markdown() throws Exception {
    String md = new MarkdownRenderer().render(report());
    assertFalse(md.contains("<script>"), "markup in names is escaped");
    assertTrue(
        md.contains("## Warnings\n\n- nightly-42/etl-7-4242.jsonl (run nightly-42, host etl-7,"),
        "the reader's warnings are listed");
    assertGolden("report.md", md);
  }

  @Test
  void json() throws Exception {
    String json = new JsonRenderer().render(report());
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json); // valid JSON
    assertEquals(
        report().profile().warnings().get(0),
        tree.get("warnings").get(0).asText(),
        "the reader's warnings are listed");
    assertGolden("report.json", json);
  }

  @Test
  void csv() throws Exception {
    var tables = new CsvRenderer().render(report());
    assertEquals(List.of("operations", "findings", "cost"), List.copyOf(tables.keySet()));
    assertTrue(
        tables
            .get("operations")
            .contains("\"job > enrich <script>alert('x')</script> | a,\"\"b\"\"\""),
        "a comma or quote in a name is quoted per RFC 4180");
    for (var t : tables.entrySet()) {
      assertGolden("report-" + t.getKey() + ".csv", t.getValue());
    }
  }

  @Test
  void html() throws Exception {
    String html = new HtmlRenderer().render(report());
    assertFalse(html.contains("<script"), "no script, and names are escaped");
    assertFalse(
        html.contains("http://") && !html.contains("xmlns=\"http://www.w3.org/2000/svg\""),
        "nothing fetched");
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assertTrue(html.contains("<svg"), "charts are inline SVG");
    assertTrue(
        html.contains("<h2>Warnings</h2>\n<ul>\n<li>nightly-42/etl-7-4242.jsonl (run nightly-42,"),
        "the reader's warnings are listed");
    assertGolden("report.html", html);
  }

  @Test
  void summaryText() throws Exception {
    assertGolden("summary.txt", new SummaryRenderer().render(report().profile()));
  }
}
