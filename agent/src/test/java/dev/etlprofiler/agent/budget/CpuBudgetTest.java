package dev.etlprofiler.agent.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.core.CallSampling;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Kind;
import dev.etlprofiler.core.OpRegistry;
import org.junit.jupiter.api.Test;

class CpuBudgetTest {
  // one interval with 1 s of process CPU and a 3% budget: 30 ms of timing allowed
  private static final double ALLOWED = 0.03 * 1_000_000_000L;

  @Test
  void anOperationWellInsideTheBudgetIsTimedFully() {
    // 10,000 calls × 70 ns = 0.7 ms, under 1/16 of 30 ms
    assertEquals(0, CpuBudget.decide(10_000, 70, ALLOWED, 0, 500));
    assertEquals(
        0,
        CpuBudget.decide(10_000, 70, ALLOWED, 5, 500),
        "and a sampled one returns to full timing");
  }

  @Test
  void aHotOperationIsSampledDownToAnEighthOfTheBudget() {
    // 10 M calls × 70 ns = 700 ms; an eighth of 30 ms is 3.75 ms; 700 / 3.75 = 187 → one in 256
    assertEquals(8, CpuBudget.decide(10_000_000, 70, ALLOWED, 0, 500));
  }

  @Test
  void keepsAtLeastFiveHundredTimedCallsPerInterval() {
    // 100,000 calls × 70 ns × 40 = far over budget, but 100,000 / 500 = 200 → at most one in 128
    assertEquals(7, CpuBudget.decide(100_000, 70 * 40, ALLOWED, 0, 500));
    assertEquals(
        0, CpuBudget.decide(400, 1_000_000, ALLOWED, 0, 500), "too few calls to sample at all");
  }

  @Test
  void betweenAQuarterAndASixteenthOfTheBudgetKeepsTheCurrentSetting() {
    // 50,000 × 70 ns = 3.5 ms: above 1/16 (1.875 ms), below 1/4 (7.5 ms)
    assertEquals(3, CpuBudget.decide(50_000, 70, ALLOWED, 3, 500));
    assertEquals(0, CpuBudget.decide(50_000, 70, ALLOWED, 0, 500));
  }

  @Test
  void aCheckSamplesTheOperationCalledMillionsOfTimesAndLeavesTheRareOneTimedFully() {
    int hot = OpRegistry.id(Kind.METHOD, "CpuBudgetTest.hot");
    int rare = OpRegistry.id(Kind.METHOD, "CpuBudgetTest.rare");
    long[] cpu = {0};
    CpuBudget c = new CpuBudget(3, () -> cpu[0]);
    try {
      c.check(); // the baseline
      for (int i = 0; i < 1_000_000; i++) {
        Core.exit(Core.enter(hot), null, hot);
      }
      for (int i = 0; i < 100; i++) {
        Core.exit(Core.enter(rare), null, rare);
      }
      cpu[0] += 100_000_000L; // 100 ms of process CPU in this window: 3 ms of timing allowed
      c.check();
      // 1 M calls × (2 nanoTime + 22 ns) is far over 3 ms / 4
      assertTrue(CallSampling.shift(hot) > 0, "hot op sampled, shift " + CallSampling.shift(hot));
      assertEquals(0, CallSampling.shift(rare), "100 calls are timed in full");
      // 100 calls: under a sixteenth of the 3 ms allowed for any plausible cost of a timed call (<
      // 1 µs)
      for (int i = 0; i < 100; i++) {
        Core.exit(Core.enter(hot), null, hot);
      }
      cpu[0] += 100_000_000L;
      c.check();
      assertEquals(0, CallSampling.shift(hot), "timed in full again once it is no longer hot");
    } finally {
      CallSampling.set(hot, 0);
    }
  }

  @Test
  void measuresAPlausibleNanoTimeCost() {
    long ns = CpuBudget.measureNanoTime();
    assertEquals(true, ns >= 1 && ns < 10_000, "nanoTime cost " + ns);
  }
}
