package dev.etlprofiler.report.render;

import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.compare.Comparison;
import dev.etlprofiler.report.cost.CostLine;
import dev.etlprofiler.report.cost.CostReport;
import java.util.List;
import java.util.Locale;

/**
 * Plain text for the terminal: findings, a cost estimate, a comparison. Control and bidi characters
 * from snapshots are shown as visible escapes ({@link Visible}).
 */
public final class TextRenderer {
  public String findings(List<Finding> findings) {
    if (findings.isEmpty()) {
      return "No findings.\n";
    }
    StringBuilder out = new StringBuilder();
    for (Finding f : findings) {
      out.append(f.severity())
          .append("  ")
          .append(f.subject())
          .append('\n')
          .append("  ")
          .append(f.title())
          .append(" [")
          .append(f.rule())
          .append("]\n");
      f.evidence()
          .forEach((k, v) -> out.append("    ").append(k).append(": ").append(v).append('\n'));
      out.append("  → ").append(f.recommendation()).append("\n\n");
    }
    return Visible.lines(out.toString());
  }

  public String cost(CostReport c, String period) {
    StringBuilder out = new StringBuilder();
    String per =
        switch (period) {
          case "hourly" -> "hour";
          case "daily" -> "day";
          case "monthly" -> "month";
          default -> "run";
        };
    out.append(
        String.format(
            Locale.ROOT,
            "Cost per %s: %s (%s per run × %s runs; %s runs a day from %s)%n%n",
            per,
            Rows.money(c.total(period), c.currency()),
            Rows.money(c.perRun(), c.currency()),
            Units.fmt(c.runsIn(period)),
            Units.fmt(c.runsPerDay()),
            c.runsPerDaySource()));
    for (CostLine l : c.lines()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-10s %-34s %14s%n           %s%n",
              l.category(),
              l.item(),
              Rows.money(l.amount() * c.runsIn(period), c.currency()),
              l.formula()));
    }
    if (!c.byOperation().isEmpty()) {
      out.append("\nby operation (per ").append(per).append(")\n");
      c.byOperation()
          .forEach(
              (op, amount) ->
                  out.append(
                      String.format(
                          Locale.ROOT,
                          "  %-60s %14s%n",
                          op,
                          Rows.money(amount * c.runsIn(period), c.currency()))));
    }
    return Visible.lines(out.toString());
  }

  public String comparison(Comparison c) {
    StringBuilder out =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Comparison against the baseline (regression: p50 or mean per call %s× or more)%n%n",
                Units.fmt(c.threshold())));
    out.append(
        String.format(
            Locale.ROOT,
            "%-12s %-50s %9s %9s %9s %9s %8s%n",
            "verdict",
            "operation",
            "base p50",
            "now p50",
            "base p99",
            "now p99",
            "mean ×"));
    for (Comparison.Change ch : c.changes()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-12s %-50s %9s %9s %9s %9s %8s%n",
              ch.verdict().name().toLowerCase(Locale.ROOT),
              Visible.cut(ch.subject(), 50),
              Units.nanos(ch.baselineP50()),
              Units.nanos(ch.currentP50()),
              Units.nanos(ch.baselineP99()),
              Units.nanos(ch.currentP99()),
              Double.isNaN(ch.meanRatio()) ? "-" : Units.fmt(ch.meanRatio())));
    }
    c.onlyInBaseline().forEach(s -> out.append("only in the baseline: ").append(s).append('\n'));
    c.onlyInCurrent().forEach(s -> out.append("new in the current run: ").append(s).append('\n'));
    boolean perRecord =
        c.changes().stream().anyMatch(ch -> !Double.isNaN(ch.currentCallsPerRecord()));
    if (perRecord) {
      out.append("\ncalls per record (records: the largest records count of the run)\n");
      for (Comparison.Change ch : c.changes()) {
        if (!Double.isNaN(ch.baselineCallsPerRecord())
            && !Double.isNaN(ch.currentCallsPerRecord())
            && Math.abs(ch.baselineCallsPerRecord() - ch.currentCallsPerRecord()) > 1e-9) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "  %-60s %s -> %s%n",
                  ch.subject(),
                  Units.number(ch.baselineCallsPerRecord()),
                  Units.number(ch.currentCallsPerRecord())));
        }
      }
    }
    if (!Double.isNaN(c.baselineCostPerRun()) && !Double.isNaN(c.currentCostPerRun())) {
      out.append(
          String.format(
              Locale.ROOT,
              "%ncost per run: %s -> %s%n",
              Units.number(c.baselineCostPerRun()),
              Units.number(c.currentCostPerRun())));
    }
    out.append('\n').append(c.regressions().size()).append(" regression(s)\n");
    return Visible.lines(out.toString());
  }
}
