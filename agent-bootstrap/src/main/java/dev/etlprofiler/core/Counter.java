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
  /** Client calls (HTTP, JDBC): bytes received and sent, HTTP status classes, rows, batches. */
  public static final int BYTES_IN = 6;
  public static final int BYTES_OUT = 7;
  public static final int STATUS_1XX = 8;
  public static final int STATUS_2XX = 9;
  public static final int STATUS_3XX = 10;
  public static final int STATUS_4XX = 11;
  public static final int STATUS_5XX = 12;
  public static final int ROWS = 13;
  public static final int BATCHED_STATEMENTS = 14;
  /** Kafka consumer: polls that returned no record, and partitions that returned records (summed over polls). */
  public static final int EMPTY_POLLS = 15;
  public static final int PARTITIONS = 16;

  private static final String[] NAMES = {
    "records", "bytes", "apiCalls", "retries", "valid", "invalid",
    "bytesIn", "bytesOut", "status1xx", "status2xx", "status3xx", "status4xx", "status5xx", "rows",
    "batchedStatements", "emptyPolls", "partitions",
  };

  /** Number of counter codes. */
  public static final int COUNT = NAMES.length;

  private Counter() {}

  /** The snapshot name of a counter code. */
  public static String name(int code) {
    return NAMES[code];
  }
}
