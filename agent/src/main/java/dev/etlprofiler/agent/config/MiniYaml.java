package dev.etlprofiler.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for the plain subset of YAML that configuration files use — block mappings and sequences
 * by indentation, one-line flow collections ({@code [a, b]}, {@code {k: v}}), plain, single- and
 * double-quoted scalars, comments — into the same maps, lists and strings as {@link YamlTree}.
 * Loading Jackson and SnakeYAML to read a ten-line file cost about 120 ms of a hello-world JVM's
 * start-up (measured with and without a configuration file); this class is a few hundred lines of
 * the agent's own.
 *
 * <p>Anything outside the subset — anchors and aliases, tags, block scalars ({@code |}, {@code >}),
 * document markers, directives, complex keys, scalars over several lines, flow collections over
 * several lines, tabs in indentation, YAML 1.1 booleans such as {@code yes} — throws {@link
 * Unsupported}, and the caller reads the file with Jackson instead: a file is never read
 * differently, only faster. {@code MiniYamlTest} checks both readers agree.
 *
 * <p>Collections nested deeper than {@link #MAX_DEPTH} are refused as {@link TooDeep} by both
 * readers: the readers recurse once per level, and a file of 100,000 brackets overflowed the stack.
 */
final class MiniYaml {
  /** Most collections nested in one another, the document's root included. */
  static final int MAX_DEPTH = 64;

  /** The text uses YAML this reader does not handle: read it with Jackson. */
  static final class Unsupported extends Exception {
    Unsupported(String why, int line) {
      super(why + " (line " + line + ")", null, false, false);
    }
  }

  /** The document nests collections deeper than {@link #MAX_DEPTH}: it is no configuration. */
  static final class TooDeep extends java.io.IOException {
    TooDeep(int line) {
      super("collections nested deeper than " + MAX_DEPTH + " levels (line " + line + ")");
    }
  }

  private record Line(int indent, String text, int number) {}

  private final List<Line> lines = new ArrayList<>();
  private int pos;

  /** Block collections open around the current line. */
  private int depth;

  private MiniYaml() {}

  /** The document as maps, lists, strings and nulls; an empty document is an empty map. */
  static Object parse(String text) throws Unsupported, TooDeep {
    MiniYaml y = new MiniYaml();
    y.split(text);
    if (y.lines.isEmpty()) {
      return Map.of();
    }
    Object value = y.block(y.lines.get(0).indent());
    if (y.pos < y.lines.size()) {
      throw new Unsupported("content after the document", y.lines.get(y.pos).number());
    }
    return value;
  }

  private void split(String text) throws Unsupported {
    String[] raw = text.split("\r?\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i];
      int indent = 0;
      while (indent < line.length() && line.charAt(indent) == ' ') {
        indent++;
      }
      if (indent < line.length() && line.charAt(indent) == '\t') {
        throw new Unsupported("tab in indentation", i + 1);
      }
      String content = stripComment(line.substring(indent), i + 1).stripTrailing();
      if (content.isEmpty()) {
        continue;
      }
      if (content.startsWith("---")
          || content.startsWith("...")
          || content.startsWith("%")
          || content.startsWith("?")) {
        throw new Unsupported("document marker, directive or complex key", i + 1);
      }
      lines.add(new Line(indent, content, i + 1));
    }
  }

  /** The line without a comment ({@code #} at the start or after a space, outside quotes). */
  private static String stripComment(String s, int line) throws Unsupported {
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if ((c == '"' || c == '\'') && (i == 0 || " [{,:-".indexOf(s.charAt(i - 1)) >= 0)) {
        quote = c;
      } else if (c == '#' && (i == 0 || s.charAt(i - 1) == ' ')) {
        return s.substring(0, i);
      }
    }
    if (quote != 0) {
      throw new Unsupported("a quoted scalar over several lines", line);
    }
    return s;
  }

  private Line cur() {
    return lines.get(pos);
  }

  private static boolean isItem(String text) {
    return text.equals("-") || text.startsWith("- ");
  }

  private Object block(int indent) throws Unsupported, TooDeep {
    Line l = cur();
    if (isItem(l.text())) {
      return sequence(indent);
    }
    if (keyEnd(l.text(), l.number()) >= 0) {
      return mapping(indent);
    }
    pos++;
    Object value = scalarOrFlow(l.text(), l.number(), depth);
    if (pos < lines.size() && cur().indent() > indent) {
      throw new Unsupported("a scalar over several lines", cur().number());
    }
    return value;
  }

  /** One more block collection opens at this line. */
  private void enter() throws TooDeep {
    if (++depth > MAX_DEPTH) {
      throw new TooDeep(cur().number());
    }
  }

  private Map<String, Object> mapping(int indent) throws Unsupported, TooDeep {
    enter();
    Map<String, Object> map = new LinkedHashMap<>();
    while (pos < lines.size() && cur().indent() == indent && !isItem(cur().text())) {
      Line l = cur();
      int colon = keyEnd(l.text(), l.number());
      if (colon < 0) {
        throw new Unsupported("a line that is not a key", l.number());
      }
      Object key = scalarOrFlow(l.text().substring(0, colon).strip(), l.number(), depth);
      if (!(key instanceof String)) {
        throw new Unsupported("a key that is not a string", l.number());
      }
      String rest = l.text().substring(colon + 1).strip();
      pos++;
      Object value;
      if (!rest.isEmpty()) {
        value = scalarOrFlow(rest, l.number(), depth);
        if (pos < lines.size() && cur().indent() > indent) {
          throw new Unsupported("a value over several lines", cur().number());
        }
      } else if (pos < lines.size() && cur().indent() > indent) {
        value = block(cur().indent());
      } else if (pos < lines.size() && cur().indent() == indent && isItem(cur().text())) {
        value = sequence(indent);
      } else {
        value = null;
      }
      map.put((String) key, value);
    }
    if (pos < lines.size() && cur().indent() > indent) {
      throw new Unsupported("unexpected indentation", cur().number());
    }
    depth--;
    return map;
  }

  private List<Object> sequence(int indent) throws Unsupported, TooDeep {
    enter();
    List<Object> list = new ArrayList<>();
    while (pos < lines.size() && cur().indent() == indent && isItem(cur().text())) {
      Line l = cur();
      String afterDash = l.text().substring(1);
      String rest = afterDash.strip();
      int contentIndent = indent + 1 + (afterDash.length() - afterDash.stripLeading().length());
      if (rest.isEmpty()) {
        pos++;
        list.add(pos < lines.size() && cur().indent() > indent ? block(cur().indent()) : null);
      } else if (isItem(rest) || keyEnd(rest, l.number()) >= 0) {
        lines.set(
            pos,
            new Line(contentIndent, rest, l.number())); // the item's content, as a line of its own
        list.add(block(contentIndent));
      } else {
        pos++;
        list.add(scalarOrFlow(rest, l.number(), depth));
        if (pos < lines.size() && cur().indent() > indent) {
          throw new Unsupported("an item over several lines", cur().number());
        }
      }
    }
    depth--;
    return list;
  }

  /** Index of the {@code :} that ends a block key on this line, or -1 when the line is no key. */
  private static int keyEnd(String text, int line) throws Unsupported {
    if (text.startsWith("[") || text.startsWith("{")) {
      return -1;
    }
    int i = 0;
    if (text.startsWith("\"") || text.startsWith("'")) {
      i = quotedEnd(text, 0, line);
    }
    for (; i < text.length(); i++) {
      if (text.charAt(i) == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  /** Index just after the quoted scalar starting at {@code start}. */
  private static int quotedEnd(String s, int start, int line) throws Unsupported {
    char q = s.charAt(start);
    for (int i = start + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (q == '"' && c == '\\') {
        i++;
      } else if (c == q) {
        if (q == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
          i++;
        } else {
          return i + 1;
        }
      }
    }
    throw new Unsupported("an unterminated quoted scalar", line);
  }

  /**
   * @param depth collections open around this text
   */
  private static Object scalarOrFlow(String text, int line, int depth) throws Unsupported, TooDeep {
    int[] at = {0};
    Object value;
    char c = text.charAt(0);
    if (c == '[' || c == '{') {
      value = flow(text, at, line, depth);
    } else if (c == '"' || c == '\'') {
      value = quoted(text, at, line);
    } else {
      return plain(text, line);
    }
    if (!text.substring(at[0]).isBlank()) {
      throw new Unsupported("text after a collection or quoted scalar", line);
    }
    return value;
  }

  private static Object flow(String s, int[] at, int line, int depth) throws Unsupported, TooDeep {
    if (depth + 1 > MAX_DEPTH) {
      throw new TooDeep(line);
    }
    char open = s.charAt(at[0]++);
    char close = open == '[' ? ']' : '}';
    List<Object> list = new ArrayList<>();
    Map<String, Object> map = new LinkedHashMap<>();
    skipSpaces(s, at);
    if (at[0] < s.length() && s.charAt(at[0]) == close) {
      at[0]++;
      return open == '[' ? list : map;
    }
    while (true) {
      Object item = flowValue(s, at, line, open == '{', depth + 1);
      skipSpaces(s, at);
      if (open == '{') {
        if (!(item instanceof String) || at[0] >= s.length() || s.charAt(at[0]) != ':') {
          throw new Unsupported("a flow mapping entry without a string key", line);
        }
        at[0]++;
        skipSpaces(s, at);
        Object value =
            at[0] < s.length() && (s.charAt(at[0]) == ',' || s.charAt(at[0]) == '}')
                ? null
                : flowValue(s, at, line, false, depth + 1);
        map.put((String) item, value);
        skipSpaces(s, at);
      } else {
        list.add(item);
      }
      if (at[0] >= s.length()) {
        throw new Unsupported("a flow collection over several lines", line);
      }
      char c = s.charAt(at[0]++);
      if (c == close) {
        return open == '[' ? list : map;
      }
      if (c != ',') {
        throw new Unsupported("unexpected '" + c + "' in a flow collection", line);
      }
      skipSpaces(s, at);
    }
  }

  private static Object flowValue(String s, int[] at, int line, boolean key, int depth)
      throws Unsupported, TooDeep {
    skipSpaces(s, at);
    if (at[0] >= s.length()) {
      throw new Unsupported("a flow collection over several lines", line);
    }
    char c = s.charAt(at[0]);
    if (c == '[' || c == '{') {
      return flow(s, at, line, depth);
    }
    if (c == '"' || c == '\'') {
      return quoted(s, at, line);
    }
    int start = at[0];
    while (at[0] < s.length()) {
      char d = s.charAt(at[0]);
      if (d == ','
          || d == ']'
          || d == '}'
          || d == '['
          || d == '{'
          || (d == ':' && (key || at[0] + 1 == s.length() || s.charAt(at[0] + 1) == ' '))) {
        break;
      }
      at[0]++;
    }
    String text = s.substring(start, at[0]).strip();
    if (text.isEmpty()) {
      throw new Unsupported("an empty entry in a flow collection", line);
    }
    return plain(text, line);
  }

  private static void skipSpaces(String s, int[] at) {
    while (at[0] < s.length() && s.charAt(at[0]) == ' ') {
      at[0]++;
    }
  }

  private static String quoted(String s, int[] at, int line) throws Unsupported {
    int start = at[0];
    int end = quotedEnd(s, start, line);
    at[0] = end;
    String body = s.substring(start + 1, end - 1);
    if (s.charAt(start) == '\'') {
      return body.replace("''", "'");
    }
    StringBuilder b = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = body.charAt(++i);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        default -> throw new Unsupported("the escape \\" + e, line);
      }
    }
    return b.toString();
  }

  /** A plain scalar: null for {@code ~}/{@code null}; the text itself otherwise. */
  private static String plain(String text, int line) throws Unsupported {
    char c = text.charAt(0);
    if ("&*!|>%@`".indexOf(c) >= 0) {
      throw new Unsupported("an anchor, alias, tag, block scalar or reserved indicator", line);
    }
    if (c == '-' && text.length() > 1 && text.charAt(1) == ' ') {
      throw new Unsupported("a sequence where a scalar was expected", line);
    }
    if (text.contains(": ") || text.endsWith(":") || text.contains(" #")) {
      throw new Unsupported("a mapping where a scalar was expected", line);
    }
    switch (text) {
      case "~", "null", "Null", "NULL":
        return null;
      default:
        break;
    }
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("yes")
        || lower.equals("no")
        || lower.equals("on")
        || lower.equals("off")
        || ((lower.equals("true") || lower.equals("false")) && !text.equals(lower))) {
      throw new Unsupported("a YAML 1.1 boolean spelling", line);
    }
    return text;
  }
}
