package dev.etlprofiler.agent.resources;

import oshi.SystemInfo;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/** Every other platform (and Linux with {@code resources.process-metrics: oshi}): OSHI. */
final class OshiMetrics implements ProcessMetrics {
  private final SystemInfo system = new SystemInfo();
  private final OperatingSystem os = system.getOperatingSystem();
  private final int pid = os.getProcessId();
  private OSProcess process;
  private long rx = -1;
  private long tx = -1;

  @Override
  public void refresh() {
    process = os.getProcess(pid);
    long r = 0;
    long t = 0;
    for (NetworkIF nif : system.getHardware().getNetworkIFs(false)) {
      r += nif.getBytesRecv();
      t += nif.getBytesSent();
    }
    rx = r;
    tx = t;
  }

  @Override
  public long cpuUserNanos() {
    return process == null ? -1 : process.getUserTime() * 1_000_000L;
  }

  @Override
  public long cpuSystemNanos() {
    return process == null ? -1 : process.getKernelTime() * 1_000_000L;
  }

  @Override
  public long rssBytes() {
    return process == null ? -1 : process.getResidentSetSize();
  }

  @Override
  public long diskReadBytes() {
    return process == null ? -1 : process.getBytesRead();
  }

  @Override
  public long diskWriteBytes() {
    return process == null ? -1 : process.getBytesWritten();
  }

  @Override
  public long netRxBytes() {
    return rx;
  }

  @Override
  public long netTxBytes() {
    return tx;
  }
}
