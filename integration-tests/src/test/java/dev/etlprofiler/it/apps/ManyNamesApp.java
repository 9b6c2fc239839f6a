package dev.etlprofiler.it.apps;

import dev.etlprofiler.api.Operation;
import dev.etlprofiler.api.Profiler;

/** args: N. Opens N API operations, each with a name of its own ({@code op-0} … {@code op-N-1}). */
public class ManyNamesApp {
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    long started = System.nanoTime();
    long records = 0;
    for (int i = 0; i < n; i++) {
      try (Operation op = Profiler.operation("op-" + i)) {
        op.records(1);
        records++;
      }
    }
    System.out.println(
        "operations "
            + n
            + " records "
            + records
            + " in "
            + (System.nanoTime() - started) / 1_000_000
            + " ms");
  }
}
