package dev.etlprofiler.report.cost;

import dev.etlprofiler.report.model.JvmStats;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.model.ResourceStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prices a profile with a cost model (docs/cost-model.md). Quantities are averages per run: the
 * totals read divided by the number of runs. Pure.
 */
public final class CostEstimator {
  private static final double GB = 1e9;
  private static final double HOUR_NANOS = 3.6e12;

  /**
   * @param runsPerDay given by the user, or null to derive it from the runs read
   */
  public CostReport estimate(Profile p, CostModel m, Double runsPerDay) {
    int runs = Math.max(1, p.runIds().size());
    double perDay;
    String source;
    if (runsPerDay != null) {
      perDay = runsPerDay;
      source = "--runs-per-day";
    } else {
      double derived = derivedRunsPerDay(p);
      perDay = derived > 0 ? derived : 1;
      source =
          derived > 0
              ? "the " + runs + " runs read, over their time span"
              : "default: 1 run per day";
    }
    ResourceStats r = p.resources();
    List<CostLine> lines = new ArrayList<>();
    double cpuHours = r.cpuNanos / HOUR_NANOS / runs;
    lines.add(
        line(
            "compute",
            "CPU time",
            cpuHours,
            "vCPU-hour",
            m.vcpuHour(),
            "process CPU time " + fmt(r.cpuNanos / 1e9) + " s / " + runs + " run(s) / 3600"));
    double jvmWallHours = p.jvmWallMillis() / 3.6e6 / runs;
    double rssGb = Math.max(0, r.rssPeakBytes) / GB;
    lines.add(
        line(
            "compute",
            "memory held",
            rssGb * jvmWallHours,
            "GB-hour",
            m.gbHour(),
            "peak RSS " + fmt(rssGb) + " GB × JVM wall time " + fmt(jvmWallHours) + " h per run"));
    lines.add(
        line(
            "storage",
            "output written, kept a month",
            r.diskWriteBytes / GB / runs,
            "GB-month",
            m.storageGbMonth(),
            "disk bytes written " + fmt(r.diskWriteBytes / GB) + " GB / " + runs + " run(s)"));
    lines.add(
        line(
            "transfer",
            "network in",
            r.netRxBytes / GB / runs,
            "GB",
            m.transferInGb(),
            "bytes received " + fmt(r.netRxBytes / GB) + " GB / " + runs + " run(s)"));
    lines.add(
        line(
            "transfer",
            "network out",
            r.netTxBytes / GB / runs,
            "GB",
            m.transferOutGb(),
            "bytes sent " + fmt(r.netTxBytes / GB) + " GB / " + runs + " run(s)"));
    long processed = p.operations().values().stream().mapToLong(s -> s.counter("bytes")).sum();
    lines.add(
        line(
            "processing",
            "data processed",
            processed / GB / runs,
            "GB",
            m.processingGb(),
            "bytes counted by operations " + fmt(processed / GB) + " GB / " + runs + " run(s)"));

    Map<String, Double> byOperation = new LinkedHashMap<>();
    for (CostModel.ApiPrice api : m.apis()) {
      long calls = 0;
      for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
        if (api.matches(e.getKey().path())) {
          calls += e.getValue().calls();
          byOperation.merge(e.getKey().label(), 0.0, Double::sum);
        }
      }
      double callsPerRun = (double) calls / runs;
      double monthlyCalls = callsPerRun * perDay * 30;
      double billableMonthly = Math.max(0, monthlyCalls - api.freeCallsPerMonth());
      double perRun =
          monthlyCalls == 0 ? 0 : billableMonthly / 1000 * api.per1000Calls() / (perDay * 30);
      lines.add(
          new CostLine(
              "api",
              "calls to " + api.match(),
              callsPerRun / 1000,
              "1000 calls",
              api.per1000Calls(),
              perRun,
              fmt(callsPerRun)
                  + " calls per run × "
                  + fmt(perDay)
                  + " runs/day × 30 = "
                  + fmt(monthlyCalls)
                  + " a month, "
                  + api.freeCallsPerMonth()
                  + " free: "
                  + fmt(billableMonthly)
                  + " billable / 1000 × "
                  + api.per1000Calls()
                  + ", spread over "
                  + fmt(perDay * 30)
                  + " runs"));
      for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
        if (api.matches(e.getKey().path()) && calls > 0) {
          byOperation.merge(e.getKey().label(), perRun * e.getValue().calls() / calls, Double::sum);
        }
      }
    }
    attributeCompute(p, lines, byOperation);
    attributeProcessing(p, lines, byOperation);
    return new CostReport(m.currency(), runs, perDay, source, List.copyOf(lines), byOperation);
  }

  /**
   * Processing cost goes to the operations in proportion to the bytes they counted (the line's own
   * input).
   */
  private static void attributeProcessing(
      Profile p, List<CostLine> lines, Map<String, Double> byOperation) {
    double processing =
        lines.stream()
            .filter(l -> l.category().equals("processing"))
            .mapToDouble(CostLine::amount)
            .sum();
    long bytes = p.operations().values().stream().mapToLong(s -> s.counter("bytes")).sum();
    if (processing == 0 || bytes == 0) return;
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      long b = e.getValue().counter("bytes");
      if (b > 0) byOperation.merge(e.getKey().label(), processing * b / bytes, Double::sum);
    }
  }

  /**
   * Compute cost goes to the top-level operations in proportion to their time. Not to asynchronous
   * calls: their time is time in flight, not time a thread spent (they are costed by their calls
   * and bytes).
   */
  private static void attributeCompute(
      Profile p, List<CostLine> lines, Map<String, Double> byOperation) {
    double compute =
        lines.stream()
            .filter(l -> l.category().equals("compute"))
            .mapToDouble(CostLine::amount)
            .sum();
    long rootTime = 0;
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      if (e.getKey().path().size() == 1 && !e.getValue().async()) {
        rootTime += e.getValue().totalNanos();
      }
    }
    if (rootTime == 0) return;
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      if (e.getKey().path().size() == 1 && !e.getValue().async()) {
        byOperation.merge(
            e.getKey().label(), compute * e.getValue().totalNanos() / rootTime, Double::sum);
      }
    }
  }

  /**
   * Runs per day from the runs' start times: (runs − 1) / their span, when it is at least an hour.
   */
  static double derivedRunsPerDay(Profile p) {
    Map<String, Long> starts = new LinkedHashMap<>();
    for (JvmStats j : p.jvms().values()) {
      if (j.runId != null) starts.merge(j.runId, j.startMillis, Math::min);
    }
    if (starts.size() < 2) return 0;
    long first = starts.values().stream().mapToLong(Long::longValue).min().orElse(0);
    long last = starts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    double days = (last - first) / 86_400_000.0;
    return days * 24 < 1 ? 0 : (starts.size() - 1) / days;
  }

  private static CostLine line(
      String category, String item, double quantity, String unit, double price, String inputs) {
    return new CostLine(
        category,
        item,
        quantity,
        unit,
        price,
        quantity * price,
        inputs + " = " + fmt(quantity) + " " + unit + " × " + price);
  }

  static String fmt(double v) {
    if (v == 0) return "0";
    if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (Math.abs(v) >= 1) return String.format(Locale.ROOT, "%.2f", v);
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
