package dev.etlprofiler.report.render;

import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.cost.CostLine;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tidy table per entity, ready for a spreadsheet: operations, findings, cost lines. Fields are
 * quoted per RFC 4180 when needed; text that a spreadsheet would take for a formula is neutralised
 * (OWASP's advice on CSV injection).
 */
public final class CsvRenderer {
  /** Table name → CSV text. */
  public Map<String, String> render(Report r) {
    Map<String, String> tables = new LinkedHashMap<>();
    StringBuilder ops =
        new StringBuilder(
            row(
                "path",
                "name",
                "kind",
                "dataset",
                "source",
                "calls",
                "sampled",
                "errors",
                "p50_ns",
                "p95_ns",
                "p99_ns",
                "max_ns",
                "total_ns",
                "records",
                "bytes"));
    for (Map.Entry<OperationKey, OperationStats> e : Rows.operations(r.profile())) {
      OperationKey k = e.getKey();
      OperationStats s = e.getValue();
      ops.append(
          row(
              String.join(" > ", k.path()),
              k.name(),
              k.kind(),
              k.dataset(),
              k.source(),
              s.calls(),
              s.sampled(),
              s.errorCount(),
              s.percentile(50),
              s.percentile(95),
              s.percentile(99),
              s.timedCalls() > 0 ? s.maxNanos() : -1,
              s.totalNanos(),
              s.counter("records"),
              s.counter("bytes")));
    }
    tables.put("operations", ops.toString());
    StringBuilder findings =
        new StringBuilder(
            row("severity", "rule", "subject", "title", "evidence", "recommendation"));
    for (Finding f : r.findings()) {
      StringBuilder ev = new StringBuilder();
      f.evidence()
          .forEach(
              (k, v) -> ev.append(ev.length() > 0 ? "; " : "").append(k).append(": ").append(v));
      findings.append(row(f.severity(), f.rule(), f.subject(), f.title(), ev, f.recommendation()));
    }
    tables.put("findings", findings.toString());
    StringBuilder cost =
        new StringBuilder(
            row(
                "category",
                "item",
                "quantity_per_run",
                "unit",
                "unit_price",
                "per_run",
                "currency",
                "formula"));
    for (CostLine l : r.cost().lines()) {
      cost.append(
          row(
              l.category(),
              l.item(),
              l.quantity(),
              l.unit(),
              l.unitPrice(),
              l.amount(),
              r.cost().currency(),
              l.formula()));
    }
    tables.put("cost", cost.toString());
    return tables;
  }

  /** All tables in one text, each after a {@code # name} line (for standard output). */
  public String renderAll(Report r) {
    StringBuilder out = new StringBuilder();
    render(r)
        .forEach(
            (name, csv) ->
                out.append(out.length() > 0 ? "\n" : "")
                    .append("# ")
                    .append(name)
                    .append('\n')
                    .append(csv));
    return out.toString();
  }

  static String row(Object... fields) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) b.append(',');
      b.append(field(fields[i]));
    }
    return b.append('\n').toString();
  }

  /**
   * One cell. Text that starts like a formula ({@code = + - @}, tab or carriage return) is
   * neutralised as OWASP recommends against CSV injection: a single quote before it and the cell
   * quoted, so a spreadsheet shows it as text instead of running it. Numbers (a percentile of -1
   * included) and booleans are written as they are.
   */
  static String field(Object o) {
    String s = o == null ? "" : String.valueOf(o);
    if (!(o instanceof Number || o instanceof Boolean) && startsAFormula(s)) {
      return "\"'" + s.replace("\"", "\"\"") + '"';
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  private static boolean startsAFormula(String s) {
    if (s.isEmpty()) return false;
    char c = s.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  }

  static List<String> names() {
    return List.of("operations", "findings", "cost");
  }
}
