package dev.etlprofiler.api;

/**
 * Labels the work done on the current thread with a dataset and a data source until closed. Every
 * operation (configured, annotated or opened through the API) that starts on this thread while the
 * session is open is attributed to it. Sessions nest: closing one restores the previous.
 */
public interface Session extends AutoCloseable {
  /** The dataset this session processes, e.g. {@code "orders"}. */
  String dataset();

  /** The data source the dataset comes from, e.g. {@code "eia"}. */
  String dataSource();

  /** Ends the session on this thread. */
  @Override
  void close();
}
