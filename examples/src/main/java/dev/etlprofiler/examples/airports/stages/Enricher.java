package dev.etlprofiler.examples.airports.stages;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks up each airport's census region from the region service, one HTTP call per airport (the way
 * many ingestion jobs call an enrichment API — and a pattern the profiler's report flags).
 */
public class Enricher {
  private static final Pattern REGION = Pattern.compile("\"region\"\\s*:\\s*\"([^\"]*)\"");
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private long calls;

  public Enricher(URI base) {
    this.base = base;
  }

  public EnrichedAirport enrich(CleanAirport airport) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("regions/" + airport.state()))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    calls++;
    if (response.statusCode() != 200) {
      throw new IOException(
          "region service answered " + response.statusCode() + " for " + airport.state());
    }
    Matcher m = REGION.matcher(response.body());
    return new EnrichedAirport(airport, m.find() ? m.group(1) : "Unknown");
  }

  public long calls() {
    return calls;
  }
}
