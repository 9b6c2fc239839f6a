package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.etlprofiler.report.analyze.Analyzer;
import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.analyze.Savings;
import dev.etlprofiler.report.analyze.Thresholds;
import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavingsTest {
  @Test
  void aPerRecordCallToAPricedApiShowsWhatBatchingWouldSave() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 60_000);
    Profiles.op(p, 1, 50_000_000_000L, "job");
    Profiles.op(p, 10_000, 4_000_000, "job", "enrich");
    Profiles.op(p, 10_000, 10_000, "job", "parse");
    CostModel model =
        new CostModel("USD", 0, 0, 0, 0, 0, 0, List.of(new CostModel.ApiPrice("enrich", 1.0, 0)));
    CostReport cost = new CostEstimator().estimate(p, model, 10.0);
    List<Finding> findings = Savings.annotate(new Analyzer(Thresholds.defaults()).analyze(p), cost);
    Finding f =
        findings.stream().filter(x -> x.rule().equals("per-record-call")).findFirst().orElseThrow();
    // 10,000 calls a run × 300 runs a month / 1000 × 1.0 = 3,000 a month; 99% of it saved
    assertEquals("3000 USD", f.evidence().get("API cost a month"));
    assertEquals(
        "up to 2970 USD",
        f.evidence().get("saved a month if 100 records went per call (priced per call)"));
  }
}
