package dev.etlprofiler.examples.airports;

import dev.etlprofiler.api.Operation;
import dev.etlprofiler.api.ProfiledOperation;
import dev.etlprofiler.api.Profiler;
import dev.etlprofiler.api.Session;
import dev.etlprofiler.examples.airports.stages.Airport;
import dev.etlprofiler.examples.airports.stages.CleanAirport;
import dev.etlprofiler.examples.airports.stages.CsvReader;
import dev.etlprofiler.examples.airports.stages.DatabaseLoader;
import dev.etlprofiler.examples.airports.stages.EnrichedAirport;
import dev.etlprofiler.examples.airports.stages.Enricher;
import dev.etlprofiler.examples.airports.stages.JsonLinesWriter;
import dev.etlprofiler.examples.airports.stages.RecordParser;
import dev.etlprofiler.examples.airports.stages.Transformer;
import dev.etlprofiler.examples.airports.stages.Validator;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/**
 * An ingestion job over the 3,376 US airports of airports.csv: read, parse, validate, transform,
 * enrich (one HTTP call per airport to a local region service), write JSON lines, load into H2 in
 * batches. The stages (package {@code stages}) carry no profiler code; {@code profiler.yaml}
 * profiles them. {@link #run} is annotated {@code @ProfiledOperation}, and the job opens one
 * session and one operation through the API.
 *
 * <p>Usage: {@code java -jar examples.jar [OUTPUT_DIR [CSV_FILE]]} (default {@code ./example-out}
 * and the airports.csv bundled in the jar).
 */
public final class AirportsIngestJob {
  static final String HEADER = "iata,name,city,state,country,latitude,longitude";
  static final int BATCH = 500;

  private final Path outputDir;
  private final Path csv;
  private final URI regionService;

  AirportsIngestJob(Path outputDir, Path csv, URI regionService) {
    this.outputDir = outputDir;
    this.csv = csv;
    this.regionService = regionService;
  }

  /** What the job did, stage by stage: compare with the profiler's call counts. */
  record Summary(
      long read,
      long parsed,
      long valid,
      long invalid,
      long transformed,
      long enriched,
      long httpCalls,
      long written,
      long loaded,
      long batches) {
    @Override
    public String toString() {
      return String.join(
          "\n",
          "read      " + read + " rows (CsvReader.readRows called once)",
          "parse     " + parsed + " records (RecordParser.parse)",
          "validate  "
              + (valid + invalid)
              + " records: "
              + valid
              + " valid, "
              + invalid
              + " invalid (Validator.validate)",
          "transform " + transformed + " records (Transformer.transform)",
          "enrich    " + enriched + " records, " + httpCalls + " HTTP calls (Enricher.enrich)",
          "write     " + written + " JSON lines (JsonLinesWriter.write)",
          "load      "
              + loaded
              + " rows in "
              + batches
              + " JDBC batches of up to "
              + BATCH
              + " (DatabaseLoader.loadBatch)");
    }
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "example-out");
    Path csv = args.length > 1 ? Path.of(args[1]) : null;
    Files.createDirectories(out);
    try (RegionService regions = RegionService.start()) {
      Summary summary = new AirportsIngestJob(out, csv, regions.uri()).run();
      System.out.println(
          "airports ingest done: "
              + out.resolve("airports.jsonl")
              + ", H2 database "
              + out.resolve("airports.mv.db"));
      System.out.println(summary);
    }
  }

  @ProfiledOperation("ingest")
  Summary run() throws Exception {
    try (Session session = Profiler.session("airports", "data.gov");
        Connection db =
            DriverManager.getConnection(
                "jdbc:h2:" + outputDir.toAbsolutePath().resolve("airports"));
        JsonLinesWriter writer = new JsonLinesWriter(outputDir.resolve("airports.jsonl"))) {
      List<String> rows;
      try (Reader source = open()) {
        rows = new CsvReader(HEADER).readRows(source);
      }
      RecordParser parser = new RecordParser();
      Validator validator = new Validator();
      Transformer transformer = new Transformer();
      Enricher enricher = new Enricher(regionService);
      DatabaseLoader loader = new DatabaseLoader(db);
      List<EnrichedAirport> enriched = new ArrayList<>(rows.size());
      long invalid = 0;
      for (String row : rows) {
        Airport airport = parser.parse(row);
        if (!validator.validate(airport)) {
          invalid++;
          continue;
        }
        CleanAirport clean = transformer.transform(airport);
        EnrichedAirport e = enricher.enrich(clean);
        writer.write(e);
        enriched.add(e);
      }
      Profiler.quality(enriched.size(), invalid);
      try (Operation load = Profiler.operation("load")) {
        for (int i = 0; i < enriched.size(); i += BATCH) {
          loader.loadBatch(enriched.subList(i, Math.min(i + BATCH, enriched.size())));
        }
        load.records(loader.rows()).bytes(writer.bytes());
      }
      return new Summary(
          rows.size(),
          rows.size(),
          enriched.size(),
          invalid,
          enriched.size(),
          enriched.size(),
          enricher.calls(),
          writer.lines(),
          loader.rows(),
          loader.batches());
    }
  }

  private Reader open() throws Exception {
    if (csv != null) {
      return Files.newBufferedReader(csv, StandardCharsets.UTF_8);
    }
    InputStream in = AirportsIngestJob.class.getResourceAsStream("/airports.csv");
    if (in == null) {
      throw new IllegalStateException("airports.csv is not in the jar");
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }
}
