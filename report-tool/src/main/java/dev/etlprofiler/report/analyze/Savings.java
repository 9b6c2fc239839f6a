package dev.etlprofiler.report.analyze;

import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.render.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adds money to findings where the cost estimate allows: a per-record call to a priced API would
 * cost at most a hundredth as much if 100 records went per call (assuming the bulk call is priced
 * as one call). Pure.
 */
public final class Savings {
  static final int BATCH = 100;

  private Savings() {}

  public static List<Finding> annotate(List<Finding> findings, CostReport cost) {
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      Double perRun = cost.byOperation().get(f.subject());
      if (f.rule().equals("per-record-call") && perRun != null && perRun > 0) {
        double monthly = perRun * cost.runsIn("monthly");
        double saved = monthly * (1 - 1.0 / BATCH);
        Map<String, String> evidence = new LinkedHashMap<>(f.evidence());
        evidence.put("API cost a month", money(monthly, cost.currency()));
        evidence.put(
            "saved a month if " + BATCH + " records went per call (priced per call)",
            "up to " + money(saved, cost.currency()));
        out.add(
            new Finding(
                f.rule(), f.severity(), f.subject(), f.title(), evidence, f.recommendation()));
      } else {
        out.add(f);
      }
    }
    return out;
  }

  private static String money(double amount, String currency) {
    return String.format(Locale.ROOT, "%s %s", Units.number(amount), currency);
  }
}
