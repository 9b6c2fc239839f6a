package dev.etlprofiler.api;

/**
 * A timed unit of work opened by {@link Profiler#operation(String)}. Close it (try-with-resources)
 * to record its duration. Counts given here are added to this operation in the current session.
 *
 * <p>An operation belongs to the thread that opened it; close it on that thread.
 */
public interface Operation extends AutoCloseable {
  /** Adds {@code n} records processed by this operation. */
  Operation records(long n);

  /** Adds {@code n} bytes processed by this operation. */
  Operation bytes(long n);

  /** Adds {@code n} calls to an external API made by this operation. */
  Operation apiCalls(long n);

  /** Adds {@code n} retries made by this operation. */
  Operation retries(long n);

  /** Adds {@code n} records that passed data-quality validation. */
  Operation valid(long n);

  /** Adds {@code n} records that failed data-quality validation. */
  Operation invalid(long n);

  /** Counts one error of the given throwable's class against this operation. */
  Operation error(Throwable error);

  /** Counts one error of the given type name against this operation. */
  Operation error(String type);

  /** Ends the operation and records its duration. Closing twice has no further effect. */
  @Override
  void close();
}
