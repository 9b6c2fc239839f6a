package dev.etlprofiler.report.read;

/**
 * How much of the heap the reader lets one input take (docs/reliability.md): whatever a snapshot
 * file holds, reading it stays within these, and what would go beyond is skipped with a warning.
 *
 * @param maxOperations distinct operations kept: each holds a merged latency histogram of 4,608
 *     longs (36 KiB) plus its names, about 40 KiB; half the heap goes to them
 * @param maxLineBytes the longest line read (16 MiB: a line of the agent's default 1,000 operations
 *     is 1–2 MB); a longer one is skipped without being held in memory
 * @param maxValuesPerLine operations, path elements, errors, counters, gauges and GC entries in one
 *     line (each becomes an object of 50–100 bytes); a line with more is skipped
 * @param maxWarningsPerFile bad lines listed per file; the rest are counted
 * @param maxWarnings warnings listed in all; the rest are counted
 */
record Limits(
    int maxOperations,
    int maxLineBytes,
    int maxValuesPerLine,
    int maxWarningsPerFile,
    int maxWarnings) {
  /** Heap bytes an operation with a histogram takes, rounded up. */
  static final int OPERATION_BYTES = 40 << 10;

  /** The limits for a heap of {@code maxMemory} bytes ({@code Runtime.maxMemory()}). */
  static Limits forHeap(long maxMemory) {
    long operations = Math.max(100, maxMemory / 2 / OPERATION_BYTES);
    return new Limits((int) Math.min(Integer.MAX_VALUE, operations), 16 << 20, 250_000, 20, 1000);
  }
}
