package dev.etlprofiler.agent.instrument.weave;

import java.util.regex.Pattern;

/**
 * Wildcards for class and method names: {@code *} matches within one package segment, {@code **}
 * matches across segments, {@code ?} matches one character. {@code com.acme.*Stage} matches {@code
 * com.acme.ParseStage} but not {@code com.acme.sub.ParseStage}; {@code com.acme.**} matches both.
 * In class patterns a single {@code *} or {@code ?} stays within one nesting level too: {@code
 * Job$*} matches {@code Job$Parse} but not the classes frameworks generate inside it ({@code
 * Job$Parse$DoFnInvoker$…}). A class pattern without a dot ({@link #compileClass}) is matched
 * against the simple name, in any package and at any nesting: {@code *Test} matches {@code
 * com.acme.ParseTest} and {@code com.acme.Suite$ParseTest}.
 */
public final class NamePattern {
  private NamePattern() {}

  public static Pattern compile(String glob) {
    return Pattern.compile(regex(glob, "."));
  }

  /**
   * A class-name pattern. One without a dot names classes by their simple name, in any package
   * (nested classes keep their {@code $}: {@code Job$*}); one with a dot is matched against the
   * whole binary name.
   */
  public static Pattern compileClass(String glob) {
    return Pattern.compile(
        glob.indexOf('.') < 0 ? "(?:.*[.$])?" + regex(glob, ".$") : regex(glob, ".$"));
  }

  /** Every class pattern compiled ({@link #compileClass}). */
  public static java.util.List<Pattern> compileAllClasses(java.util.List<String> globs) {
    java.util.List<Pattern> out = new java.util.ArrayList<>(globs.size());
    for (String g : globs) {
      out.add(compileClass(g));
    }
    return java.util.List.copyOf(out);
  }

  /**
   * The glob as a regular expression; a single {@code *} or {@code ?} never matches {@code stops}.
   */
  private static String regex(String glob, String stops) {
    String within = "[^" + stops + "]"; // '.' and '$' are literal inside a character class
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          re.append(".*");
          i++;
        } else {
          re.append(within).append('*');
        }
      } else if (c == '?') {
        re.append(within);
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  /** Every glob compiled. */
  public static java.util.List<Pattern> compileAll(java.util.List<String> globs) {
    java.util.List<Pattern> out = new java.util.ArrayList<>(globs.size());
    for (String g : globs) {
      out.add(compile(g));
    }
    return java.util.List.copyOf(out);
  }

  /** Whether any of the patterns matches the whole name (loops, not streams: start-up path). */
  public static boolean anyMatches(java.util.List<Pattern> patterns, String name) {
    for (Pattern p : patterns) {
      if (p.matcher(name).matches()) return true;
    }
    return false;
  }

  public static boolean matches(String glob, String name) {
    return compile(glob).matcher(name).matches();
  }

  public static boolean matchesClass(String glob, String className) {
    return compileClass(glob).matcher(className).matches();
  }
}
