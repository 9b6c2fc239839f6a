package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etlprofiler.it.apps.ApiApp;
import dev.etlprofiler.it.apps.ChildLoaderApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent-api reaches the agent: sessions, operations, counts, also from a child class loader.
 */
class ApiIT {
  @Test
  void sessionsAndOperationsReachTheAgent(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r = new ForkedJvm(dir).main(ApiApp.class).run();
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().startsWith("active=true"), r.stdout());
    assertSessionCounts(r.snapshots());
  }

  @Test
  void worksWhenTheApplicationRunsInItsOwnClassLoader(@TempDir Path dir) throws Exception {
    Path apiJar = Path.of(System.getProperty("it.api.jar"));
    Path classes = Path.of(System.getProperty("it.test.classes"));
    ForkedJvm.Result r =
        new ForkedJvm(dir).main(ChildLoaderApp.class, apiJar.toString(), classes.toString()).run();
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("loader=job\nactive=true"), r.stdout());
    assertSessionCounts(r.snapshots());
  }

  @Test
  void isANoOpWithoutTheAgent(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r = new ForkedJvm(dir).withoutAgent().main(ApiApp.class).run();
    assertEquals("active=false\ndone\n", r.stdout());
  }

  private static void assertSessionCounts(Snapshots s) {
    for (String dataset : new String[] {"orders", "customers"}) {
      long calls = 0;
      long records = 0;
      long timeouts = 0;
      long parseCalls = 0;
      for (JsonNode line : s.lines()) {
        for (JsonNode op : line.path("operations")) {
          if (!dataset.equals(op.path("dataset").asText())
              || !"eia".equals(op.path("source").asText())) continue;
          if (op.path("name").asText().equals("transform")) {
            assertEquals("api", op.path("kind").asText());
            calls += op.path("calls").asLong();
            records += op.path("counters").path("records").asLong();
            timeouts += op.path("errors").path("Timeout").asLong();
          }
          if (op.path("name").asText().equals("ApiApp.parse")) {
            parseCalls += op.path("calls").asLong();
            assertEquals(
                "transform",
                op.path("path").get(0).asText(),
                "annotated method nested in the API operation");
          }
        }
      }
      assertEquals(4, calls, dataset);
      assertEquals(100, records, dataset);
      assertEquals(1, timeouts, dataset);
      assertEquals(100, parseCalls, dataset);
    }
    assertEquals(96 * 2, s.counter("transform", "valid"));
  }
}
