package dev.etlprofiler.report.cost;

import java.util.List;
import java.util.Map;

/**
 * A cost estimate: lines per run, the runs per day used to project it, and cost attributed to
 * operations.
 */
public record CostReport(
    String currency,
    int runs,
    double runsPerDay,
    String runsPerDaySource,
    List<CostLine> lines,
    Map<String, Double> byOperation) {

  public double perRun() {
    return lines.stream().mapToDouble(CostLine::amount).sum();
  }

  /** Runs in a period: run 1, hourly runsPerDay/24, daily runsPerDay, monthly runsPerDay × 30. */
  public double runsIn(String period) {
    return switch (period) {
      case "run" -> 1;
      case "hourly" -> runsPerDay / 24;
      case "daily" -> runsPerDay;
      case "monthly" -> runsPerDay * 30;
      default ->
          throw new IllegalArgumentException(
              "period must be run, hourly, daily or monthly, not " + period);
    };
  }

  public double total(String period) {
    return perRun() * runsIn(period);
  }
}
