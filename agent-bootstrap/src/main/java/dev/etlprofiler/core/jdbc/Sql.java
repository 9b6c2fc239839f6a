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
    String s = stripComments(sql).trim();
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
    return table == null || table.isEmpty() ? k : k + " " + table;
  }

  private static String stripComments(String sql) {
    StringBuilder b = new StringBuilder(Math.min(sql.length(), 512));
    int i = 0;
    int n = Math.min(sql.length(), 4096); // the kind and table are near the start
    while (i < n) {
      if (sql.startsWith("--", i)) {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        b.append(sql.charAt(i++));
      }
    }
    return b.toString();
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
