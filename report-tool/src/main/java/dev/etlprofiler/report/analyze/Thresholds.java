package dev.etlprofiler.report.analyze;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The analysis rules' thresholds by name; each is documented with its default in docs/analysis.md
 * and can be changed with {@code --threshold name=value}.
 */
public final class Thresholds {
  static final Map<String, Double> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("error-rate-warning", 0.01);
    DEFAULTS.put("error-rate-critical", 0.05);
    DEFAULTS.put("retry-rate-warning", 0.05);
    DEFAULTS.put("min-records-per-second", 1000.0);
    DEFAULTS.put("dominant-stage-share", 0.5);
    DEFAULTS.put("slow-p99-ms", 1000.0);
    DEFAULTS.put("tail-ratio", 10.0);
    DEFAULTS.put("tail-min-p99-ms", 10.0);
    DEFAULTS.put("per-record-calls-min", 1000.0);
    DEFAULTS.put("per-record-mean-ms", 0.2);
    DEFAULTS.put("client-wait-share", 0.5);
    DEFAULTS.put("unbatched-jdbc-min-calls", 100.0);
    DEFAULTS.put("gc-share-warning", 0.10);
    DEFAULTS.put("heap-growth-factor", 2.0);
    DEFAULTS.put("heap-growth-min-share", 0.25);
    DEFAULTS.put("heap-near-max", 0.85);
    DEFAULTS.put("cpu-bound-share", 0.80);
    DEFAULTS.put("waiting-share", 0.20);
  }

  private final Map<String, Double> values;

  private Thresholds(Map<String, Double> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static Thresholds defaults() {
    return new Thresholds(new LinkedHashMap<>(DEFAULTS));
  }

  public static Map<String, Double> defaultValues() {
    return Collections.unmodifiableMap(DEFAULTS);
  }

  public double get(String name) {
    Double v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("unknown threshold " + name);
    }
    return v;
  }

  /** A copy with one threshold set; a clear message for an unknown name or a bad value. */
  public Thresholds with(String name, String value) {
    if (!values.containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown threshold '" + name + "' (known: " + String.join(", ", values.keySet()) + ")");
    }
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("threshold " + name + ": '" + value + "' is not a number");
    }
    if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(
          "threshold " + name + ": " + value + " must be a finite number >= 0");
    }
    Map<String, Double> copy = new LinkedHashMap<>(values);
    copy.put(name, v);
    return new Thresholds(copy);
  }
}
