package dev.etlprofiler.report.render;

import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.analyze.FindingGroup;
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
  /**
   * Findings grouped by subject: the subject once with its most serious severity, each finding's
   * title with its rule, the evidence of all of them, then each recommendation.
   */
  public String findings(List<Finding> findings) {
    if (findings.isEmpty()) {
      return "No findings.\n";
    }
    StringBuilder out = new StringBuilder();
    for (FindingGroup g : FindingGroup.of(findings)) {
      out.append(g.severity()).append("  ").append(g.subject()).append('\n');
      for (Finding f : g.findings()) {
        out.append("  ").append(f.title()).append(" [").append(f.rule());
        if (f.severity() != g.severity()) {
          out.append(", ").append(f.severity().name().toLowerCase(Locale.ROOT));
        }
        out.append("]\n");
      }
      g.evidence()
          .forEach((k, v) -> out.append("    ").append(k).append(": ").append(v).append('\n'));
      for (Finding f : g.findings()) {
        out.append("  → ").append(f.recommendation()).append('\n');
      }
      out.append('\n');
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
            money(c.perRun(), c.currency()),
            Units.fmt(c.runsIn(period)),
            Units.fmt(c.runsPerDay()),
            c.runsPerDaySource()));
    double runs = c.runsIn(period);
    for (CostLine l : c.lines()) {
      String perPeriod =
          period.equals("run")
              ? ""
              : String.format(
                  Locale.ROOT,
                  "; × %s runs a %s = %s %s, %s",
                  Units.number(runs),
                  per,
                  Units.number(l.quantity() * runs),
                  l.unit(),
                  Rows.money(l.amount() * runs, c.currency()));
      out.append(
          String.format(
              Locale.ROOT,
              "%-10s %-34s %14s%n           per run: %s = %s%s%n",
              l.category(),
              l.item(),
              Rows.money(l.amount() * runs, c.currency()),
              l.formula(),
              money(l.amount(), c.currency()),
              perPeriod));
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
    String x = Units.fmt(c.threshold()) + "×";
    String clear = Units.fmt(Math.sqrt(c.threshold())) + "×";
    StringBuilder out = new StringBuilder();
    out.append("Comparison against the baseline, per operation (docs/analysis.md, compare)\n");
    out.append(
        String.format(
            Locale.ROOT,
            "  regression     the typical call (typical×: the median of current / baseline over"
                + " every pair of a baseline\n"
                + "                 and a current call, from the latency histograms) is %s slower or"
                + " more; its 99.9 %%\n"
                + "                 Mann-Whitney confidence bound is at least %s, beyond what the"
                + " runs' spread explains;\n"
                + "                 and the slowdown adds at least 1 %% of the baseline's wall time"
                + " (calls × base p50 × (typical× − 1))%n"
                + "  improvement    the typical call is %s faster or more, bound at most 1/%s%n"
                + "  unchanged      no change of the typical call of %s or more that the spread"
                + " cannot explain (p50, p99\n"
                + "                 and the mean move with JIT phases, stalls and outliers: see"
                + " their columns)%n"
                + "  too_few_calls  fewer than %d timed calls on one side: not judged%n"
                + "  HTTP endpoints on loopback hosts match across runs whatever their ephemeral"
                + " port (>= %d): :{port}%n%n",
            x,
            clear,
            x,
            clear,
            x,
            Comparison.MIN_TIMED_CALLS,
            Comparison.EPHEMERAL_PORTS_FROM));
    String row = "%-13s %-60s %9s %9s %9s %9s %9s %13s %7s%n";
    out.append(
        String.format(
            Locale.ROOT,
            row,
            "verdict",
            "operation",
            "base p50",
            "now p50",
            "base p99",
            "now p99",
            "typical×",
            "99.9 % bounds",
            "mean×"));
    for (Comparison.Change ch : c.changes()) {
      out.append(
          String.format(
              Locale.ROOT,
              row,
              ch.verdict().name().toLowerCase(Locale.ROOT),
              Visible.of(shortSubject(ch.subject(), 60)),
              Units.nanos(ch.baselineP50()),
              Units.nanos(ch.currentP50()),
              Units.nanos(ch.baselineP99()),
              Units.nanos(ch.currentP99()),
              Double.isNaN(ch.typicalRatio()) ? "-" : Units.fmt(ch.typicalRatio()),
              bounds(ch),
              Double.isNaN(ch.meanRatio()) ? "-" : Units.fmt(ch.meanRatio())));
    }
    c.onlyInBaseline().forEach(s -> out.append("only in the baseline: ").append(s).append('\n'));
    c.onlyInCurrent().forEach(s -> out.append("new in the current run: ").append(s).append('\n'));
    List<Comparison.Change> perRecord =
        c.changes().stream()
            .filter(
                ch ->
                    !Double.isNaN(ch.baselineCallsPerRecord())
                        && !Double.isNaN(ch.currentCallsPerRecord())
                        && Math.abs(ch.baselineCallsPerRecord() - ch.currentCallsPerRecord())
                            > 1e-9)
            .toList();
    if (!perRecord.isEmpty()) {
      out.append(
          "\ncalls per record that changed (records: the largest records count of the run)\n");
      for (Comparison.Change ch : perRecord) {
        out.append(
            String.format(
                Locale.ROOT,
                "  %-60s %s -> %s%n",
                ch.subject(),
                Units.number(ch.baselineCallsPerRecord()),
                Units.number(ch.currentCallsPerRecord())));
      }
    }
    if (!Double.isNaN(c.baselineCostPerRun()) && !Double.isNaN(c.currentCostPerRun())) {
      out.append(
          String.format(
              Locale.ROOT,
              "%ncost per run: %s -> %s%n",
              money(c.baselineCostPerRun(), c.currency()),
              money(c.currentCostPerRun(), c.currency())));
    }
    out.append('\n').append(c.regressions().size()).append(" regression(s)\n");
    return Visible.lines(out.toString());
  }

  /**
   * A subject cut to {@code n} characters in the middle of its path: the session and kind tags
   * after it ("[orders / s3] [jdbc]") are kept whole, the path's start and end too.
   */
  static String shortSubject(String subject, int n) {
    int cut = subject.length();
    while (cut > 0 && subject.charAt(cut - 1) == ']' && subject.lastIndexOf(" [", cut) > 0) {
      cut = subject.lastIndexOf(" [", cut - 1);
    }
    String suffix = subject.substring(cut);
    return SummaryRenderer.truncateMiddle(
            subject.substring(0, cut), Math.max(12, n - suffix.length()))
        + suffix;
  }

  /** Money with three significant digits below one unit (0.000145 USD, not 0.0001 USD). */
  private static String money(double amount, String currency) {
    return amount != 0 && Math.abs(amount) < 1
        ? Units.number(amount) + " " + currency
        : Rows.money(amount, currency);
  }

  /** The typical ratio's 99.9 % bounds, "-" without them. */
  private static String bounds(Comparison.Change ch) {
    if (Double.isNaN(ch.typicalRatioLow()) || ch.typicalRatioLow() <= 0) return "-";
    if (Double.isInfinite(ch.typicalRatioHigh())) return "≥" + Units.fmt(ch.typicalRatioLow());
    return Units.fmt(ch.typicalRatioLow()) + "–" + Units.fmt(ch.typicalRatioHigh());
  }
}
