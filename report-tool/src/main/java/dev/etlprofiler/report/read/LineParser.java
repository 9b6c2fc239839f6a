package dev.etlprofiler.report.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one snapshot line with Jackson's streaming parser into plain fields: only what the report
 * uses, unknown fields skipped. Building Jackson's tree ({@code readTree}) for every line took
 * about half of the report tool's time (JFR, 1 GB of the example job's snapshots); the whole line
 * is still parsed before any of it is used, so a truncated line changes nothing. Numbers are read
 * as leniently as {@code JsonNode.asLong} read them (a number in a string counts; anything else is
 * 0); whether they are in range is {@link LineCheck}'s business.
 */
final class LineParser {
  /** One snapshot line. Absent numbers are 0 unless noted. */
  static final class Line {
    boolean object;
    String format;
    String versionText = "";
    int version = -1;
    String runId;
    String host;
    long pid;
    boolean hasSeq;
    long seq;
    long startMillis;
    long endMillis;
    Long jvmStartMillis; // null when absent
    boolean isFinal;
    final List<Op> operations = new ArrayList<>();
    Resources resources;
  }

  /** One entry of {@code operations}. */
  static final class Op {
    String kind;
    String name;
    final List<String> path = new ArrayList<>();
    String dataset;
    String source;
    long calls;
    boolean sampled;
    boolean async;
    long timedCalls;
    long totalNanos;
    long maxNanos;
    // empty and shared until a first entry: most operations have none of these
    Map<String, Long> errors = Map.of();
    Map<String, Long> counters = Map.of();
    Map<String, Long> gauges = Map.of();
    String histogram;
  }

  /**
   * The {@code resources} object; {@code rssPeakBytes} is -1 and the processors null when absent.
   */
  static final class Resources {
    long cpuNanos;
    long cpuUserNanos;
    long cpuSystemNanos;
    long heapUsedPeakBytes;
    long heapMaxBytes;
    long rssPeakBytes = -1;
    long threadsPeak;
    Long availableProcessors;
    long diskReadBytes;
    long diskWriteBytes;
    long netRxBytes;
    long netTxBytes;
    final List<Object[]> gc = new ArrayList<>(); // {name, count, timeMillis}
  }

  private final JsonFactory factory;
  private final int maxValues;
  private int values; // retained in the line being parsed

  LineParser(JsonFactory factory) {
    this(factory, Integer.MAX_VALUE);
  }

  /**
   * @param maxValues the most operations, path elements, map entries and GC entries one line may
   *     hold: each becomes an object, so a line of a few MB of tiny values would take hundreds of
   *     MB
   */
  LineParser(JsonFactory factory, int maxValues) {
    this.factory = factory;
    this.maxValues = maxValues;
  }

  /** A line with more values than the limit. */
  static final class TooLarge extends IOException {
    TooLarge(int max) {
      super(
          "more than "
              + max
              + " values in one line (operations, path elements, errors, counters, gauges, GC"
              + " entries)");
    }
  }

  /** Counts one retained value of the line. */
  private void retain() throws TooLarge {
    if (++values > maxValues) {
      throw new TooLarge(maxValues);
    }
  }

  Line parse(String text) throws IOException {
    try (JsonParser p = factory.createParser(text)) {
      return parse(p);
    }
  }

  /**
   * Parses a line given as UTF-8 bytes with Jackson's byte-based parser, which is faster than its
   * char-based one (no String, no char decoding). The caller passes only lines that parse the same
   * as their String would: pure ASCII, and no zero byte among the first four (which would make
   * Jackson detect UTF-16 or UTF-32).
   */
  Line parse(byte[] bytes, int offset, int length) throws IOException {
    try (JsonParser p = factory.createParser(bytes, offset, length)) {
      return parse(p);
    }
  }

