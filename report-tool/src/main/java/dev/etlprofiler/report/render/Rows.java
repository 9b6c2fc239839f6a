package dev.etlprofiler.report.render;

import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The operations of a profile in report order (tree order), shared by the renderers. */
final class Rows {
  private Rows() {}

  static List<Map.Entry<OperationKey, OperationStats>> operations(Profile p) {
    return SummaryRenderer.treeOrder(new ArrayList<>(p.operations().entrySet()));
  }

  /** Records per second of the operation's own time; "-" for asynchronous time in flight. */
  static String recordsPerSecond(OperationStats s) {
    return s.counter("records") > 0 && s.totalNanos() > 0 && !s.async()
        ? Units.rate(s.counter("records") / (s.totalNanos() / 1e9))
        : "-";
  }

  static String money(double amount, String currency) {
    return String.format(
        java.util.Locale.ROOT,
        amount >= 100 ? "%.0f %s" : amount >= 1 ? "%.2f %s" : "%.4f %s",
        amount,
        currency);
  }
}
