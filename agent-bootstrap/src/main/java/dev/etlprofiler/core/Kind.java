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
  /** Operations folded together because of {@code limits.max-operations}. */
  public static final String OTHER = "other";
  /** A session boundary; never written as a node of its own. */
  static final String SESSION = "session";

  private Kind() {}
}
