package dev.etlprofiler.examples.airports.stages;

import java.util.ArrayList;
import java.util.List;

/** Parses one CSV row (RFC 4180 quoting) into an {@link Airport}. Called once per row. */
public class RecordParser {
  public Airport parse(String line) {
    List<String> f = fields(line);
    if (f.size() != 7) {
      throw new IllegalArgumentException("expected 7 fields, got " + f.size() + ": " + line);
    }
    return new Airport(
        text(f.get(0)),
        text(f.get(1)),
        text(f.get(2)),
        text(f.get(3)),
        text(f.get(4)),
        number(f.get(5)),
        number(f.get(6)));
  }

  static List<String> fields(String line) {
    List<String> out = new ArrayList<>(8);
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out;
  }

  private static String text(String s) {
    String t = s.trim();
    return t.isEmpty() || t.equals("NA") ? null : t;
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
