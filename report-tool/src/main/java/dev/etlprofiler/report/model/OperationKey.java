package dev.etlprofiler.report.model;

import java.util.List;

/**
 * The identity of an operation across JVMs and runs: its session (dataset, source), its kind and
 * its path from the root of the call tree (docs/snapshot-format.md, "Merging").
 */
public record OperationKey(String dataset, String source, String kind, List<String> path) {
  /** Client-call kinds, children of the operation that made the call. */
  public static final List<String> CLIENT_KINDS =
      List.of("http", "jdbc", "kafka-send", "kafka-poll", "kafka-topic", "kafka-commit");

  public OperationKey {
    path = List.copyOf(path);
  }

  public String name() {
    return path.isEmpty() ? "" : path.get(path.size() - 1);
  }

  /** The session as "dataset / source", or null outside any session. */
  public String session() {
    return dataset == null ? null : dataset + " / " + source;
  }

  /** The path joined by " > ", with the session in brackets when there is one. */
  public String label() {
    String joined = String.join(" > ", path);
    return dataset == null ? joined : joined + " [" + session() + "]";
  }

  public int depth() {
    return path.size() - 1;
  }

  /** The path of the enclosing operation (empty for a root). */
  public List<String> parentPath() {
    return path.isEmpty() ? path : path.subList(0, path.size() - 1);
  }

  /** A client call (HTTP, JDBC, Kafka) rather than a stage of the job. */
  public boolean isClient() {
    return CLIENT_KINDS.contains(kind);
  }

  /**
   * Whether every operation of this kind is asynchronous: {@code kafka-send} is timed from {@code
   * send} to the broker's acknowledgement while the caller goes on. Other kinds are asynchronous
   * when their snapshot lines say {@code "async": true} ({@link OperationStats#async()}).
   */
  public boolean isAsyncKind() {
    return "kafka-send".equals(kind);
  }
}
