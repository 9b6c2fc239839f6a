package dev.etlprofiler.core;

/**
 * The counters a node can carry besides calls and latency. The first six codes are the ones the API
 * passes through {@link ApiBridge#count}; keep them in step with {@code
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

  /**
   * Kafka consumer: polls that returned no record, and partitions that returned records (summed
   * over polls).
   */
  public static final int EMPTY_POLLS = 15;

  public static final int PARTITIONS = 16;

  /**
   * JDBC: executed batches by size, a histogram in five decades (1; 2–10; 11–100; 101–1000; more):
   * a loader whose batches hold one statement is a finding.
   */
  public static final int BATCH_SIZE_1 = 17;

  public static final int BATCH_SIZE_2_TO_10 = 18;
  public static final int BATCH_SIZE_11_TO_100 = 19;
  public static final int BATCH_SIZE_101_TO_1000 = 20;
  public static final int BATCH_SIZE_OVER_1000 = 21;

  private static final String[] NAMES = {
    "records",
    "bytes",
    "apiCalls",
    "retries",
    "valid",
    "invalid",
    "bytesIn",
    "bytesOut",
    "status1xx",
    "status2xx",
    "status3xx",
    "status4xx",
    "status5xx",
    "rows",
    "batchedStatements",
    "emptyPolls",
    "partitions",
    "batchSize1",
    "batchSize2to10",
    "batchSize11to100",
    "batchSize101to1000",
    "batchSizeOver1000",
  };

  /** Number of built-in counter codes (those above). */
  public static final int BUILT_IN = NAMES.length;

  /** Built-in and registered counter codes together are fewer than this. */
  public static final int MAX = 64;

  private static volatile String[] registered = new String[0];

  /**
   * The code of a counter a library package keeps (e.g. Spring Batch's {@code itemsFiltered}),
   * registered on first use with its snapshot name; the same name always gets the same code. Called
   * once per counter, from the library's static initialiser, never per call. Throws when more than
   * {@link #MAX} codes would exist: a library's own bug, found by its tests.
   */
  public static synchronized int register(String name) {
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(name)) return i;
    }
    String[] r = registered;
    for (int i = 0; i < r.length; i++) {
      if (r[i].equals(name)) return BUILT_IN + i;
    }
    if (BUILT_IN + r.length >= MAX) {
      throw new IllegalStateException("more than " + MAX + " counters: " + name);
    }
    String[] grown = java.util.Arrays.copyOf(r, r.length + 1);
    grown[r.length] = name;
    registered = grown;
    return BUILT_IN + r.length;
  }

  /** Number of counter codes in use: 0 … count() - 1. */
  public static int count() {
    return BUILT_IN + registered.length;
  }

  private Counter() {}

  /** The batch-size histogram counter for a batch of {@code statements}. */
  public static int batchSize(int statements) {
    return statements <= 1
        ? BATCH_SIZE_1
        : statements <= 10
            ? BATCH_SIZE_2_TO_10
            : statements <= 100
                ? BATCH_SIZE_11_TO_100
                : statements <= 1000 ? BATCH_SIZE_101_TO_1000 : BATCH_SIZE_OVER_1000;
  }

  /** The snapshot name of a counter code. */
  public static String name(int code) {
    return code < BUILT_IN ? NAMES[code] : registered[code - BUILT_IN];
  }
}
