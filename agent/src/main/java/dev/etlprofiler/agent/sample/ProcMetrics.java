package dev.etlprofiler.agent.sample;

import java.io.IOException;
import java.util.List;

/**
 * Linux: reads {@code /proc/self/{stat,status,io}} and {@code /proc/self/net/dev} directly.
 * Chosen over OSHI on Linux because OSHI loads JNA, whose native library makes JDK 24+ print
 * restricted-method warnings into the job's stderr, and costs start-up time; these files are
 * what OSHI itself reads on Linux.
 */
final class ProcMetrics implements ProcessMetrics {
  /** USER_HZ: the unit of utime/stime in /proc; 100 on every mainstream Linux architecture. */
  private static final long NANOS_PER_TICK = 10_000_000L;
  private static final String STAT = "/proc/self/stat";
  private static final String STATUS = "/proc/self/status";
  private static final String IO = "/proc/self/io";
  private static final String NET = "/proc/self/net/dev";

  private long user = -1;
  private long system = -1;
  private long rss = -1;
  private long read = -1;
  private long write = -1;
  private long rx = -1;
  private long tx = -1;

  static boolean available() {
    return new java.io.File(STAT).canRead() && new java.io.File(STATUS).canRead();
  }

  /**
   * A /proc file's text, read with java.io: Files.readString loads some 40 NIO channel classes,
   * which the agent need not add to a job's start-up.
   */
  static String read(String file) throws IOException {
    try (java.io.FileInputStream in = new java.io.FileInputStream(file)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private static List<String> lines(String file) throws IOException {
    return List.of(read(file).split("\n"));
  }

  /** utime + stime of this process in ns, from /proc/self/stat alone; -1 if unreadable. */
  static long cpuNanos() {
    try {
      String s = read(STAT);
      int i = s.lastIndexOf(')') + 2;
      // fields 3, 4, … follow the command; utime and stime are fields 14 and 15
      for (int field = 3; field < 14; field++) {
        i = s.indexOf(' ', i) + 1;
      }
      int j = s.indexOf(' ', i);
      int k = s.indexOf(' ', j + 1);
      return (Long.parseLong(s.substring(i, j)) + Long.parseLong(s.substring(j + 1, k))) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void refresh() {
    readStat();
    readStatus();
    readIo();
    readNet();
  }

  private void readStat() {
    try {
      String s = read(STAT);
      // fields after the command name, which is in parentheses and may contain spaces
      String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
      user = Long.parseLong(f[11]) * NANOS_PER_TICK; // field 14 utime
      system = Long.parseLong(f[12]) * NANOS_PER_TICK; // field 15 stime
    } catch (IOException | RuntimeException e) {
      user = system = -1;
    }
  }

  private void readStatus() {
    rss = -1;
    try {
      for (String line : lines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      rss = -1;
    }
  }

  private void readIo() {
    read = write = -1;
    try {
      for (String line : lines(IO)) {
        if (line.startsWith("read_bytes:")) read = Long.parseLong(line.substring(11).trim());
        if (line.startsWith("write_bytes:")) write = Long.parseLong(line.substring(12).trim());
      }
    } catch (IOException | RuntimeException e) {
      read = write = -1; // /proc/self/io may be unreadable under some security policies
    }
  }

  private void readNet() {
    try {
      List<String> lines = lines(NET);
      long r = 0;
      long t = 0;
      for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
        int colon = line.indexOf(':');
        if (colon < 0 || line.substring(0, colon).trim().equals("lo")) continue;
        String[] f = line.substring(colon + 1).trim().split("\\s+");
        r += Long.parseLong(f[0]);
        t += Long.parseLong(f[8]);
      }
      rx = r;
      tx = t;
    } catch (IOException | RuntimeException e) {
      rx = tx = -1;
    }
  }

  @Override
  public long cpuUserNanos() {
    return user;
  }

  @Override
  public long cpuSystemNanos() {
    return system;
  }

  @Override
  public long rssBytes() {
    return rss;
  }

  @Override
  public long diskReadBytes() {
    return read;
  }

  @Override
  public long diskWriteBytes() {
    return write;
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
