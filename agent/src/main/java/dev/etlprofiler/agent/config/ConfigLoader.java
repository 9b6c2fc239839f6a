package dev.etlprofiler.agent.config;

import dev.etlprofiler.agent.config.ConfigKeys.Key;
import dev.etlprofiler.agent.config.ConfigKeys.Type;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the configuration from, lowest precedence first: defaults, the YAML file, the agent
 * arguments ({@code -javaagent:profiler-agent.jar=config=FILE,key=value,...}), {@code PROFILER_*}
 * environment variables and {@code -Dprofiler.*} system properties.
 *
 * <p>Never throws on bad input: each problem becomes one line in {@link Result#problems()} naming
 * the key, the bad value and what is allowed, and the key keeps its default.
 */
public final class ConfigLoader {

  /** The configuration and the problems found while reading it. */
  public record Result(ProfilerConfig config, List<String> problems) {}

  private final List<String> problems = new ArrayList<>();

  /** Flat view: key → raw value (String, List, Map) from the source that wins. */
  private final Map<String, Object> values = new LinkedHashMap<>();

  private ConfigLoader() {}

  public static Result load(
      String agentArgs, Map<String, String> env, Properties system, long pid) {
    ConfigLoader loader = new ConfigLoader();
    Map<String, String> args = loader.parseAgentArgs(agentArgs);
    String file =
        firstNonNull(
            system.getProperty("profiler.config"),
            env.get("PROFILER_CONFIG"),
            args.remove("config"));
    if (file != null) {
      loader.readFile(Path.of(file));
    }
    for (Map.Entry<String, String> e : args.entrySet()) {
      loader.override(e.getKey(), e.getValue(), "agent argument");
    }
    loader.readEnvironment(env);
    loader.readSystemProperties(system);
    return new Result(loader.build(pid), List.copyOf(loader.problems));
  }

  private static String firstNonNull(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) return v;
    }
    return null;
  }

  private Map<String, String> parseAgentArgs(String agentArgs) {
    Map<String, String> out = new LinkedHashMap<>();
    if (agentArgs == null || agentArgs.isBlank()) {
      return out;
    }
    for (String part : agentArgs.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        problems.add(
            "agent argument '" + part + "' is not key=value (expected e.g. config=profiler.yaml)");
        continue;
      }
      out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return out;
  }

  // ---- the YAML file ----

  private void readFile(Path file) {
    if (!file.toFile().isFile()) {
      problems.add(
          "config file "
              + file
              + " not found; using defaults (annotated methods are still profiled)");
      return;
    }
    Object tree;
    try {
      tree = readYaml(file);
    } catch (IOException | RuntimeException e) {
      String msg = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
      problems.add("config file " + file + " is not valid YAML (" + msg + "); using defaults");
      return;
    }
    if (!(tree instanceof Map)) {
      problems.add(
          "config file "
              + file
              + " must be a YAML map of keys (see docs/configuration.md); using defaults");
      return;
    }
    flatten("", (Map<?, ?>) tree, file.toString());
  }

  /** The agent's own reader for the usual subset of YAML; Jackson for anything beyond it. */
  static Object readYaml(Path file) throws IOException {
    // java.io, not Files.readString: the NIO channel classes it loads cost a few ms of start-up
    String text;
    try (java.io.FileInputStream in = new java.io.FileInputStream(file.toFile())) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    try {
      return MiniYaml.parse(text);
    } catch (MiniYaml.Unsupported | RuntimeException beyondTheSubset) {
      return YamlTree.read(file);
    }
  }

  private void flatten(String prefix, Map<?, ?> map, String source) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      Key known = ConfigKeys.ALL.get(key);
      if (known != null) {
        if (e.getValue() != null) values.put(key, e.getValue());
      } else if (e.getValue() instanceof Map && isPrefixOfKnown(key + ".")) {
        flatten(key + ".", (Map<?, ?>) e.getValue(), source);
      } else {
        problems.add("unknown key '" + key + "' in " + source + " (ignored); " + suggestion(key));
      }
    }
  }

  private static boolean isPrefixOfKnown(String prefix) {
    for (String k : ConfigKeys.ALL.keySet()) {
      if (k.startsWith(prefix)) return true;
    }
    return false;
  }

  private static String suggestion(String key) {
    int dot = key.lastIndexOf('.');
    String prefix = dot < 0 ? "" : key.substring(0, dot + 1);
    List<String> siblings =
        ConfigKeys.ALL.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    return "allowed keys"
        + (prefix.isEmpty() ? "" : " under '" + prefix + "'")
        + ": "
        + String.join(", ", siblings.isEmpty() ? ConfigKeys.ALL.keySet() : siblings);
  }

  // ---- overrides ----

  private void readEnvironment(Map<String, String> env) {
    for (Key key : ConfigKeys.ALL.values()) {
      if (key.type() == Type.MAP) {
        String prefix = ConfigKeys.envName(key.name()) + "_";
        for (Map.Entry<String, String> e : env.entrySet()) {
          String name = e.getKey();
          if (name.startsWith(prefix) && name.length() > prefix.length()) {
            putMapEntry(
                key.name(), name.substring(prefix.length()).toLowerCase(Locale.ROOT), e.getValue());
          }
        }
      } else {
        String value = env.get(ConfigKeys.envName(key.name()));
        if (value != null)
          override(key.name(), value, "environment " + ConfigKeys.envName(key.name()));
      }
    }
  }

  private void readSystemProperties(Properties system) {
    for (String name : system.stringPropertyNames()) {
      if (!name.startsWith("profiler.") || name.equals("profiler.config")) continue;
      override(name.substring("profiler.".length()), system.getProperty(name), "-D" + name);
    }
  }

  private void override(String key, String value, String source) {
    Key known = ConfigKeys.ALL.get(key);
    if (known == null) {
      for (Key k : ConfigKeys.ALL.values()) {
        if (k.type() == Type.MAP && key.startsWith(k.name() + ".")) {
          putMapEntry(k.name(), key.substring(k.name().length() + 1), value);
          return;
        }
      }
      problems.add("unknown key '" + key + "' from " + source + " (ignored); " + suggestion(key));
      return;
    }
    if (known.type() == Type.TARGETS) {
      problems.add(
          "'"
              + key
              + "' can only be set in the YAML file; from "
              + source
              + " use instrument.classes, instrument.packages, instrument.methods ... instead");
      return;
    }
    values.put(key, value);
  }

  @SuppressWarnings("unchecked")
  private void putMapEntry(String key, String entry, String value) {
    Object current = values.get(key);
    Map<String, Object> map =
        current instanceof Map
            ? new LinkedHashMap<>((Map<String, Object>) current)
            : new LinkedHashMap<>();
    map.put(entry, value);
    values.put(key, map);
  }

  // ---- typed values ----

  private ProfilerConfig build(long pid) {
    String runId = string("run.id");
    if (runId == null) {
      runId = generatedRunId(pid);
    } else if (!runId.matches("[A-Za-z0-9._-]{1,128}")) {
      problems.add(
          "bad value for run.id: '"
              + runId
              + "' (allowed: 1-128 letters, digits, '.', '_' or '-'); using a generated id");
      runId = generatedRunId(pid);
    }
    List<Target> targets = new ArrayList<>(targets());
    Target shorthand =
        new Target(
            list("instrument.classes"),
            list("instrument.packages"),
            list("instrument.subtypes-of"),
            list("instrument.annotated-with"),
            list("instrument.methods"),
            List.of());
    if (shorthand.selectsTypes()) {
      targets.add(shorthand);
    } else if (!shorthand.methods().isEmpty()) {
      problems.add(
          "instrument.methods is set but no instrument.classes, instrument.packages, "
              + "instrument.subtypes-of or instrument.annotated-with says in which types; ignored");
    }
    List<String> presets = new ArrayList<>();
    for (String preset : list("instrument.presets")) {
      if (Presets.get(preset) == null) {
        problems.add(
            "bad value in instrument.presets: '"
                + preset
                + "' (allowed: "
                + String.join(", ", Presets.names())
                + ")");
      } else {
        presets.add(preset);
        targets.addAll(Presets.get(preset));
        if (bool("instrument.framework-internals")) {
          targets.addAll(Presets.internals(preset));
        }
      }
    }
    return new ProfilerConfig(
        bool("enabled"),
        Path.of(string("output.dir")),
        duration("output.interval", Duration.ofMillis(100)),
        bool("resources.enabled"),
        duration("resources.interval", Duration.ofMillis(10)),
        enumeration("resources.process-metrics"),
        runId,
        map("run.labels"),
        string("session.dataset"),
        string("session.source"),
        bool("instrument.annotations"),
        List.copyOf(targets),
        List.copyOf(presets),
        list("instrument.exclude.classes"),
        list("instrument.exclude.packages"),
        integer("limits.max-operations", 10, 1_000_000),
        decimal("overhead.cpu-budget", 0, 100),
        bool("clients.http.enabled"),
        integer("clients.http.max-endpoints-per-host", 1, 100_000),
        pathTemplates(),
        bool("clients.jdbc.enabled"),
        bool("clients.kafka.enabled"),
        bool("debug"));
  }

  /**
   * {@code yyyyMMdd-HHmmss-pid} in UTC, computed from the epoch by hand: {@code
   * LocalDateTime.now()} reads the time-zone database, about 10 ms of start-up. UTC also makes the
   * ids of one fleet's JVMs comparable across time zones.
   */
  static String generatedRunId(long pid) {
    return utcStamp(System.currentTimeMillis()) + "-" + pid;
  }

  /** {@code yyyyMMdd-HHmmss} of an epoch time in UTC (the proleptic Gregorian calendar). */
  static String utcStamp(long epochMillis) {
    long seconds = Math.floorDiv(epochMillis, 1000);
    long days = Math.floorDiv(seconds, 86_400);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    // civil-from-days (H. Hinnant's algorithm): days since 1970-01-01 to year, month, day
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    StringBuilder b = new StringBuilder(16).append(year);
    for (int field :
        new int[] {month, day, -1, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60}) {
      if (field < 0) {
        b.append('-');
      } else {
        b.append(field < 10 ? "0" : "").append(field);
      }
    }
    return b.toString();
  }

  private Object raw(String key) {
    return values.containsKey(key) ? values.get(key) : ConfigKeys.ALL.get(key).defaultValue();
  }

  private String defaultOf(String key) {
    return ConfigKeys.ALL.get(key).defaultValue();
  }

  private void bad(String key, Object value, String allowed) {
    problems.add(
        "bad value for "
            + key
            + ": '"
            + value
            + "' (allowed: "
            + allowed
            + "); using the default "
            + (defaultOf(key) == null ? "(none)" : defaultOf(key)));
  }

  private String string(String key) {
    Object v = raw(key);
    if (v == null) return null;
    if (v instanceof Map || v instanceof List) {
      bad(key, v, ConfigKeys.ALL.get(key).type().allowed);
      return defaultOf(key);
    }
    String s = v.toString().trim();
    return s.isEmpty() ? defaultOf(key) : s;
  }

  private boolean bool(String key) {
    String v = string(key);
    if ("true".equalsIgnoreCase(v) || "false".equalsIgnoreCase(v)) {
      return Boolean.parseBoolean(v);
    }
    bad(key, v, Type.BOOLEAN.allowed);
    return Boolean.parseBoolean(defaultOf(key));
  }

  private int integer(String key, int min, int max) {
    String v = string(key);
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    bad(key, v, "a whole number from " + min + " to " + max);
    return Integer.parseInt(defaultOf(key));
  }

  private double decimal(String key, double min, double max) {
    String v = string(key);
    try {
      double d = Double.parseDouble(v);
      if (d >= min && d <= max) return d;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    bad(key, v, "a number from " + min + " to " + max);
    return Double.parseDouble(defaultOf(key));
  }

  private Duration duration(String key, Duration min) {
    String v = string(key);
    Duration d = parseDuration(v);
    if (d != null && d.compareTo(min) >= 0) return d;
    bad(key, v, Type.DURATION.allowed + ", at least " + min.toMillis() + "ms");
    return parseDuration(defaultOf(key));
  }

  /**
   * A number with an optional unit (ms, s, m, h; none is seconds), as in {@code 500ms} or {@code
   * 1.5 s}; null if it is not one. Parsed by hand: compiling a regex cost start-up time.
   */
  static Duration parseDuration(String v) {
    if (v == null) return null;
    String t = v.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) i++;
    if (i == 0) return null;
    if (i < t.length() && t.charAt(i) == '.') {
      int fraction = ++i;
      while (i < t.length() && Character.isDigit(t.charAt(i))) i++;
      if (i == fraction) return null;
    }
    double n = Double.parseDouble(t.substring(0, i));
    String unit = t.substring(i).trim();
    double millis;
    switch (unit) {
      case "ms" -> millis = n;
      case "", "s" -> millis = n * 1000;
      case "m" -> millis = n * 60_000;
      case "h" -> millis = n * 3_600_000;
      default -> {
        return null;
      }
    }
    return Duration.ofMillis(Math.round(millis));
  }

  private String enumeration(String key) {
    String v = string(key);
    List<String> allowed = List.of(ConfigKeys.ALL.get(key).values());
    if (allowed.contains(v)) return v;
    bad(key, v, String.join(", ", allowed));
    return defaultOf(key);
  }

  private List<String> list(String key) {
    return toList(key, raw(key));
  }

  private List<String> toList(String key, Object v) {
    if (v == null) return List.of();
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map || o instanceof List || o == null) {
          bad(key, o, Type.LIST.allowed + " of strings");
        } else if (!o.toString().isBlank()) {
          out.add(o.toString().trim());
        }
      }
    } else if (v instanceof Map) {
      bad(key, v, Type.LIST.allowed);
    } else {
      for (String s : v.toString().split(",")) {
        if (!s.isBlank()) out.add(s.trim());
      }
    }
    return List.copyOf(out);
  }

  private List<String> pathTemplates() {
    List<String> out = new ArrayList<>();
    for (String t : list("clients.http.path-templates")) {
      if (!t.startsWith("/")) {
        bad(
            "clients.http.path-templates",
            t,
            "paths starting with /, placeholders in braces, e.g. /regions/{state}");
      } else {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  private Map<String, String> map(String key) {
    Object v = raw(key);
    if (v == null) return Map.of();
    if (!(v instanceof Map<?, ?> m)) {
      bad(key, v, Type.MAP.allowed);
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.put(String.valueOf(e.getKey()), e.getValue() == null ? "" : String.valueOf(e.getValue()));
    }
    return Map.copyOf(out);
  }

  private List<Target> targets() {
    Object v = raw("instrument.targets");
    if (v == null) return List.of();
    if (!(v instanceof List<?> entries)) {
      bad("instrument.targets", v, Type.TARGETS.allowed);
      return List.of();
    }
    List<Target> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = "instrument.targets[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> t)) {
        bad(where, entries.get(i), "a map with keys " + String.join(", ", ConfigKeys.TARGET_KEYS));
        continue;
      }
      for (Object k : t.keySet()) {
        if (!ConfigKeys.TARGET_KEYS.contains(String.valueOf(k))) {
          problems.add(
              "unknown key '"
                  + where
                  + "."
                  + k
                  + "' (ignored); allowed keys in a target: "
                  + String.join(", ", ConfigKeys.TARGET_KEYS));
        }
      }
      Target target =
          new Target(
              toList(where + ".classes", t.get("classes")),
              toList(where + ".packages", t.get("packages")),
              toList(where + ".subtypes-of", t.get("subtypes-of")),
              toList(where + ".annotated-with", t.get("annotated-with")),
              toList(where + ".methods", t.get("methods")),
              toList(where + ".exclude-methods", t.get("exclude-methods")));
      if (!target.selectsTypes()) {
        problems.add(
            where
                + " selects no types (give classes, packages, subtypes-of or annotated-with); ignored");
        continue;
      }
      out.add(target);
    }
    return out;
  }
}