  private Line parse(JsonParser p) throws IOException {
    values = 0;
    Line line = new Line();
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return line;
    }
    line.object = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "format" -> line.format = text(p);
        case "version" -> {
          line.versionText = value.isScalarValue() ? p.getText() : "";
          long version = number(p, -1);
          line.version = version == (int) version ? (int) version : -1;
        }
        case "runId" -> line.runId = unicode(text(p), -1, "runId");
        case "host" -> line.host = unicode(text(p), -1, "host");
        case "pid" -> line.pid = number(p, 0);
        case "seq" -> {
          line.hasSeq = true;
          line.seq = number(p, -1);
        }
        case "startMillis" -> line.startMillis = number(p, 0);
        case "endMillis" -> line.endMillis = number(p, 0);
        case "jvmStartMillis" ->
            line.jvmStartMillis = value.isNumeric() ? Long.valueOf(number(p, 0)) : skip(p, null);
        case "final" -> line.isFinal = value == JsonToken.VALUE_TRUE;
        case "operations" -> operations(p, line.operations);
        case "resources" ->
            line.resources = value == JsonToken.START_OBJECT ? resources(p) : skip(p, null);
        default -> p.skipChildren();
      }
    }
    return line;
  }

  private void operations(JsonParser p, List<Op> out) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    int index = -1;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      index++;
      retain();
      Op op = new Op();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "kind" -> op.kind = unicode(text(p), index, "kind");
          case "name" -> op.name = unicode(text(p), index, "name");
          case "path" -> {
            if (value == JsonToken.START_ARRAY) {
              while (p.nextToken() != JsonToken.END_ARRAY) {
                retain();
                op.path.add(
                    unicode(
                        p.currentToken().isScalarValue() ? p.getText() : skip(p, ""),
                        index,
                        "path"));
              }
            } else {
              p.skipChildren();
            }
          }
          case "dataset" -> op.dataset = unicode(text(p), index, "dataset");
          case "source" -> op.source = unicode(text(p), index, "source");
          case "calls" -> op.calls = number(p, 0);
          case "async" -> op.async = value == JsonToken.VALUE_TRUE;
          case "sampling" -> {
            op.sampled = true;
            if (value == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals("timedCalls")) op.timedCalls = number(p, 0);
                else p.skipChildren();
              }
            } else {
              p.skipChildren();
            }
          }
          case "totalNanos" -> op.totalNanos = number(p, 0);
          case "maxNanos" -> op.maxNanos = number(p, 0);
          case "errors" -> op.errors = numbers(p, op.errors, index, "errors");
          case "counters" -> op.counters = numbers(p, op.counters, index, "counters");
          case "gauges" -> op.gauges = numbers(p, op.gauges, index, "gauges");
          case "histogram" -> op.histogram = value.isScalarValue() ? p.getText() : skip(p, null);
          default -> p.skipChildren();
        }
      }
      out.add(op);
    }
  }

  private Resources resources(JsonParser p) throws IOException {
    Resources r = new Resources();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "cpuNanos" -> r.cpuNanos = number(p, 0);
        case "cpuUserNanos" -> r.cpuUserNanos = number(p, 0);
        case "cpuSystemNanos" -> r.cpuSystemNanos = number(p, 0);
        case "heapUsedPeakBytes" -> r.heapUsedPeakBytes = number(p, 0);
        case "heapMaxBytes" -> r.heapMaxBytes = number(p, 0);
        case "rssPeakBytes" -> r.rssPeakBytes = number(p, -1);
        case "threadsPeak" -> r.threadsPeak = number(p, 0);
        case "availableProcessors" ->
            r.availableProcessors = value.isNumeric() ? Long.valueOf(number(p, 0)) : skip(p, null);
        case "diskReadBytes" -> r.diskReadBytes = number(p, 0);
        case "diskWriteBytes" -> r.diskWriteBytes = number(p, 0);
        case "netRxBytes" -> r.netRxBytes = number(p, 0);
        case "netTxBytes" -> r.netTxBytes = number(p, 0);
        case "gc" -> {
          if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            break;
          }
          while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
              p.skipChildren();
              continue;
            }
            Object[] gc = {"?", 0L, 0L};
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              switch (f) {
                case "name" ->
                    gc[0] =
                        unicode(
                            p.currentToken().isScalarValue() ? p.getText() : skip(p, "?"),
                            -1,
                            "resources.gc[].name");
                case "count" -> gc[1] = number(p, 0);
                case "timeMillis" -> gc[2] = number(p, 0);
                default -> p.skipChildren();
              }
            }
            retain();
            r.gc.add(gc);
          }
        }
        default -> p.skipChildren();
      }
    }
    return r;
  }

  /**
   * An object of name → number added to {@code into} (a new map if it is the shared empty one);
   * anything else is skipped. A name given twice adds up, a negative value staying negative and an
   * overflow becoming Long.MAX_VALUE, for the range checks to reject.
   */
  private Map<String, Long> numbers(JsonParser p, Map<String, Long> into, int op, String field)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return into;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = unicode(p.currentName(), op, field);
      p.nextToken();
      long value = number(p, 0);
      if (into.isEmpty() && !(into instanceof LinkedHashMap)) {
        into = new LinkedHashMap<>();
      }
      Long before = into.get(name);
      if (before == null) {
        retain();
        into.put(name, value);
      } else {
        long sum = before + value;
        boolean overflow = ((before ^ sum) & (value ^ sum)) < 0;
        into.put(
            name,
            before < 0 || value < 0 ? Math.min(before, value) : overflow ? Long.MAX_VALUE : sum);
      }
    }
    return into;
  }

  /**
   * The current value as a long, as leniently as {@code JsonNode.asLong(fallback)}; an integer
   * beyond a long's range becomes Long.MIN_VALUE or Long.MAX_VALUE (as a float does), which the
   * range checks ({@link LineCheck}) reject with the field's name.
   */
  private static long number(JsonParser p, long fallback) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      try {
        return p.getLongValue();
      } catch (com.fasterxml.jackson.core.exc.InputCoercionException tooLarge) {
        return p.getText().startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) return (long) p.getDoubleValue();
    if (t == JsonToken.VALUE_TRUE) return 1;
    if (t == JsonToken.VALUE_FALSE) return 0;
    if (t == JsonToken.VALUE_STRING) {
      try {
        return Long.parseLong(p.getText().trim());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    p.skipChildren();
    return fallback;
  }

  /** The current value as text (null for null or a container, which is skipped). */
  private static String text(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) return null;
    return t.isScalarValue() ? p.getText() : skip(p, null);
  }

  /**
   * A string of the line that is not valid Unicode: it holds half of a surrogate pair (JSON lets an
   * escape of one, backslash-ud800, stand alone), and no report could be written as UTF-8 with it;
   * or a name longer than {@link #MAX_NAME}. Its line is skipped.
   */
  static final class InvalidText extends IOException {
    InvalidText(String message) {
      super(message);
    }
  }

  /**
   * The longest name read (an operation's name or path element, a dataset, an error type, a counter
   * …): real ones are well under 1,000 characters, and a report shows a name several times.
   */
  static final int MAX_NAME = 8192;

  /**
   * {@code s}, or InvalidText naming the field ({@code operations[op].field}) if it is not valid
   * Unicode or longer than {@link #MAX_NAME}.
   */
  private static String unicode(String s, int op, String field) throws InvalidText {
    if (s == null) {
      return null;
    }
    if (s.length() > MAX_NAME) {
      throw new InvalidText(
          where(op, field)
              + " holds a name of "
              + s.length()
              + " characters, more than "
              + MAX_NAME);
    }
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw new InvalidText(
              where(op, field) + " is not valid Unicode (it holds half of a surrogate pair)");
        }
      }
    }
    return s;
  }

  private static String where(int op, String field) {
    return op < 0 ? field : "operations[" + op + "]." + field;
  }

  private static <T> T skip(JsonParser p, T result) throws IOException {
    p.skipChildren();
    return result;
  }
}
