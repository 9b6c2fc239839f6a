package dev.etlprofiler.agent.resources;

import java.io.IOException;

/**
 * Linux: reads {@code /proc/self/{stat,status,io}} and {@code /proc/self/net/dev} directly. Chosen
 * over OSHI on Linux because OSHI loads JNA, whose native library makes JDK 24+ print
 * restricted-method warnings into the job's stderr, and costs start-up time; these files are what
 * OSHI itself reads on Linux.
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

  /** utime + stime of this process in ns, from /proc/self/stat alone; -1 if unreadable. */
  static long cpuNanos() {
    try {
      String s = read(STAT);
      return (statTicks(s, UTIME) + statTicks(s, STIME)) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Fields 14 and 15 of /proc/self/stat, counted from 0 after the command name. */
  private static final int UTIME = 11;

  private static final int STIME = 12;

  /**
   * A field of /proc/self/stat's text in clock ticks; {@code n} counts from 0 after the command
   * name, which is in parentheses and may contain spaces and parentheses.
   */
  static long statTicks(String stat, int n) {
    return number(stat, field(stat, stat.lastIndexOf(')') + 1, n));
  }

  @Override
  public void refresh() {
    readStat();
    readStatus();
    readIo();
    readNet();
  }

  /*
   * The parsing below uses no String.split, no regular expression and no stream. Measured
   * trade-off: the agent thread's split("\\s+") here took String.split's regex branch, which the
   * application's C2-compiled split had never seen; C2 then deoptimised and recompiled the
   * application's split (an unstable_if trap in -XX:+LogCompilation of the synthetic job, one or
   * two per run, each recompile 30-45 ms of C2 time). A JDK method the agent calls on its
   * periodic path shares its profile with the application's calls.
   */

  private void readStat() {
    try {
      String s = read(STAT);
      user = statTicks(s, UTIME) * NANOS_PER_TICK;
      system = statTicks(s, STIME) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      user = system = -1;
    }
  }

  private void readStatus() {
    try {
      long kb = number(read(STATUS), "VmRSS:");
      rss = kb < 0 ? -1 : kb * 1024;
    } catch (IOException | RuntimeException e) {
      rss = -1;
    }
  }

  private void readIo() {
    try {
      String s = read(IO);
      read = number(s, "read_bytes:");
      write = number(s, "write_bytes:");
    } catch (IOException | RuntimeException e) {
      read = write = -1; // /proc/self/io may be unreadable under some security policies
    }
  }

  private void readNet() {
    try {
      long[] rt = netTotals(read(NET));
      rx = rt[0];
      tx = rt[1];
    } catch (IOException | RuntimeException e) {
      rx = tx = -1;
    }
  }

  /** Bytes received and sent over every interface but {@code lo}, from /proc/net/dev's text. */
  static long[] netTotals(String s) {
    long r = 0;
    long t = 0;
    // two header lines, then one line per interface: "  eth0: rxBytes … (8 more) txBytes …"
    int line = s.indexOf('\n', s.indexOf('\n') + 1) + 1;
    while (line > 0 && line < s.length()) {
      int end = s.indexOf('\n', line);
      if (end < 0) end = s.length();
      int colon = s.indexOf(':', line);
      if (colon > 0 && colon < end && !s.substring(line, colon).trim().equals("lo")) {
        r += number(s, field(s, colon + 1, 0));
        t += number(s, field(s, colon + 1, 8));
      }
      line = end + 1;
    }
    return new long[] {r, t};
  }

  /** Where the n-th (from 0) field separated by spaces or tabs begins at or after {@code from}. */
  static int field(String s, int from, int n) {
    int i = from;
    for (int f = 0; ; f++) {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
      if (i >= s.length() || s.charAt(i) == '\n')
        throw new IllegalArgumentException("no field " + n);
      if (f == n) return i;
      while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t' && s.charAt(i) != '\n')
        i++;
    }
  }

  /** The decimal number that begins at {@code i}. */
  static long number(String s, int i) {
    long v = 0;
    int start = i;
    for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
      v = Math.multiplyExact(v, 10) + (s.charAt(i) - '0');
    }
    if (i == start) throw new NumberFormatException("no number at " + start);
    return v;
  }

  /**
   * The number after {@code key} at the start of a line ("VmRSS: 1234 kB"), or -1 if no line has
   * it.
   */
  static long number(String s, String key) {
    int at;
    if (s.startsWith(key)) {
      at = 0;
    } else {
      at = s.indexOf("\n" + key);
      if (at < 0) return -1;
      at++;
    }
    return number(s, field(s, at + key.length(), 0));
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
