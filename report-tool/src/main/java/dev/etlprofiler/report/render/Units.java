package dev.etlprofiler.report.render;

import java.util.Locale;

/** Human-friendly numbers: durations, bytes, rates. */
public final class Units {
  private Units() {}

  public static String nanos(long ns) {
    if (ns < 0) return "-";
    if (ns < 1_000) return ns + " ns";
    if (ns < 1_000_000) return fmt(ns / 1e3) + " µs";
    if (ns < 1_000_000_000L) return fmt(ns / 1e6) + " ms";
    if (ns < 120_000_000_000L) return fmt(ns / 1e9) + " s";
    return fmt(ns / 6e10) + " min";
  }

  public static String bytes(long b) {
    if (b < 0) return "-";
    if (b < 1024) return b + " B";
    if (b < 1024L * 1024) return fmt(b / 1024.0) + " KiB";
    if (b < 1024L * 1024 * 1024) return fmt(b / (1024.0 * 1024)) + " MiB";
    return fmt(b / (1024.0 * 1024 * 1024)) + " GiB";
  }

  public static String rate(double perSecond) {
    if (perSecond >= 1e6) return fmt(perSecond / 1e6) + "M";
    if (perSecond >= 1e3) return fmt(perSecond / 1e3) + "k";
    return fmt(perSecond);
  }

  public static String percent(double fraction) {
    return fmt(fraction * 100) + "%";
  }

  /** A quantity with three significant digits, small ones included (0.00833), no exponent. */
  public static String number(double v) {
    if (v == 0) return "0";
    if (Math.abs(v) >= 1) return fmt(v);
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(3))
        .stripTrailingZeros()
        .toPlainString();
  }

  /** Three significant digits at most, no exponent. */
  public static String fmt(double v) {
    if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
