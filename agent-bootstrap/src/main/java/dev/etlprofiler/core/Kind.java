package dev.etlprofiler.core;

/** Kinds of node, as written in the snapshot's {@code kind} field. */
public final class Kind {
  /** A configured or {@code @ProfiledOperation} method. */
  public static final String METHOD = "method";

  /** An operation opened through {@code Profiler.operation}. */
  public static final String API = "api";

  /** An HTTP client call, named {@code METHOD scheme://host:port/path-template}. */
  public static final String HTTP = "http";

  /** A JDBC statement execution, named {@code KIND table} (e.g. {@code INSERT airports}). */
  public static final String JDBC = "jdbc";

  /**
   * A Kafka producer send, named by topic: timed from {@code send} to the broker's acknowledgement.
   */
  public static final String KAFKA_SEND = "kafka-send";

  /** A Kafka consumer poll, named by the consumer's topics. */
  public static final String KAFKA_POLL = "kafka-poll";

  /** One topic's share of a poll on several topics (counters only, no timing). */
  public static final String KAFKA_TOPIC = "kafka-topic";

  /** A Kafka consumer's synchronous offset commit. */
  public static final String KAFKA_COMMIT = "kafka-commit";

  /** Operations folded together because of {@code limits.max-operations}. */
  public static final String OTHER = "other";

  /** A session boundary; never written as a node of its own. */
  static final String SESSION = "session";

  private Kind() {}
}
