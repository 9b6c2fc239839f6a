package dev.etlprofiler.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/** Every snapshot line a forked JVM wrote, read independently of the report tool. */
public final class Snapshots {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Path> files;
  private final List<JsonNode> lines;

  private Snapshots(List<Path> files, List<JsonNode> lines) {
    this.files = files;
    this.lines = lines;
  }

  public static Snapshots read(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    List<JsonNode> lines = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(p -> p.toString().endsWith(".jsonl")).sorted().forEach(files::add);
      }
    }
    for (Path f : files) {
      String text = Files.readString(f);
      if (!text.isEmpty() && !text.endsWith("\n")) {
        throw new AssertionError("snapshot file does not end with a complete line: " + f);
      }
      for (String line : text.split("\n")) {
        if (!line.isBlank()) lines.add(JSON.readTree(line));
      }
    }
    return new Snapshots(files, lines);
  }

  public List<Path> files() {
    return files;
  }

  public List<JsonNode> lines() {
    return lines;
  }

  /** All entries of every line's {@code operations} with this name. */
  public List<JsonNode> operations(String name) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode line : lines) {
      for (JsonNode op : line.path("operations")) {
        if (op.path("name").asText().equals(name)) out.add(op);
      }
    }
    return out;
  }

  public long calls(String name) {
    return operations(name).stream().mapToLong(o -> o.path("calls").asLong()).sum();
  }

  public long errors(String name, String type) {
    return operations(name).stream().mapToLong(o -> o.path("errors").path(type).asLong()).sum();
  }

  /** Errors of every type. */
  public long errors(String name) {
    long n = 0;
    for (JsonNode op : operations(name)) {
      for (JsonNode count : op.path("errors")) {
        n += count.asLong();
      }
    }
    return n;
  }

  public long counter(String name, String counter) {
    return operations(name).stream()
        .mapToLong(o -> o.path("counters").path(counter).asLong())
        .sum();
  }

  /** The largest value of a gauge (e.g. {@code consumerLagMax}) over every interval, or -1. */
  public long gaugeMax(String name, String gauge) {
    return operations(name).stream()
        .mapToLong(o -> o.path("gauges").path(gauge).asLong(-1))
        .max()
        .orElse(-1);
  }

  /** The kinds recorded for an operation name. */
  public List<String> kinds(String name) {
    return operations(name).stream().map(o -> o.path("kind").asText()).distinct().toList();
  }

  /** The merged latency histogram of every interval of an operation. */
  public Histogram histogram(String name) {
    Histogram merged = new Histogram(3_600_000_000_000L, 2);
    for (JsonNode op : operations(name)) {
      if (op.has("histogram")) {
        byte[] bytes = Base64.getDecoder().decode(op.get("histogram").asText());
        try {
          merged.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0));
        } catch (java.util.zip.DataFormatException e) {
          throw new AssertionError("undecodable histogram in snapshot", e);
        }
      }
    }
    return merged;
  }

  /** The distinct paths (joined by " > ") recorded for an operation. */
  public List<String> paths(String name) {
    return operations(name).stream()
        .map(
            o -> {
              List<String> p = new ArrayList<>();
              o.path("path").forEach(n -> p.add(n.asText()));
              return String.join(" > ", p);
            })
        .distinct()
        .toList();
  }

  public JsonNode last() {
    return lines.get(lines.size() - 1);
  }
}
