package dev.etlprofiler.core;

/**
 * The counters a node can carry besides calls and latency. The first six codes are the ones the
 * API passes through {@link ApiBridge#count}; keep them in step with {@code
 * dev.etlprofiler.api.Backend}. Names are the keys of {@code counters} in the snapshot format.
 */
public final class Counter {
  public static final int RECORDS = 0;
  public static final int BYTES = 1;
  public static final int API_CALLS = 2;
  public static final int RETRIES = 3;
  public static final int VALID = 4;
  public static final int INVALID = 5;

  private static final String[] NAMES = {
    "records", "bytes", "apiCalls", "retries", "valid", "invalid",
  };

  /** Number of counter codes. */
  public static final int COUNT = NAMES.length;

  private Counter() {}

  /** The snapshot name of a counter code. */
  public static String name(int code) {
    return NAMES[code];
  }
}
