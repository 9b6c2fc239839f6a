package dev.etlprofiler.examples.airports.stages;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** Reads the data rows of a CSV file (the header line is checked and dropped). */
public class CsvReader {
  private final String expectedHeader;

  public CsvReader(String expectedHeader) {
    this.expectedHeader = expectedHeader;
  }

  public List<String> readRows(Reader source) throws IOException {
    List<String> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(source)) {
      String header = in.readLine();
      if (header == null || !header.equals(expectedHeader)) {
        throw new IOException(
            "unexpected CSV header: " + header + " (expected " + expectedHeader + ")");
      }
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.isBlank()) {
          rows.add(line);
        }
      }
    }
    return rows;
  }
}
