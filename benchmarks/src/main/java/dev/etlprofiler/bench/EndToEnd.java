package dev.etlprofiler.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole-process ETL-like workload for wall, CPU and RSS comparisons: parses every row of a CSV
 * file (zipcodes.csv) {@code rounds} times, validates and aggregates per state. parse/validate/
 * aggregate are per-record methods that a typical profiler.yaml would instrument. args: CSV file,
 * rounds.
 */
public final class EndToEnd {
  record Row(String zip, double lat, double lon, String city, String state) {}

  static Row parse(String line) {
    String[] f = line.split(",", -1);
    return new Row(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), f[3], f[4]);
  }

  static boolean validate(Row r) {
    return !r.state().isEmpty() && r.lat() >= -90 && r.lat() <= 90;
  }

  static void aggregate(Map<String, double[]> byState, Row r) {
    double[] a = byState.computeIfAbsent(r.state(), k -> new double[3]);
    a[0]++;
    a[1] += r.lat();
    a[2] += r.lon();
  }

  public static void main(String[] args) throws IOException {
    Path csv = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Map<String, double[]> byState = new HashMap<>();
    long rows = 0;
    for (int round = 0; round < rounds; round++) {
      try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        in.readLine();
        for (String line; (line = in.readLine()) != null; ) {
          Row r = parse(line);
          if (validate(r)) {
            aggregate(byState, r);
          }
          rows++;
        }
      }
    }
    System.out.println("rows=" + rows + " states=" + byState.size());
  }
}
