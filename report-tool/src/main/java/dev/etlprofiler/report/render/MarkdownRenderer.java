package dev.etlprofiler.report.render;

import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.cost.CostLine;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import java.util.Map;

/** A report to read in a pull request: findings, cost, operations, resources. */
public final class MarkdownRenderer {
  public String render(Report r) {
    Profile p = r.profile();
    StringBuilder out = new StringBuilder("# ETL Cost Profiler report\n\n");
    out.append(
        String.format(
            "%d run(s) (%s), %d JVM(s), %d interval(s), wall time %s.%n%n",
            p.runIds().size(),
            esc(String.join(", ", p.runIds())),
            p.jvms().size(),
            p.intervals(),
            Units.nanos(p.wallMillis() * 1_000_000)));
    if (!p.warnings().isEmpty()) {
      out.append("## Warnings\n\n");
      p.warnings().forEach(w -> out.append("- ").append(esc(w)).append('\n'));
      out.append('\n');
    }
    out.append("## Findings\n\n");
    if (r.findings().isEmpty()) {
      out.append("No findings.\n\n");
    } else {
      out.append(
          "| severity | subject | finding | evidence | recommendation |\n|---|---|---|---|---|\n");
      for (Finding f : r.findings()) {
        StringBuilder ev = new StringBuilder();
        f.evidence()
            .forEach(
                (k, v) -> ev.append(ev.length() > 0 ? "; " : "").append(k).append(": ").append(v));
        out.append("| ")
            .append(f.severity())
            .append(" | ")
            .append(esc(f.subject()))
            .append(" | ")
            .append(esc(f.title()))
            .append(" | ")
            .append(esc(ev.toString()))
            .append(" | ")
            .append(esc(f.recommendation()))
            .append(" |\n");
      }
      out.append('\n');
    }
    CostReport c = r.cost();
    out.append("## Cost\n\n");
    out.append(
        String.format(
            "Per run **%s**, per day %s, per month %s (%s runs a day: %s).%n%n",
            Rows.money(c.perRun(), c.currency()),
            Rows.money(c.total("daily"), c.currency()),
            Rows.money(c.total("monthly"), c.currency()),
            fmt(c.runsPerDay()),
            esc(c.runsPerDaySource())));
    out.append(
        "| category | item | quantity per run | unit price | per run | formula |\n|---|---|---|---|---|---|\n");
    for (CostLine l : c.lines()) {
      out.append("| ")
          .append(l.category())
          .append(" | ")
          .append(esc(l.item()))
          .append(" | ")
          .append(Units.number(l.quantity()))
          .append(' ')
          .append(l.unit())
          .append(" | ")
          .append(l.unitPrice())
          .append(" | ")
          .append(Rows.money(l.amount(), c.currency()))
          .append(" | ")
          .append(esc(l.formula()))
          .append(" |\n");
    }
    if (!c.byOperation().isEmpty()) {
      out.append("\n| operation | cost per run |\n|---|---|\n");
      c.byOperation()
          .forEach(
              (op, amount) ->
                  out.append("| ")
                      .append(esc(op))
                      .append(" | ")
                      .append(Rows.money(amount, c.currency()))
                      .append(" |\n"));
    }
    out.append("\n## Operations\n\n");
    out.append(
        "| operation | session | calls | errors | p50 | p95 | p99 | max | total | records/s |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map.Entry<OperationKey, OperationStats> e : Rows.operations(p)) {
      OperationKey k = e.getKey();
      OperationStats s = e.getValue();
      out.append("| ")
          .append("&nbsp;&nbsp;".repeat(k.depth()))
          .append(esc(k.name()))
          .append(s.sampled() ? " (sampled)" : "")
          .append(" | ")
          .append(k.session() == null ? "" : esc(k.session()))
          .append(" | ")
          .append(s.calls())
          .append(" | ")
          .append(s.errorCount())
          .append(" | ")
          .append(Units.nanos(s.percentile(50)))
          .append(" | ")
          .append(Units.nanos(s.percentile(95)))
          .append(" | ")
          .append(Units.nanos(s.percentile(99)))
          .append(" | ")
          .append(Units.nanos(s.timedCalls() > 0 ? s.maxNanos() : -1))
          .append(" | ")
          .append(Units.nanos(s.totalNanos()))
          .append(" | ")
          .append(Rows.recordsPerSecond(s))
          .append(" |\n");
    }
    out.append("\n## Resources\n\n```\n")
        .append(Visible.lines(SummaryRenderer.resourcesText(p)))
        .append("```\n");
    return out.toString();
  }

  /**
   * Escapes what Markdown tables and inline HTML would interpret; a line end becomes a space, other
   * control and bidi characters visible escapes ({@link Visible}).
   */
  static String esc(String s) {
    return Visible.of(s.replace("\n", " "))
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("`", "\\`");
  }

  static String fmt(double v) {
    return Units.fmt(v);
  }
}
