package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.etlprofiler.it.apps.LateApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent attached to a JVM that is already running (agentmain): the configured class, loaded and
 * called before the attach, is retransformed, and exactly the calls made after it are recorded.
 */
class AttachIT {
  @Test
  void attachedLateTheAgentTimesTheCallsMadeAfterTheAttach(@TempDir Path dir) throws Exception {
    ForkedJvm jvm = new ForkedJvm(dir).withoutAgent().main(LateApp.class, "5000", "1234");
    Process p = jvm.start();
    try {
      Path stdout = dir.resolve("stdout.txt");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(stdout).contains("ready")) {
        assertTrue(
            p.isAlive() && System.nanoTime() < deadline,
            "the app did not get ready: " + Files.readString(stdout));
        Thread.sleep(20);
      }
      VirtualMachine vm = VirtualMachine.attach(Long.toString(p.pid()));
      try {
        vm.loadAgent(
            ForkedJvm.agentJar().toAbsolutePath().toString(),
            "instrument.classes="
                + LateApp.class.getName()
                + ",instrument.methods=work,output.dir="
                + dir.resolve("profiler-out").toAbsolutePath());
      } finally {
        vm.detach();
      }
      Files.writeString(dir.resolve("go"), "");
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the app did not end");
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve("stderr.txt")));
    } finally {
      p.destroyForcibly();
    }
    Snapshots s = Snapshots.read(dir.resolve("profiler-out"));
    assertEquals(1234, s.calls("LateApp.work"), "the calls after the attach, not the 5,000 before");
  }
}
