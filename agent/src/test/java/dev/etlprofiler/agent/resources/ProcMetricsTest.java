package dev.etlprofiler.agent.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The /proc readers: their field parsing on the kernel's formats, and the live files of this JVM.
 */
class ProcMetricsTest {
  @Test
  void findsFieldsAfterACommandNameWithSpacesAndParentheses() {
    String stat =
        "4242 (my (odd) job) S 1 4242 4242 0 -1 4194560 1000 0 0 0 150 25 0 0 20 0 17 0\n";
    assertEquals(150, ProcMetrics.statTicks(stat, 11), "utime, field 14");
    assertEquals(25, ProcMetrics.statTicks(stat, 12), "stime, field 15");
    assertThrows(IllegalArgumentException.class, () -> ProcMetrics.statTicks(stat, 40));
  }

  @Test
  void readsKeyedLinesAndSkipsLookalikes() {
    String io =
        "rchar: 10\nwchar: 20\nsyscr: 3\nsyscw: 4\nread_bytes: 4096\nwrite_bytes: 8192\n"
            + "cancelled_write_bytes: 512\n";
    assertEquals(4096, ProcMetrics.number(io, "read_bytes:"));
    assertEquals(8192, ProcMetrics.number(io, "write_bytes:"), "not cancelled_write_bytes");
    assertEquals(10, ProcMetrics.number(io, "rchar:"), "the first line");
    assertEquals(-1, ProcMetrics.number(io, "VmRSS:"));
    String status = "Name:\tjava\nVmPeak:\t 3000 kB\nVmRSS:\t   123456 kB\n";
    assertEquals(123456, ProcMetrics.number(status, "VmRSS:"), "tabs and spaces before the value");
  }

  @Test
  void sumsEveryInterfaceButLoopback() {
    String netDev =
        "Inter-|   Receive                                                |  Transmit\n"
            + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
            + "    lo: 5000      50    0    0    0     0          0         0     5000      50    0    0    0     0       0          0\n"
            + "  eth0: 1200      10    0    0    0     0          0         0      340       4    0    0    0     0       0          0\n"
            + "  eth1:34 1 0 0 0 0 0 0 66 1 0 0 0 0 0 0\n";
    long[] rt = ProcMetrics.netTotals(netDev);
    assertEquals(1234, rt[0], "received: eth0 + eth1 (no space after the colon), not lo");
    assertEquals(406, rt[1], "sent");
  }

  @Test
  void matchesTheLiveProcFilesOfThisJvm() throws Exception {
    assertTrue(ProcMetrics.available(), "the build runs on Linux");
    ProcMetrics m = new ProcMetrics();
    long before = ProcMetrics.cpuNanos();
    m.refresh();
    long after = ProcMetrics.cpuNanos();
    long cpu = m.cpuUserNanos() + m.cpuSystemNanos();
    assertTrue(before <= cpu && cpu <= after, before + " <= " + cpu + " <= " + after);
    // the JVM's own figure (the same kernel counters, read another way), to the 10 ms tick
    long jvm =
        ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    long again = ProcMetrics.cpuNanos();
    assertTrue(Math.abs(jvm - again) <= 30_000_000L, "/proc " + again + " vs JVM " + jvm);

    // RSS from statm (pages), another file the kernel fills from the same counters
    String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
    long statmRss = Long.parseLong(statm[1]) * 4096;
    assertTrue(
        Math.abs(m.rssBytes() - statmRss) < statmRss / 10, m.rssBytes() + " vs statm " + statmRss);

    assertTrue(m.netRxBytes() >= 0 && m.netTxBytes() >= 0, m.netRxBytes() + " / " + m.netTxBytes());
    assertTrue(
        m.diskReadBytes() >= -1 && m.diskWriteBytes() >= -1,
        "-1 only where /proc/self/io is unreadable");
  }
}
