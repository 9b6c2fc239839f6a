package dev.etlprofiler.it.apps;

/** Calls a ~tiny method a known number of times (args: calls), for the CPU-budget test. */
public class HotApp {
  static long acc;

  public static long tiny(long x) {
    return x * 31 + 7;
  }

  public static void main(String[] args) {
    long calls = Long.parseLong(args[0]);
    long s = 0;
    for (long i = 0; i < calls; i++) {
      s += tiny(i);
    }
    acc = s;
    System.out.println("calls=" + calls + " sum=" + s);
  }
}
