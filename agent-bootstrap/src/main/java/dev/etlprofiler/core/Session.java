package dev.etlprofiler.core;

/** Labels of a session: the dataset and the data source it reads. */
public final class Session {
  final String dataset;
  final String source;

  /** The op id used to key this session's boundary node under a parent. */
  final int opId;

  Session(String dataset, String source, int opId) {
    this.dataset = dataset;
    this.source = source;
    this.opId = opId;
  }

  public String dataset() {
    return dataset;
  }

  public String source() {
    return source;
  }
}
