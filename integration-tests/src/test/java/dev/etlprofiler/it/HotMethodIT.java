package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etlprofiler.it.apps.HotApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny method called hundreds of millions of times is sampled, and its totals are estimated. */
class HotMethodIT {
  private static final long CALLS = 400_000_000L;

  @Test
  void aHotTinyMethodIsSampledAndItsCallTotalEstimated(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .agentArgs(
                "output.interval=200ms,instrument.classes=dev.etlprofiler.it.apps.HotApp,instrument.methods=tiny")
            .main(HotApp.class, Long.toString(CALLS))
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    Snapshots s = r.snapshots();
    long sampledLines = 0;
    for (JsonNode op : s.operations("HotApp.tiny")) {
      if (op.has("sampling")) {
        sampledLines++;
        assertTrue(op.path("sampling").path("oneIn").asLong() >= 2, op.toString());
        assertTrue(
            op.path("sampling").path("timedCalls").asLong() >= 500
                || op.path("calls").asLong() < 500 * op.path("sampling").path("oneIn").asLong(),
            op.toString());
        assertTrue(op.path("calls").asLong() >= op.path("sampling").path("timedCalls").asLong());
      }
    }
    assertTrue(sampledLines > 0, "the hot method was sampled in some interval");
    long estimated = s.calls("HotApp.tiny");
    // single thread: every call ticks, so the estimate misses only calls in the instant between
    // an interval's harvest and the switch to sampling
    assertTrue(
        Math.abs(estimated - CALLS) < CALLS / 1000, "estimated " + estimated + " of " + CALLS);
  }
}
