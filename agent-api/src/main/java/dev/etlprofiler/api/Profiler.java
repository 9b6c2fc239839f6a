package dev.etlprofiler.api;

import java.util.Objects;

/**
 * The entry point for jobs that want to tell the profiler more than it can see by itself.
 *
 * <pre>{@code
 * try (Session s = Profiler.session("orders", "eia");
 *      Operation op = Profiler.operation("transform")) {
 *   op.records(batch.size()).bytes(batchBytes);
 * }
 * }</pre>
 *
 * <p>Without the agent every method is a cheap no-op: {@link #operation} and {@link #session}
 * return shared immutable objects. With the agent attached the calls reach its recorder, whatever
 * class loader loaded this class (a fat jar, a framework's child class loader). No method here ever
 * throws because of the profiler; only a {@code null} name is rejected.
 */
public final class Profiler {
  private Profiler() {}

  /** True when the agent is attached and recording. */
  public static boolean isActive() {
    return Backend.ACTIVE;
  }

  /**
   * Opens a session for a dataset read from a data source on the current thread. Close it to end
   * the session.
   */
  public static Session session(String dataset, String dataSource) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(dataSource, "dataSource");
    if (!Backend.ACTIVE) {
      return new NoopSession(dataset, dataSource);
    }
    return new ActiveSession(dataset, dataSource, Backend.beginSession(dataset, dataSource));
  }

  /**
   * Starts a named operation on the current thread. Its parent is the innermost operation already
   * running on this thread (configured, annotated or opened here).
   */
  public static Operation operation(String name) {
    Objects.requireNonNull(name, "name");
    if (!Backend.ACTIVE) {
      return NoopOperation.INSTANCE;
    }
    return new ActiveOperation(Backend.beginOperation(name));
  }

  /** Adds records to the innermost operation running on this thread. */
  public static void records(long n) {
    if (Backend.ACTIVE) Backend.count(null, Backend.RECORDS, n);
  }

  /** Adds bytes to the innermost operation running on this thread. */
  public static void bytes(long n) {
    if (Backend.ACTIVE) Backend.count(null, Backend.BYTES, n);
  }

  /** Counts {@code n} calls to an external API, made by the innermost running operation. */
  public static void apiCalls(long n) {
    if (Backend.ACTIVE) Backend.count(null, Backend.API_CALLS, n);
  }

  /** Counts {@code n} retries made by the innermost running operation. */
  public static void retries(long n) {
    if (Backend.ACTIVE) Backend.count(null, Backend.RETRIES, n);
  }

  /** Counts records that passed ({@code valid}) and failed ({@code invalid}) validation. */
  public static void quality(long valid, long invalid) {
    if (Backend.ACTIVE) {
      Backend.count(null, Backend.VALID, valid);
      Backend.count(null, Backend.INVALID, invalid);
    }
  }

  /** Counts one error of the given type against the innermost running operation. */
  public static void error(String type) {
    if (Backend.ACTIVE && type != null) Backend.error(null, type);
  }

  /** Counts one error of the throwable's class against the innermost running operation. */
  public static void error(Throwable error) {
    if (Backend.ACTIVE && error != null) Backend.error(null, error.getClass().getName());
  }

  /**
   * Records a Kafka send made outside the agent's view (for example through a wrapper the agent
   * does not instrument): {@code records} records of {@code bytes} bytes in total to {@code topic}.
   */
  public static void kafkaSend(String topic, long records, long bytes) {
    if (Backend.ACTIVE && topic != null) Backend.kafkaSend(topic, records, bytes);
  }

  private record NoopSession(String dataset, String dataSource) implements Session {
    @Override
    public void close() {}
  }

  private static final class ActiveSession implements Session {
    private final String dataset;
    private final String dataSource;
    private final Object token;
    private boolean closed;

    ActiveSession(String dataset, String dataSource, Object token) {
      this.dataset = dataset;
      this.dataSource = dataSource;
      this.token = token;
    }

    @Override
    public String dataset() {
      return dataset;
    }

    @Override
    public String dataSource() {
      return dataSource;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        Backend.endSession(token);
      }
    }
  }

  private enum NoopOperation implements Operation {
    INSTANCE;

    @Override
    public Operation records(long n) {
      return this;
    }

    @Override
    public Operation bytes(long n) {
      return this;
    }

    @Override
    public Operation apiCalls(long n) {
      return this;
    }

    @Override
    public Operation retries(long n) {
      return this;
    }

    @Override
    public Operation valid(long n) {
      return this;
    }

    @Override
    public Operation invalid(long n) {
      return this;
    }

    @Override
    public Operation error(Throwable error) {
      return this;
    }

    @Override
    public Operation error(String type) {
      return this;
    }

    @Override
    public void close() {}
  }

  private static final class ActiveOperation implements Operation {
    private final Object token;
    private boolean closed;

    ActiveOperation(Object token) {
      this.token = token;
    }

    private Operation add(int metric, long n) {
      if (!closed) Backend.count(token, metric, n);
      return this;
    }

    @Override
    public Operation records(long n) {
      return add(Backend.RECORDS, n);
    }

    @Override
    public Operation bytes(long n) {
      return add(Backend.BYTES, n);
    }

    @Override
    public Operation apiCalls(long n) {
      return add(Backend.API_CALLS, n);
    }

    @Override
    public Operation retries(long n) {
      return add(Backend.RETRIES, n);
    }

    @Override
    public Operation valid(long n) {
      return add(Backend.VALID, n);
    }

    @Override
    public Operation invalid(long n) {
      return add(Backend.INVALID, n);
    }

    @Override
    public Operation error(Throwable error) {
      if (!closed && error != null) Backend.error(token, error.getClass().getName());
      return this;
    }

    @Override
    public Operation error(String type) {
      if (!closed && type != null) Backend.error(token, type);
      return this;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        Backend.endOperation(token);
      }
    }
  }
}
