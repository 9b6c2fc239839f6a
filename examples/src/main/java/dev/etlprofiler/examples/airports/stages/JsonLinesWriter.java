package dev.etlprofiler.examples.airports.stages;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes one JSON object per airport per line. */
public class JsonLinesWriter implements Closeable {
  private final BufferedWriter out;
  private long lines;
  private long bytes;

  public JsonLinesWriter(Path file) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  public void write(EnrichedAirport e) throws IOException {
    CleanAirport a = e.airport();
    String line =
        "{\"iata\":"
            + quote(a.iata())
            + ",\"name\":"
            + quote(a.name())
            + ",\"city\":"
            + quote(a.city())
            + ",\"state\":"
            + quote(a.state())
            + ",\"region\":"
            + quote(e.region())
            + String.format(
                Locale.ROOT,
                ",\"lat\":%.6f,\"lon\":%.6f,\"geohash\":%s,\"km_from_centre\":%.1f}",
                a.latitude(),
                a.longitude(),
                quote(a.geohash()),
                a.kmFromCentre());
    out.write(line);
    out.write('\n');
    lines++;
    bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
  }

  public long lines() {
    return lines;
  }

  public long bytes() {
    return bytes;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
