package dev.etlprofiler.it.apps;

import dev.etlprofiler.api.Operation;
import dev.etlprofiler.api.Profiler;
import dev.etlprofiler.api.Session;

/** Uses the API: two sessions, operations with counts, a nested annotated method. */
public class ApiApp {
  @dev.etlprofiler.api.ProfiledOperation
  static int parse(String s) {
    return s.length();
  }

  public static void main(String[] args) {
    System.out.println("active=" + Profiler.isActive());
    for (String dataset : new String[] {"orders", "customers"}) {
      try (Session s = Profiler.session(dataset, "eia")) {
        for (int batch = 0; batch < 4; batch++) {
          try (Operation op = Profiler.operation("transform")) {
            int bytes = 0;
            for (int i = 0; i < 25; i++) bytes += parse("row-" + i);
            op.records(25).bytes(bytes).valid(24).invalid(1);
            if (batch == 3) op.error("Timeout");
          }
        }
        Profiler.quality(7, 3);
      }
    }
    System.out.println("done");
  }
}
