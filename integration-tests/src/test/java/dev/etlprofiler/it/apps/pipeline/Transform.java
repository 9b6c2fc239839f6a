package dev.etlprofiler.it.apps.pipeline;

import java.util.Locale;

/** A configured stage: called exactly once per record; fails on every third record. */
public class Transform {
  public String apply(String record, int i) {
    if (i % 3 == 0) {
      throw new IllegalArgumentException("bad record " + record);
    }
    return record.toUpperCase(Locale.ROOT);
  }
}
