package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example job (examples.jar, a fat jar) under the agent with examples/profiler.yaml: every
 * configured stage is counted exactly as often as the job says it handled records.
 */
class ExampleJobIT {
  @Test
  void everyStageIsCountedOncePerRecordItHandled(@TempDir Path dir) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(ForkedJvm.javaHome(), "bin", "java").toString(),
                "-javaagent:"
                    + ForkedJvm.agentJar()
                    + "=config="
                    + System.getProperty("it.examples.config"),
                "-jar",
                System.getProperty("it.examples.jar"),
                dir.resolve("out").toString()));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the example job finishes");
    ForkedJvm.Result r = new ForkedJvm(dir).result(p.exitValue());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("validate  3376 records: 3364 valid, 12 invalid"), r.stdout());
    Snapshots s = r.snapshots();
    assertEquals(1, s.calls("ingest"));
    assertEquals(1, s.calls("CsvReader.readRows"));
    assertEquals(3376, s.calls("RecordParser.parse"));
    assertEquals(3376, s.calls("Validator.validate"));
    assertEquals(3364, s.calls("Transformer.transform"));
    assertEquals(3364, s.calls("Enricher.enrich"));
    assertEquals(3364, s.calls("JsonLinesWriter.write"));
    assertEquals(7, s.calls("DatabaseLoader.loadBatch"));
    assertEquals(3364, s.counter("load", "records"));
    assertEquals(
        List.of("ingest > load > DatabaseLoader.loadBatch"), s.paths("DatabaseLoader.loadBatch"));
    assertEquals("airports", s.operations("Enricher.enrich").get(0).path("dataset").asText());
    assertEquals(3364, s.counter("ingest", "valid"));
    assertEquals(12, s.counter("ingest", "invalid"));
    assertTrue(new File(dir.toFile(), "out/airports.jsonl").length() > 500_000);
    // the client calls the stages make, with no code in them: one HTTP call per enriched airport
    // (the configured template folds the state codes into one endpoint) and one batch per load
    String endpoint =
        s.operations("Enricher.enrich").isEmpty()
            ? null
            : s.lines().stream()
                .flatMap(
                    l ->
                        java.util.stream.StreamSupport.stream(
                            l.path("operations").spliterator(), false))
                .filter(o -> o.path("kind").asText().equals("http"))
                .map(o -> o.path("name").asText())
                .findFirst()
                .orElse(null);
    assertTrue(
        endpoint != null && endpoint.matches("GET http://127\\.0\\.0\\.1:\\d+/regions/\\{state\\}"),
        "endpoint " + endpoint);
    assertEquals(3364, s.calls(endpoint));
    assertEquals(3364, s.counter(endpoint, "status2xx"));
    assertEquals(List.of("ingest > Enricher.enrich > " + endpoint), s.paths(endpoint));
    assertEquals(7, s.calls("INSERT airports"));
    assertEquals(3364, s.counter("INSERT airports", "batchedStatements"));
    assertEquals(3364, s.counter("INSERT airports", "rows"));
    assertEquals(7, s.calls("COMMIT"));
  }
}
