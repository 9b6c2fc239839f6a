package dev.etlprofiler.report.read;

/** Input the tool cannot work with at all (no such directory, no snapshot in it): exit code 2. */
public final class BadInputException extends Exception {
  private final java.util.List<String> warnings;

  public BadInputException(String message) {
    this(message, java.util.List.of());
  }

  public BadInputException(String message, java.util.List<String> warnings) {
    super(message);
    this.warnings = java.util.List.copyOf(warnings);
  }

  /** Problems met on the way (bad lines), to print before the error itself. */
  public java.util.List<String> warnings() {
    return warnings;
  }
}
