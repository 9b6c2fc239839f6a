package dev.etlprofiler.fw.camel.apps;

import dev.etlprofiler.api.Operation;
import dev.etlprofiler.api.Profiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;

/**
 * What the airport routes do, shared by the two ways of writing them ({@link LambdaRoutes}, {@link
 * ClassRoutes}): parse a CSV line, validate it (a line with a quoted field is rejected with an
 * {@link IllegalArgumentException} that no {@code onException} handles), enrich it with a region
 * (airports in a state without a region fail with an {@link IllegalStateException} on every
 * attempt, which {@code onException} handles after the redeliveries; the lookup is an operation of
 * the job's own, through the agent's API), and write batches. Counts every call itself, so the test
 * can compare them with the profiler's.
 */
public final class AirportRoutes {
  /** States the enrichment has no region for: every attempt fails. */
  static final Set<String> NO_REGION = Set.of("AK");

  static final AtomicLong PARSED = new AtomicLong();
  static final AtomicLong VALIDATE_ATTEMPTS = new AtomicLong();
  static final AtomicLong ENRICH_ATTEMPTS = new AtomicLong();
  static final AtomicLong REJECTED = new AtomicLong();
  static final AtomicLong BATCHES = new AtomicLong();
  static final AtomicLong WRITTEN = new AtomicLong();
  static final List<String> OUTPUT = java.util.Collections.synchronizedList(new ArrayList<>());

  private AirportRoutes() {}

  /** A data line (not the header). */
  static boolean isData(Exchange e) {
    String line = e.getIn().getBody(String.class);
    return line != null && !line.isBlank() && !line.startsWith("iata,");
  }

  static void parse(Exchange e) {
    PARSED.incrementAndGet();
    e.getIn().setBody(e.getIn().getBody(String.class).split(",", -1));
  }

  static void validate(Exchange e) {
    VALIDATE_ATTEMPTS.incrementAndGet();
    String[] f = e.getIn().getBody(String[].class);
    if (f.length != 7 || f[1].startsWith("\"")) {
      throw new IllegalArgumentException("malformed line: " + String.join(",", f));
    }
  }

  static void enrich(Exchange e) {
    ENRICH_ATTEMPTS.incrementAndGet();
    String[] f = e.getIn().getBody(String[].class);
    String region;
    // the job's own operation (agent-api): it nests under the node that runs it
    try (Operation lookup = Profiler.operation("lookupRegion")) {
      region = NO_REGION.contains(f[3]) ? null : region(f[3]);
    }
    if (region == null) {
      throw new IllegalStateException("no region for " + f[3]);
    }
    e.getIn().setBody(f[0] + ";" + f[1] + ";" + f[3] + ";" + region);
  }

  static void reject(Exchange e) {
    REJECTED.incrementAndGet();
  }

  @SuppressWarnings("unchecked")
  static Exchange collect(Exchange batch, Exchange next) {
    if (batch == null) {
      List<String> list = new ArrayList<>();
      list.add(next.getIn().getBody(String.class));
      next.getIn().setBody(list);
      return next;
    }
    batch.getIn().getBody(List.class).add(next.getIn().getBody(String.class));
    return batch;
  }

  @SuppressWarnings("unchecked")
  static void write(Exchange e) {
    List<String> lines = e.getIn().getBody(List.class);
    BATCHES.incrementAndGet();
    WRITTEN.addAndGet(lines.size());
    OUTPUT.addAll(lines);
  }

  private static String region(String state) {
    return switch (state) {
      case "CA", "OR", "WA", "NV", "AZ", "HI" -> "west";
      case "NY", "NJ", "PA", "MA", "CT", "ME", "VT", "NH", "RI" -> "northeast";
      default -> "other";
    };
  }
}
