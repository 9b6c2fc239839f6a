package dev.etlprofiler.report.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.analyze.FindingGroup;
import dev.etlprofiler.report.cost.CostLine;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.model.ResourceStats;
import java.util.Map;

/** The report as JSON, schema in docs/report-json-schema.md (reportVersion 2). */
public final class JsonRenderer {
  public static final int REPORT_VERSION = 2;
  private final ObjectMapper json =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  public String render(Report r) {
    Profile p = r.profile();
    ObjectNode root = json.createObjectNode();
    root.put("reportVersion", REPORT_VERSION);
    ArrayNode runs = root.putArray("runs");
    p.runIds().forEach(runs::add);
    root.put("jvms", p.jvms().size());
    root.put("intervals", p.intervals());
    root.put("wallMillis", p.wallMillis());
    ArrayNode warnings = root.putArray("warnings"); // what was skipped or is missing
    p.warnings().forEach(warnings::add);
    ArrayNode ops = root.putArray("operations");
    for (Map.Entry<OperationKey, OperationStats> e : Rows.operations(p)) {
      ops.add(operation(e.getKey(), e.getValue(), p.jvmWallMillis() * 1_000_000));
    }
    root.set("resources", resources(p.resources()));
    ArrayNode findings = root.putArray("findings");
    for (FindingGroup g : FindingGroup.of(r.findings())) {
      ObjectNode n = findings.addObject();
      n.put("subject", g.subject());
      n.put("severity", g.severity().name().toLowerCase(java.util.Locale.ROOT));
      ArrayNode rules = n.putArray("rules");
      ArrayNode list = n.putArray("findings");
      for (Finding f : g.findings()) {
        rules.add(f.rule());
        ObjectNode fn = list.addObject();
        fn.put("rule", f.rule());
        fn.put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT));
        fn.put("title", f.title());
        fn.put("recommendation", f.recommendation());
      }
      ObjectNode ev = n.putObject("evidence");
      g.evidence().forEach(ev::put);
    }
    root.set("cost", cost(r.cost()));
    try {
      return json.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode operation(OperationKey k, OperationStats s, long jvmWallNanos) {
    ObjectNode n = json.createObjectNode();
    ArrayNode path = n.putArray("path");
    k.path().forEach(path::add);
    n.put("name", k.name());
    n.put("kind", k.kind());
    if (k.dataset() != null) {
      n.put("dataset", k.dataset());
      n.put("source", k.source());
    }
    n.put("calls", s.calls());
    n.put("sampled", s.sampled());
    n.put("async", s.async());
    n.put("errors", s.errorCount());
    ObjectNode byType = n.putObject("errorsByType");
    s.errors().forEach(byType::put);
    n.put("timedCalls", s.timedCalls());
    n.put("totalNanos", s.totalNanos());
    if (s.sampled()) {
      long[] ci = s.totalInterval();
      n.put("totalNanosLow", ci[0]);
      n.put("totalNanosHigh", ci[1]);
      if (s.capped()) {
        n.put("totalCappedFrom", s.rawTotalNanos());
        n.put("totalCapReason", s.capReason());
      }
    }
    if (jvmWallNanos > 0) {
      double ratio = (double) s.totalNanos() / jvmWallNanos;
      n.put(s.async() || ratio > 1 ? "meanConcurrency" : "wallShare", ratio);
    }
    n.put("p50Nanos", s.percentile(50));
    n.put("p95Nanos", s.percentile(95));
    n.put("p99Nanos", s.percentile(99));
    n.put("maxNanos", s.timedCalls() > 0 ? s.maxNanos() : -1);
    ObjectNode counters = n.putObject("counters");
    s.counters().forEach(counters::put);
    if (!s.gauges().isEmpty()) {
      ObjectNode gauges = n.putObject("gauges");
      s.gauges().forEach(gauges::put);
    }
    return n;
  }

  private ObjectNode resources(ResourceStats r) {
    ObjectNode n = json.createObjectNode();
    n.put("cpuNanos", r.cpuNanos);
    n.put("cpuUserNanos", r.cpuUserNanos);
    n.put("cpuSystemNanos", r.cpuSystemNanos);
    n.put("heapUsedPeakBytes", r.heapUsedPeakBytes);
    n.put("heapMaxBytes", r.heapMaxBytes);
    n.put("rssPeakBytes", r.rssPeakBytes);
    n.put("threadsPeak", r.threadsPeak);
    n.put("gcCount", r.gcCount());
    n.put("gcMillis", r.gcMillis());
    n.put("diskReadBytes", r.diskReadBytes);
    n.put("diskWriteBytes", r.diskWriteBytes);
    n.put("netRxBytes", r.netRxBytes);
    n.put("netTxBytes", r.netTxBytes);
    return n;
  }

  private ObjectNode cost(CostReport c) {
    ObjectNode n = json.createObjectNode();
    n.put("currency", c.currency());
    n.put("runs", c.runs());
    n.put("runsPerDay", c.runsPerDay());
    n.put("runsPerDaySource", c.runsPerDaySource());
    n.put("perRun", c.perRun());
    n.put("hourly", c.total("hourly"));
    n.put("daily", c.total("daily"));
    n.put("monthly", c.total("monthly"));
    ArrayNode lines = n.putArray("lines");
    for (CostLine l : c.lines()) {
      ObjectNode ln = lines.addObject();
      ln.put("category", l.category());
      ln.put("item", l.item());
      ln.put("quantityPerRun", l.quantity());
      ln.put("unit", l.unit());
      ln.put("unitPrice", l.unitPrice());
      ln.put("perRun", l.amount());
      ln.put("formula", l.formula());
    }
    ObjectNode byOp = n.putObject("byOperation");
    c.byOperation().forEach(byOp::put);
    return n;
  }
}
