package dev.etlprofiler.report;

import dev.etlprofiler.report.model.JvmStats;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Small hand-made profiles with known answers. */
final class Profiles {
  private Profiles() {}

  /** One JVM of run {@code run}, {@code wallMillis} long, starting at {@code startMillis}. */
  static JvmStats jvm(Profile p, String run, long startMillis, long wallMillis) {
    JvmStats j = p.jvm(run + ".jsonl");
    j.runId = run;
    j.lines = 1;
    j.sawFinal = true;
    j.startMillis = startMillis;
    j.endMillis = startMillis + wallMillis;
    return j;
  }

  /** An operation whose every call took {@code nanosEach}. */
  static OperationStats op(
      Profile p, String dataset, String kind, long calls, long nanosEach, String... path) {
    OperationStats s =
        p.operation(new OperationKey(dataset, dataset == null ? null : "src", kind, List.of(path)));
    s.addCalls(calls, calls, false);
    s.addTime(calls * nanosEach, nanosEach);
    Histogram h = new Histogram(1, OperationStats.HIGHEST_NANOS, 2);
    h.recordValueWithCount(nanosEach, calls);
    s.addHistogram(h);
    return s;
  }

  static OperationStats op(Profile p, long calls, long nanosEach, String... path) {
    return op(p, null, "method", calls, nanosEach, path);
  }
}
