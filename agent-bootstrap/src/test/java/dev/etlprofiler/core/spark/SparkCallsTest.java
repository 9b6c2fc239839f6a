package dev.etlprofiler.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.core.OpRegistry;
import org.junit.jupiter.api.Test;

class SparkCallsTest {
  @Test
  void descriptionsAreOneLineOfAtMost80Characters() {
    assertEquals(
        "SELECT state, count(*) FROM airports",
        SparkCalls.shorten("  SELECT state,\n  count(*)\tFROM airports "));
    String long100 = "x".repeat(100);
    assertEquals("x".repeat(79) + "…", SparkCalls.shorten(long100));
    assertEquals("", SparkCalls.shorten(null));
  }

  @Test
  void sparksOwnCallSitesAreToldFromTheJobs() {
    assertTrue(SparkCalls.sparksOwn("$anonfun$withThreadLocalCaptured$1 at FutureTask.java:264"));
    assertTrue(
        SparkCalls.sparksOwn("$anonfun$withThreadLocalCaptured$2 at CompletableFuture.java:1768"));
    assertFalse(SparkCalls.sparksOwn("collectAsList at AirportsSparkJob.java:125"));
    assertFalse(SparkCalls.sparksOwn(""));
  }

  @Test
  void idsAreDroppedFromNamesAfterTheFirstFewHundredAndNamesAreCapped() {
    String kind = "spark-test";
    for (int i = 0; i < SparkCalls.MAX_NUMBERED; i++) {
      int op =
          SparkCalls.op(kind, "job " + i + " (count at Job.java:1)", "job (count at Job.java:1)");
      assertEquals("job " + i + " (count at Job.java:1)", OpRegistry.name(op));
    }
    int later =
        SparkCalls.op(kind, "job 100000 (count at Job.java:1)", "job (count at Job.java:1)");
    assertEquals("job (count at Job.java:1)", OpRegistry.name(later));
    assertEquals(
        later,
        SparkCalls.op(kind, "job 100001 (count at Job.java:1)", "job (count at Job.java:1)"));
    for (int i = 0; i < SparkCalls.MAX_NAMES; i++) {
      SparkCalls.op(kind, "job " + (200000 + i) + " (n" + i + ")", "job (n" + i + ")");
    }
    int more = SparkCalls.op(kind, "job 9999999 (new)", "job (new)");
    assertEquals("(more)", OpRegistry.name(more));
  }
}
