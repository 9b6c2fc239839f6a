package dev.etlprofiler.report.model;

import java.util.List;

/**
 * The identity of an operation across JVMs and runs: its session (dataset, source), its kind and
 * its path from the root of the call tree (docs/snapshot-format.md, "Merging").
 */
public record OperationKey(String dataset, String source, String kind, List<String> path) {
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
}
