package dev.etlprofiler.report.analyze;

import java.util.Map;

/**
 * One thing the analysis found: how serious, what it concerns, the numbers that triggered it, and
 * what to do about it.
 *
 * @param rule the rule's id, e.g. {@code error-rate}
 * @param severity how serious
 * @param subject the operation (path joined by " > ") or "process"
 * @param title one line for a person
 * @param evidence the numbers, name → value as text (ordered)
 * @param recommendation a concrete change to make
 */
public record Finding(
    String rule,
    Severity severity,
    String subject,
    String title,
    Map<String, String> evidence,
    String recommendation) {

  /** Severities, least serious first. */
  public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    public static Severity parse(String s) {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }
}
