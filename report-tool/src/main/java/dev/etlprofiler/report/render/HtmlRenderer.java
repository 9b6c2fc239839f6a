package dev.etlprofiler.report.render;

import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.cost.CostLine;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page: inline CSS and inline SVG charts, no script, nothing fetched from
 * the network. Every name from a snapshot is HTML-escaped, its control and bidi characters shown as
 * visible escapes.
 */
public final class HtmlRenderer {
  private static final int BAR_WIDTH = 520;

  public String render(Report r) {
    Profile p = r.profile();
    StringBuilder out = new StringBuilder(16_384);
    out.append(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>ETL Cost Profiler report</title>\n")
        .append(
            "<style>\nbody{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}\n")
        .append("h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}\n")
        .append(
            "table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}\n")
        .append("th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
        .append(
            ".critical{background:#fde2e1}.warning{background:#fff4d6}.info{background:#e8f1fd}\n")
        .append(
            ".sev{font-weight:bold;text-transform:uppercase;font-size:.8em}svg text{font:12px system-ui,sans-serif}\n")
        .append(".muted{color:#666}\n</style></head><body>\n");
    out.append("<h1>ETL Cost Profiler report</h1>\n<p class=\"muted\">")
        .append(p.runIds().size())
        .append(" run(s): ")
        .append(esc(String.join(", ", p.runIds())))
        .append(" · ")
        .append(p.jvms().size())
        .append(" JVM(s) · ")
        .append(p.intervals())
        .append(" interval(s) · wall time ")
        .append(esc(Units.nanos(p.wallMillis() * 1_000_000)))
        .append("</p>\n");
    if (!p.warnings().isEmpty()) {
      out.append("<h2>Warnings</h2>\n<ul>\n");
      p.warnings().forEach(w -> out.append("<li>").append(esc(w)).append("</li>\n"));
      out.append("</ul>\n");
    }
    findings(r.findings(), out);
    cost(r.cost(), out);
    timeChart(p, out);
    overTime(p, out);
    latencyChart(p, out);
    operations(p, out);
    out.append("<h2>Resources</h2>\n<pre>")
        .append(escLines(SummaryRenderer.resourcesText(p)))
        .append("</pre>\n");
    out.append("</body></html>\n");
    return out.toString();
  }

  private static void findings(List<Finding> findings, StringBuilder out) {
    out.append("<h2>Findings</h2>\n");
    if (findings.isEmpty()) {
      out.append("<p>No findings.</p>\n");
      return;
    }
    out.append(
        "<table><tr><th>severity</th><th>subject</th><th>finding</th><th>evidence</th><th>recommendation</th></tr>\n");
    for (Finding f : findings) {
      String cls = f.severity().name().toLowerCase(Locale.ROOT);
      out.append("<tr class=\"")
          .append(cls)
          .append("\"><td class=\"sev\">")
          .append(cls)
          .append("</td><td>")
          .append(esc(f.subject()))
          .append("</td><td>")
          .append(esc(f.title()))
          .append("</td><td>");
      f.evidence()
          .forEach((k, v) -> out.append(esc(k)).append(": <b>").append(esc(v)).append("</b><br>"));
      out.append("</td><td>").append(esc(f.recommendation())).append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  private static void cost(CostReport c, StringBuilder out) {
    out.append("<h2>Cost</h2>\n<p>Per run <b>")
        .append(esc(Rows.money(c.perRun(), c.currency())))
        .append("</b> · per hour ")
        .append(esc(Rows.money(c.total("hourly"), c.currency())))
        .append(" · per day ")
        .append(esc(Rows.money(c.total("daily"), c.currency())))
        .append(" · per month <b>")
        .append(esc(Rows.money(c.total("monthly"), c.currency())))
        .append("</b> <span class=\"muted\">(")
        .append(esc(Units.fmt(c.runsPerDay())))
        .append(" runs a day: ")
        .append(esc(c.runsPerDaySource()))
        .append(")</span></p>\n");
    List<String[]> bars = new ArrayList<>();
    double max = 0;
    for (CostLine l : c.lines()) {
      max = Math.max(max, l.amount());
    }
    out.append(svgStart(c.lines().size() * 24 + 10));
    int y = 5;
    for (CostLine l : c.lines()) {
      bar(
          out,
          y,
          l.category() + ": " + l.item(),
          max == 0 ? 0 : l.amount() / max,
          Rows.money(l.amount(), c.currency()),
          "#4e79a7");
      y += 24;
    }
    out.append(
        "</svg>\n<table><tr><th>category</th><th>item</th><th>quantity per run</th><th>unit price</th><th>per run</th><th>formula</th></tr>\n");
    for (CostLine l : c.lines()) {
      out.append("<tr><td>")
          .append(esc(l.category()))
          .append("</td><td>")
          .append(esc(l.item()))
          .append("</td><td class=\"n\">")
          .append(esc(Units.number(l.quantity()) + " " + l.unit()))
          .append("</td><td class=\"n\">")
          .append(l.unitPrice())
          .append("</td><td class=\"n\">")
          .append(esc(Rows.money(l.amount(), c.currency())))
          .append("</td><td>")
          .append(esc(l.formula()))
          .append("</td></tr>\n");
    }
    out.append("</table>\n");
    bars.clear();
  }

  private static void timeChart(Profile p, StringBuilder out) {
    List<Map.Entry<OperationKey, OperationStats>> ops = new ArrayList<>(p.operations().entrySet());
    ops.sort(
        Comparator.comparingLong(
                (Map.Entry<OperationKey, OperationStats> e) -> e.getValue().totalNanos())
            .reversed());
    ops = ops.subList(0, Math.min(12, ops.size()));
    out.append("<h2>Time per operation</h2>\n");
    long max = ops.isEmpty() ? 0 : ops.get(0).getValue().totalNanos();
    out.append(svgStart(ops.size() * 24 + 10));
    int y = 5;
    for (Map.Entry<OperationKey, OperationStats> e : ops) {
      bar(
          out,
          y,
          e.getKey().label(),
          max == 0 ? 0 : (double) e.getValue().totalNanos() / max,
          Units.nanos(e.getValue().totalNanos()),
          "#59a14f");
      y += 24;
    }
    out.append("</svg>\n");
  }

  /** CPU utilisation and heap peak over time since the JVM start, as two line charts. */
  private static void overTime(Profile p, StringBuilder out) {
    List<dev.etlprofiler.report.model.TimeSeries.Point> points = p.series().points();
    out.append("<h2>Over time</h2>\n");
    if (points.size() < 2) {
      out.append(
          "<p class=\"muted\">One interval only: write snapshots more often (output.interval) to see the job over time.</p>\n");
      return;
    }
    int cpus = Math.max(1, p.resources().availableProcessors);
    double[] cpu = new double[points.size()];
    double[] heap = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      var pt = points.get(i);
      cpu[i] = pt.wallMillis == 0 ? 0 : pt.cpuNanos / (pt.wallMillis * 1e6 * cpus);
      heap[i] = pt.heapPeakBytes;
    }
    String span = Units.nanos(points.size() * p.series().bucketMillis() * 1_000_000);
    line(
        out,
        "CPU used, share of " + cpus + " CPU(s)",
        cpu,
        1.0,
        Units.percent(1.0),
        span,
        "#4e79a7");
    double maxHeap = java.util.Arrays.stream(heap).max().orElse(1);
    line(
        out, "heap peak", heap, Math.max(1, maxHeap), Units.bytes((long) maxHeap), span, "#e15759");
  }

  private static void line(
      StringBuilder out,
      String title,
      double[] values,
      double max,
      String maxLabel,
      String span,
      String colour) {
    int w = 900;
    int h = 120;
    StringBuilder pts = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      double x = 60 + (double) i / (values.length - 1) * (w - 70);
      double y = 10 + (1 - Math.min(1, values[i] / max)) * (h - 20);
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    out.append("<p>")
        .append(esc(title))
        .append("</p>\n")
        .append(svgStart(h + 20))
        .append("<line x1=\"60\" y1=\"")
        .append(h - 10)
        .append("\" x2=\"")
        .append(w - 10)
        .append("\" y2=\"")
        .append(h - 10)
        .append("\" stroke=\"#999\"/><text x=\"0\" y=\"18\">")
        .append(esc(maxLabel))
        .append("</text><text x=\"0\" y=\"")
        .append(h - 10)
        .append("\">0</text><text x=\"")
        .append(w - 80)
        .append("\" y=\"")
        .append(h + 8)
        .append("\">")
        .append(esc(span))
        .append("</text>\n<polyline fill=\"none\" stroke=\"")
        .append(colour)
        .append("\" stroke-width=\"2\" points=\"")
        .append(pts.toString().trim())
        .append("\"/>\n</svg>\n");
  }

  /** p50, p95 and p99 per operation on a log scale from 1 µs to the largest p99. */
  private static void latencyChart(Profile p, StringBuilder out) {
    List<Map.Entry<OperationKey, OperationStats>> ops = new ArrayList<>();
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      if (e.getValue().timedCalls() > 0) ops.add(e);
    }
    ops.sort(
        Comparator.comparingLong(
                (Map.Entry<OperationKey, OperationStats> e) -> e.getValue().calls())
            .reversed());
    ops = ops.subList(0, Math.min(10, ops.size()));
    out.append(
        "<h2>Latency percentiles</h2>\n<p class=\"muted\">p50, p95 and p99 per operation (log scale), the 10 most called.</p>\n");
    double maxLog =
        Math.log10(
            Math.max(
                1000, ops.stream().mapToLong(e -> e.getValue().percentile(99)).max().orElse(1000)));
    double minLog = 2; // 100 ns
    out.append(svgStart(ops.size() * 44 + 10));
    int y = 5;
    String[] colours = {"#76b7b2", "#f28e2b", "#e15759"};
    double[] percentiles = {50, 95, 99};
    for (Map.Entry<OperationKey, OperationStats> e : ops) {
      for (int i = 0; i < 3; i++) {
        long v = e.getValue().percentile(percentiles[i]);
        double frac = v <= 0 ? 0 : Math.max(0, (Math.log10(v) - minLog) / (maxLog - minLog));
        bar(
            out,
            y + i * 12,
            i == 0 ? e.getKey().label() : "",
            frac,
            "p" + (int) percentiles[i] + " " + Units.nanos(v),
            colours[i],
            11);
      }
      y += 44;
    }
    out.append("</svg>\n");
  }

  private static void operations(Profile p, StringBuilder out) {
    out.append(
            "<h2>Operations</h2>\n<table><tr><th>operation</th><th>session</th><th>calls</th><th>errors</th><th>p50</th>")
        .append("<th>p95</th><th>p99</th><th>max</th><th>total</th><th>records/s</th></tr>\n");
    for (Map.Entry<OperationKey, OperationStats> e : Rows.operations(p)) {
      OperationKey k = e.getKey();
      OperationStats s = e.getValue();
      out.append("<tr><td>")
          .append("&nbsp;&nbsp;".repeat(k.depth()))
          .append(esc(k.name()))
          .append(s.sampled() ? " <span class=\"muted\">(sampled)</span>" : "")
          .append("</td><td>")
          .append(k.session() == null ? "" : esc(k.session()))
          .append("</td>");
      for (String v :
          new String[] {
            String.valueOf(s.calls()),
            String.valueOf(s.errorCount()),
            Units.nanos(s.percentile(50)),
            Units.nanos(s.percentile(95)),
            Units.nanos(s.percentile(99)),
            Units.nanos(s.timedCalls() > 0 ? s.maxNanos() : -1),
            Units.nanos(s.totalNanos()),
            Rows.recordsPerSecond(s)
          }) {
        out.append("<td class=\"n\">").append(esc(v)).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</table>\n");
  }

  private static String svgStart(int height) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\""
        + height
        + "\" role=\"img\">\n";
  }

  private static void bar(
      StringBuilder out, int y, String label, double fraction, String value, String colour) {
    bar(out, y, label, fraction, value, colour, 18);
  }

  private static void bar(
      StringBuilder out, int y, String label, double fraction, String value, String colour, int h) {
    int w = (int) Math.round(Math.max(0, Math.min(1, fraction)) * BAR_WIDTH);
    String shortLabel = Visible.cut(label, 48);
    out.append("<text x=\"0\" y=\"")
        .append(y + h - 5)
        .append("\">")
        .append(esc(shortLabel))
        .append("<title>")
        .append(esc(label))
        .append("</title></text>")
        .append("<rect x=\"360\" y=\"")
        .append(y)
        .append("\" width=\"")
        .append(Math.max(1, w))
        .append("\" height=\"")
        .append(h)
        .append("\" fill=\"")
        .append(colour)
        .append("\"/>")
        .append("<text x=\"")
        .append(366 + w)
        .append("\" y=\"")
        .append(y + h - 5)
        .append("\">")
        .append(esc(value))
        .append("</text>\n");
  }

  /** Escapes markup, and shows control and bidi characters as visible escapes ({@link Visible}). */
  static String esc(String s) {
    return entities(Visible.of(s));
  }

  /** The same for a {@code <pre>} block: its line ends are kept. */
  static String escLines(String s) {
    return entities(Visible.lines(s));
  }

  private static String entities(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
