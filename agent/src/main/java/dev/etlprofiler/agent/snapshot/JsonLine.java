package dev.etlprofiler.agent.snapshot;

/**
 * A minimal JSON writer for one snapshot line: objects, arrays, strings, longs, booleans.
 * Hand-written rather than jackson-core because the final snapshot is written while the JVM exits,
 * and loading Jackson's generator there cost about 20 ms of a short job's wall time. Strings are
 * escaped per RFC 8259 (quote, backslash, control characters; everything else as is, the line being
 * UTF-8).
 */
final class JsonLine {
  private final StringBuilder out = new StringBuilder(4096);

  /** One bit per nesting level: whether the container at that level already has an element. */
  private long hasElement;

  private int depth;

  void writeStartObject() {
    separator();
    out.append('{');
    push();
  }

  void writeEndObject() {
    depth--;
    out.append('}');
  }

  void writeObjectFieldStart(String name) {
    field(name);
    out.append('{');
    push();
  }

  void writeArrayFieldStart(String name) {
    field(name);
    out.append('[');
    push();
  }

  void writeEndArray() {
    depth--;
    out.append(']');
  }

  void writeStringField(String name, String value) {
    field(name);
    string(value);
  }

  void writeNumberField(String name, long value) {
    field(name);
    out.append(value);
  }

  void writeBooleanField(String name, boolean value) {
    field(name);
    out.append(value);
  }

  void writeString(String value) {
    separator();
    string(value);
  }

  /** The line, with its newline. */
  byte[] toLine() {
    return out.append('\n').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private void push() {
    depth++;
    hasElement &= ~(1L << depth);
  }

  private void separator() {
    if (depth == 0) {
      return;
    }
    long bit = 1L << depth;
    if ((hasElement & bit) != 0) {
      out.append(',');
    }
    hasElement |= bit;
  }

  private void field(String name) {
    separator();
    string(name);
    out.append(':');
  }

  private void string(String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
