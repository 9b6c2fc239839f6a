package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etlprofiler.it.apps.ExitApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost: the final interval is flushed however the JVM ends, and a crash keeps earlier ones.
 */
class ShutdownIT {
  @Test
  void flushesTheFinalSnapshotAtANormalEnd(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r = new ForkedJvm(dir).main(ExitApp.class, "normal", "25").run();
    assertEquals(0, r.exitCode());
    Snapshots s = r.snapshots();
    assertEquals(25, s.calls("tick"), "annotated methods are profiled with no config at all");
    assertTrue(s.last().path("final").asBoolean());
  }

  @Test
  void flushesTheFinalSnapshotAtSystemExit(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r = new ForkedJvm(dir).main(ExitApp.class, "exit", "30").run();
    assertEquals(3, r.exitCode(), "the application's exit code is kept");
    Snapshots s = r.snapshots();
    assertEquals(30, s.calls("tick"));
    assertTrue(s.last().path("final").asBoolean());
  }

  @Test
  void flushesTheFinalSnapshotOnSigterm(@TempDir Path dir) throws Exception {
    ForkedJvm jvm = new ForkedJvm(dir).main(ExitApp.class, "wait", "40");
    Process p = jvm.start();
    awaitReady(dir, p);
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    Snapshots s = jvm.result(p.exitValue()).snapshots();
    assertEquals(40, s.calls("tick"));
    assertTrue(s.last().path("final").asBoolean());
  }

  @Test
  void keepsEveryEarlierIntervalAfterKillDashNine(@TempDir Path dir) throws Exception {
    ForkedJvm jvm =
        new ForkedJvm(dir).agentArgs("output.interval=200ms").main(ExitApp.class, "wait", "40");
    Process p = jvm.start();
    awaitReady(dir, p);
    Thread.sleep(1500); // several intervals pass after the last tick
    p.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    Snapshots s = jvm.result(p.exitValue()).snapshots(); // fails if a line is incomplete
    assertEquals(40, s.calls("tick"));
    assertTrue(s.lines().size() >= 3, "intervals written: " + s.lines().size());
    for (JsonNode line : s.lines()) {
      assertFalse(line.path("final").asBoolean(), "no final line after SIGKILL");
    }
    for (int i = 0; i < s.lines().size(); i++) {
      assertEquals(i, s.lines().get(i).path("seq").asInt(), "no interval missing");
    }
  }

  @Test
  void aCallStillRunningAtExitIsRecordedAsUnfinishedWithItsTimeSoFar(@TempDir Path dir)
      throws Exception {
    ForkedJvm.Result r = new ForkedJvm(dir).main(ExitApp.class, "exit-inside", "5").run();
    assertEquals(3, r.exitCode(), "the application's exit code is kept");
    Snapshots s = r.snapshots();
    assertEquals(5, s.calls("tick"));
    assertEquals(1, s.calls("runJob"), "System.exit inside runJob: the call never returned");
    assertEquals(1, s.counter("runJob", "unfinished"));
    assertEquals(0, s.counter("tick", "unfinished"));
    long nanos = s.histogram("runJob").getMaxValue();
    assertTrue(nanos >= 195_000_000 && nanos < 30_000_000_000L, "its time so far: " + nanos);
  }

  private static void awaitReady(Path dir, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(dir.resolve("stdout.txt"))
          && Files.readString(dir.resolve("stdout.txt")).contains("ready")) {
        return;
      }
      assertTrue(p.isAlive(), "application ended before it was ready");
      Thread.sleep(20);
    }
    throw new AssertionError("application not ready in 60 s");
  }
}
