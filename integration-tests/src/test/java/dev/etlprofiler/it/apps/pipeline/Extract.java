package dev.etlprofiler.it.apps.pipeline;

/** A configured stage: called exactly once per record. */
public class Extract {
  public String read(int i) {
    return "record-" + i;
  }
}
