package dev.etlprofiler.core.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Safe, bounded names for HTTP endpoints: {@code METHOD scheme://host:port/path-template}. The
 * query string, the fragment and any user-info are never part of a name (no API keys or passwords
 * reach a snapshot); path segments that are numbers, UUIDs or long hex ids become {@code {n}},
 * {@code {uuid}}, {@code {hex}}; configured templates ({@code clients.http.path-templates}) name
 * whole families of paths; after {@code clients.http.max-endpoints-per-host} distinct names a
 * host's further endpoints share one {@code (other)} name.
 */
public final class Endpoints {
  /** Compiled at the first HTTP call, not when the agent configures this class at start-up. */
  private static final class Ids {
    static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    static final Pattern UUID =
        Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{16,}");
  }

  private static final ConcurrentHashMap<String, Set<String>> BY_HOST = new ConcurrentHashMap<>();
  private static volatile int maxPerHost = 100;
  private static volatile String[][] templates = new String[0][];

  private Endpoints() {}

  /** Configures the cap per host and the path templates (e.g. {@code /regions/{state}}). */
  public static void configure(int max, java.util.List<String> pathTemplates) {
    maxPerHost = max;
    String[][] t = new String[pathTemplates.size()][];
    for (int i = 0; i < t.length; i++) {
      t[i] = segments(pathTemplates.get(i));
    }
    templates = t;
  }

  /**
   * The endpoint name of a request. {@code scheme}, {@code host}, {@code port} (-1: the scheme's
   * default) and {@code path} as a URI gives them; anything after {@code ?} or {@code #} in path is
   * dropped.
   */
  public static String name(String method, String scheme, String host, int port, String path) {
    String s = scheme == null ? "http" : scheme.toLowerCase(java.util.Locale.ROOT);
    int p = port >= 0 ? port : ("https".equals(s) ? 443 : 80);
    String origin =
        s + "://" + (host == null ? "unknown" : host.toLowerCase(java.util.Locale.ROOT)) + ":" + p;
    String name = (method == null ? "GET" : method) + " " + origin + template(path);
    Set<String> seen = BY_HOST.computeIfAbsent(origin, k -> ConcurrentHashMap.newKeySet());
    if (seen.contains(name)) {
      return name;
    }
    if (seen.size() >= maxPerHost) {
      return (method == null ? "GET" : method) + " " + origin + "/(other)";
    }
    seen.add(name);
    return name;
  }

  static String template(String rawPath) {
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    int cut = indexOfAny(path, '?', '#', ';');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    String[] segs = segments(path);
    for (String[] t : templates) {
      if (t.length == segs.length && matches(t, segs)) {
        return "/" + String.join("/", t);
      }
    }
    StringBuilder b = new StringBuilder();
    for (String seg : segs) {
      b.append('/');
      if (Ids.NUMBER.matcher(seg).matches()) {
        b.append("{n}");
      } else if (Ids.UUID.matcher(seg).matches()) {
        b.append("{uuid}");
      } else if (Ids.HEX.matcher(seg).matches()) {
        b.append("{hex}");
      } else {
        b.append(seg);
      }
    }
    return b.length() == 0 ? "/" : b.toString();
  }

  private static boolean matches(String[] template, String[] segs) {
    for (int i = 0; i < template.length; i++) {
      boolean placeholder = template[i].startsWith("{") && template[i].endsWith("}");
      if (!placeholder && !template[i].equals(segs[i])) return false;
    }
    return true;
  }

  private static String[] segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
    return p.isEmpty() ? new String[0] : p.split("/");
  }

  private static int indexOfAny(String s, char... chars) {
    int best = -1;
    for (char c : chars) {
      int i = s.indexOf(c);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    return best;
  }
}
