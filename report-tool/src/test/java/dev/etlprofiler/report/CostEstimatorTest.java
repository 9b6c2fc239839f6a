package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostLine;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.read.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every cost formula on numbers that add up by hand. */
class CostEstimatorTest {
  private static final CostModel MODEL =
      new CostModel(
          "USD",
          0.04,
          0.005,
          0.023,
          0.01,
          0.09,
          0.5,
          List.of(new CostModel.ApiPrice("Enricher.enrich", 0.5, 100_000)));

  private static Profile profile() {
    Profile p = new Profile();
    Profiles.jvm(p, "r1", 0, 3_600_000); // one run of one hour
    p.resources().seen = true;
    p.resources().cpuNanos = 2 * 3_600_000_000_000L; // 2 CPU-hours
    p.resources().rssPeakBytes = 4_000_000_000L; // 4 GB
    p.resources().diskWriteBytes = 10_000_000_000L; // 10 GB
    p.resources().netRxBytes = 1_000_000_000L;
    p.resources().netTxBytes = 2_000_000_000L;
    Profiles.op(p, 1, 3_600_000_000_000L, "job").addCounter("bytes", 3_000_000_000L);
    Profiles.op(p, 10_000, 1_000_000, "job", "Enricher.enrich");
    return p;
  }

  private static double amount(CostReport r, String item) {
    return r.lines().stream()
        .filter(l -> l.item().equals(item))
        .mapToDouble(CostLine::amount)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void computeStorageTransferAndProcessingAddUpByHand() {
    CostReport r = new CostEstimator().estimate(profile(), MODEL, 10.0);
    assertEquals(2 * 0.04, amount(r, "CPU time"), 1e-12);
    assertEquals(4 * 1 * 0.005, amount(r, "memory held"), 1e-12);
    assertEquals(10 * 0.023, amount(r, "output written, kept a month"), 1e-12);
    assertEquals(1 * 0.01, amount(r, "network in"), 1e-12);
    assertEquals(2 * 0.09, amount(r, "network out"), 1e-12);
    assertEquals(3 * 0.5, amount(r, "data processed"), 1e-12);
  }

  @Test
  void apiCallsArePricedAfterTheMonthlyFreeTier() {
    CostReport r = new CostEstimator().estimate(profile(), MODEL, 10.0);
    // 10,000 calls a run × 10 runs a day × 30 = 3,000,000 a month; 100,000 free;
    // 2,900,000 / 1000 × 0.5 = 1,450 a month, over 300 runs = 4.8333 a run
    assertEquals(1450.0 / 300, amount(r, "calls to Enricher.enrich"), 1e-9);
    double perRun = 0.08 + 0.02 + 0.23 + 0.01 + 0.18 + 1.5 + 1450.0 / 300;
    assertEquals(perRun, r.perRun(), 1e-9);
    assertEquals(perRun * 10, r.total("daily"), 1e-9);
    assertEquals(perRun * 300, r.total("monthly"), 1e-9);
    assertEquals(perRun * 10 / 24, r.total("hourly"), 1e-9);
    assertEquals(1450.0 / 300, r.byOperation().get("job > Enricher.enrich"), 1e-9);
    assertEquals(
        0.08 + 0.02 + 1.5,
        r.byOperation().get("job"),
        1e-9,
        "compute goes to the top-level operation, processing to the operations that counted bytes");
  }

  @Test
  void runsPerDayComeFromTheRunsReadWhenNotGiven() {
    Profile p = new Profile();
    Profiles.jvm(p, "a", 0, 1000);
    Profiles.jvm(p, "b", 6 * 3_600_000, 1000);
    Profiles.jvm(p, "c", 12 * 3_600_000, 1000);
    CostReport r = new CostEstimator().estimate(p, MODEL, null);
    assertEquals(4.0, r.runsPerDay(), 1e-9, "3 runs 6 hours apart: 2 intervals in half a day");
    assertEquals(3, r.runs());
  }

  @Test
  void aCostModelWithAMissingKeyOrANegativePriceIsBadInput(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.yaml");
    Files.writeString(
        missing,
        "currency: EUR\ncompute: {vcpu-hour: 0.04}\nstorage: {gb-month: 0.02}\n"
            + "transfer: {in-gb: 0, out-gb: 0.09}\nprocessing: {gb: 0}\napis: []\n");
    BadInputException e = assertThrows(BadInputException.class, () -> CostModel.read(missing));
    assertTrue(e.getMessage().contains("missing key 'compute.gb-hour'"), e.getMessage());
    Path negative = dir.resolve("negative.yaml");
    Files.writeString(
        negative,
        "currency: EUR\ncompute: {vcpu-hour: -1, gb-hour: 0.005}\nstorage: {gb-month: 0.02}\n"
            + "transfer: {in-gb: 0, out-gb: 0.09}\nprocessing: {gb: 0}\napis: []\n");
    e = assertThrows(BadInputException.class, () -> CostModel.read(negative));
    assertTrue(
        e.getMessage().contains("'compute.vcpu-hour' is -1; prices must be >= 0"), e.getMessage());
    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(
        unknown,
        Files.readString(negative).replace("vcpu-hour: -1", "vcpu-hour: 1") + "gpu: {hour: 3}\n");
    e = assertThrows(BadInputException.class, () -> CostModel.read(unknown));
    assertTrue(e.getMessage().contains("unknown key 'gpu'"), e.getMessage());
  }

  @Test
  void theBundledDefaultsAreValid() {
    CostModel m = CostModel.defaults();
    assertEquals("USD", m.currency());
    assertEquals(0.04, m.vcpuHour());
    assertEquals(List.of(), m.apis());
  }
}
