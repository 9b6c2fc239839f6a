package dev.etlprofiler.report.render;

/**
 * Text from snapshots made safe to show: every control character (C0, DEL, C1), every bidi control
 * (ALM, LRM, RLM, LRE … RLO, LRI … PDI), the line and paragraph separators, the invisible ZWSP, WJ
 * and BOM, and any unpaired surrogate become a visible escape: a backslash, {@code u} and the
 * character's four hex digits (U+202E, the right-to-left override, shows as backslash-u202E). A
 * NUL, an ANSI escape sequence or an override in an operation name then can neither drive a
 * terminal, hide text nor reorder what is around it (CVE-2021-42574), and the report still says
 * what was there. Zero-width joiners and non-joiners are kept: emoji and many scripts need them.
 * Backslashes are not escaped, so a name holding those six characters looks like one holding the
 * override; the report is for reading, the JSON keeps the exact text.
 */
public final class Visible {
  private Visible() {}

  /** {@code s} with every character that is not shown as itself escaped, line ends included. */
  public static String of(String s) {
    return escape(s, false);
  }

  /** The same for multi-line text: its {@code \n} line ends are kept. */
  public static String lines(String s) {
    return escape(s, true);
  }

  /**
   * At most {@code max} chars of {@code s}, the last replaced by "…" when it is longer, never cut
   * between the two halves of a surrogate pair.
   */
  public static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max - 1;
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "…";
  }

  private static String escape(String s, boolean keepNewlines) {
    int i = 0;
    while (i < s.length() && !escaped(s, i, keepNewlines)) {
      i++;
    }
    if (i == s.length()) {
      return s; // the common case: nothing to do
    }
    StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (escaped(s, i, keepNewlines)) {
        b.append(String.format("\\u%04X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean escaped(String s, int i, boolean keepNewlines) {
    char c = s.charAt(i);
    if (c >= ' ' && c < 0x7f) {
      return false;
    }
    if (c == '\n') {
      return !keepNewlines;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return c < ' '
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x061C
        || c == 0x200B
        || c == 0x200E
        || c == 0x200F
        || (c >= 0x2028 && c <= 0x202E)
        || c == 0x2060
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0xFEFF;
  }
}
