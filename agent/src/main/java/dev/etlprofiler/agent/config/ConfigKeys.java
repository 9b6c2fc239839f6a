package dev.etlprofiler.agent.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every configuration key, its type and its default. {@code docs/configuration.md} documents each
 * of them (a test keeps the two in step).
 */
public final class ConfigKeys {
  public enum Type {
    BOOLEAN("true or false"),
    DURATION("a duration such as 500ms, 10s, 2m (a plain number is seconds)"),
    INT("a whole number"),
    DECIMAL("a number"),
    STRING("a string"),
    PATH("a file system path"),
    LIST("a list (YAML list, or comma-separated in -D/environment/agent arguments)"),
    MAP("a map of names to strings"),
    TARGETS("a list of targets (see docs/configuration.md)"),
    ENUM("one of the allowed values");

    final String allowed;

    Type(String allowed) {
      this.allowed = allowed;
    }
  }

  /** One key: its type, its default (as text; null when it has none) and, for enums, the values. */
  public record Key(String name, Type type, String defaultValue, String... values) {}

  public static final Map<String, Key> ALL = new LinkedHashMap<>();

  static {
    add("enabled", Type.BOOLEAN, "true");
    add("debug", Type.BOOLEAN, "false");
    add("output.dir", Type.PATH, "./profiler-out");
    add("output.interval", Type.DURATION, "10s");
    add("resources.enabled", Type.BOOLEAN, "true");
    add("resources.interval", Type.DURATION, "1s");
    add("resources.process-metrics", Type.ENUM, "auto", "auto", "proc", "oshi");
    add("run.id", Type.STRING, null);
    add("run.labels", Type.MAP, null);
    add("session.dataset", Type.STRING, null);
    add("session.source", Type.STRING, null);
    add("instrument.annotations", Type.BOOLEAN, "true");
    add("instrument.targets", Type.TARGETS, null);
    add("instrument.classes", Type.LIST, null);
    add("instrument.packages", Type.LIST, null);
    add("instrument.subtypes-of", Type.LIST, null);
    add("instrument.annotated-with", Type.LIST, null);
    add("instrument.methods", Type.LIST, null);
    add("instrument.presets", Type.LIST, null);
    add("instrument.framework-internals", Type.BOOLEAN, "false");
    add("instrument.exclude.classes", Type.LIST, null);
    add("instrument.exclude.packages", Type.LIST, null);
    add("limits.max-operations", Type.INT, "1000");
    add("overhead.cpu-budget", Type.DECIMAL, "3");
    add("clients.http.enabled", Type.BOOLEAN, "true");
    add("clients.http.max-endpoints-per-host", Type.INT, "100");
    add("clients.http.path-templates", Type.LIST, null);
    add("clients.jdbc.enabled", Type.BOOLEAN, "true");
    add("clients.kafka.enabled", Type.BOOLEAN, "true");
  }

  /** Keys allowed inside one entry of {@code instrument.targets}. */
  public static final java.util.List<String> TARGET_KEYS =
      java.util.List.of(
          "classes", "packages", "subtypes-of", "annotated-with", "methods", "exclude-methods");

  private static void add(String name, Type type, String def, String... values) {
    ALL.put(name, new Key(name, type, def, values));
  }

  private ConfigKeys() {}

  /** The environment variable for a key: {@code output.dir} → {@code PROFILER_OUTPUT_DIR}. */
  public static String envName(String key) {
    return "PROFILER_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
