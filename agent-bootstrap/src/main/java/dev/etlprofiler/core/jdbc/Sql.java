package dev.etlprofiler.core.jdbc;

import java.util.Locale;

/**
 * Names a SQL statement by its kind and table, cheaply and without its literals: {@code INSERT
 * airports}, {@code SELECT orders}, {@code UPDATE public.accounts}. Only keywords and the
 * identifier after FROM/INTO/UPDATE/TABLE are read; everything else — values, predicates — is
 * dropped, so no data from a statement reaches a snapshot.
 */
public final class Sql {
  /** Names of plain {@code execute(sql)} statements already parsed; bounded. */
  private static final java.util.concurrent.ConcurrentHashMap<String, String> NAMES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** At most this many SQL texts are kept in {@link #NAMES}; later ones are parsed every time. */
  static final int MAX_CACHED = 512;

  /** Longer SQL texts are not kept (a generated multi-row INSERT would hold its data). */
  static final int MAX_CACHED_LENGTH = 2048;

  private Sql() {}

  /**
   * {@link #name} of a statement executed as a plain string, parsed once per distinct text: a job
   * repeats the same few statements, and parsing one (comment stripping, keyword scan) costs more
   * than the lookup. The cache is lock-free to read and bounded in entries and in text length; the
   * texts live only in memory, never in a snapshot.
   */
  static String cachedName(String sql) {
    String name = NAMES.get(sql);
    if (name != null) {
      return name;
    }
    name = name(sql);
    if (sql.length() <= MAX_CACHED_LENGTH && NAMES.size() < MAX_CACHED) {
      NAMES.putIfAbsent(sql, name);
    }
    return name;
  }

  public static String name(String sql) {
    String masked = mask(sql);
    String s = masked == null ? sql.trim() : masked.trim();
    String kind = word(s, 0);
    String upper = kind.toUpperCase(Locale.ROOT);
    String table =
        switch (upper) {
          case "SELECT", "DELETE" -> after(s, "FROM");
          case "INSERT", "MERGE", "UPSERT", "REPLACE" -> after(s, "INTO");
          case "UPDATE" -> identifier(s, kind.length());
          case "CREATE", "DROP", "ALTER", "TRUNCATE" -> after(s, "TABLE");
          default -> null;
        };
    String k =
        switch (upper) {
          case "SELECT",
              "INSERT",
              "UPDATE",
              "DELETE",
              "MERGE",
              "UPSERT",
              "REPLACE",
              "CREATE",
              "DROP",
              "ALTER",
              "TRUNCATE",
              "CALL",
              "WITH",
              "BEGIN",
              "COMMIT",
              "ROLLBACK",
              "SET",
              "SHOW",
              "EXPLAIN" ->
              upper;
          default -> "OTHER";
        };
    if (masked == null) {
      return k; // an unterminated literal or comment: the kind alone is safe
    }
    return table == null || table.isEmpty() ? k : k + " " + table;
  }

  /**
   * The statement's first 4,096 characters with comments removed and every string literal replaced
   * by {@code ?}: standard {@code '...'} (a doubled quote inside), PostgreSQL {@code E'...'}
   * (backslash escapes) and dollar quotes ({@code $$...$$}, {@code $tag$...$tag$}). Quoted
   * identifiers ({@code "..."}, {@code `...`}, {@code [...]}) are kept: they are names. Null when a
   * literal or comment does not end within the text read: then no word after the kind can be told
   * apart from data, and the statement is named by its kind alone.
   */
  static String mask(String sql) {
    int n = Math.min(sql.length(), 4096); // the kind and table are near the start
    StringBuilder b = new StringBuilder(Math.min(n, 512));
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && sql.startsWith("--", i)) {
        int nl = sql.indexOf('\n', i);
        if (nl < 0 || nl >= n) return null;
        i = nl + 1;
        b.append(' ');
      } else if (c == '/' && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0 || end + 2 > n) return null;
        i = end + 2;
        b.append(' ');
      } else if (c == '\'') {
        boolean backslashes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
        int end = endOfQuoted(sql, i + 1, n, backslashes);
        if (end < 0) return null;
        i = end;
        b.append('?');
      } else if (c == '$' && (i == 0 || !identifierPart(sql.charAt(i - 1)))) {
        int tagEnd = sql.indexOf('$', i + 1);
        String tag = tagEnd < 0 ? null : sql.substring(i, tagEnd + 1);
        if (tag != null && validTag(tag)) {
          int end = sql.indexOf(tag, tagEnd + 1);
          if (end < 0 || end + tag.length() > n) return null;
          i = end + tag.length();
          b.append('?');
        } else {
          b.append(c);
          i++;
        }
      } else {
        b.append(c);
        i++;
      }
    }
    return b.toString();
  }

  /** The index after the closing quote of a literal whose text starts at {@code from}, or -1. */
  private static int endOfQuoted(String sql, int from, int n, boolean backslashes) {
    int i = from;
    while (i < n) {
      char c = sql.charAt(i);
      if (backslashes && c == '\\') {
        i += 2;
      } else if (c == '\'') {
        if (i + 1 < n && sql.charAt(i + 1) == '\'') {
          i += 2; // a doubled quote inside the literal
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return -1;
  }

  /** {@code $$} or {@code $tag$} with a tag of letters, digits and underscores. */
  private static boolean validTag(String tag) {
    for (int i = 1; i < tag.length() - 1; i++) {
      char c = tag.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '_') return false;
    }
    return tag.length() == 2 || !Character.isDigit(tag.charAt(1));
  }

  private static boolean identifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static String word(String s, int from) {
    int i = from;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    int start = i;
    while (i < s.length() && Character.isLetter(s.charAt(i))) i++;
    return s.substring(start, i);
  }

  /** The identifier after the first whole-word keyword, or null. */
  private static String after(String s, String keyword) {
    String upper = s.toUpperCase(Locale.ROOT);
    int i = 0;
    while ((i = upper.indexOf(keyword, i)) >= 0) {
      boolean wordStart = i == 0 || !Character.isLetterOrDigit(upper.charAt(i - 1));
      int end = i + keyword.length();
      boolean wordEnd = end >= upper.length() || !Character.isLetterOrDigit(upper.charAt(end));
      if (wordStart && wordEnd) {
        String id = identifier(s, end);
        // skip IF [NOT] EXISTS in DDL
        if (id.equalsIgnoreCase("IF")) {
          return after(s.substring(end), "EXISTS");
        }
        return id;
      }
      i = end;
    }
    return null;
  }

  private static String identifier(String s, int from) {
    int i = from;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    int start = i;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c)
          || c == '_'
          || c == '.'
          || c == '"'
          || c == '`'
          || c == '$') {
        i++;
      } else {
        break;
      }
    }
    return s.substring(start, i).replace("\"", "").replace("`", "");
  }
}
