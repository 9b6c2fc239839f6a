package dev.etlprofiler.agent.instrument.weave;

import java.lang.instrument.Instrumentation;

/**
 * One instrumented library or framework (ETL methods, JDBC, HTTP clients, Kafka clients, …): the
 * classes it matches, how it weaves them, and what it does once installed. Each lives in a package
 * of its own under {@code dev.etlprofiler.agent.instrument}, beside its advice, with its recording
 * state in the matching {@code dev.etlprofiler.core} package; {@code Libraries} lists them.
 */
public interface Library {
  /** A short name for logs: {@code jdbc}, {@code http}, … */
  String name();

  /**
   * The class woven, or null to leave it as it is. Called for every class the JVM loads or
   * retransforms, on the loading thread: a library rejects most classes by name, or by a scan of
   * their bytes, before parsing anything. May throw; the {@link Transformer} logs and carries on.
   *
   * @param loader the defining loader, null for the boot loader
   * @param internalName e.g. {@code org/h2/jdbc/JdbcStatement}
   * @param redefined the class being retransformed, or null when it is loaded for the first time (a
   *     retransformed class cannot gain fields or interfaces)
   */
  byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes);

  /**
   * Called once the transformer is registered: a library retransforms here the classes it
   * instruments that were loaded before (an agent attached late, or classes the JVM loads before
   * any premain). {@code attached} is true when the agent was attached to a running JVM.
   */
  default void installed(Instrumentation inst, boolean attached) {}

  /**
   * The classes this library matches by name (internal names), each with the rules of the methods
   * it weaves there; empty for a library that selects classes otherwise (by supertype, by
   * configuration). For tests and documentation: the rules exist once, here.
   */
  default java.util.Map<String, java.util.List<MethodRule>> rulesByClass() {
    return java.util.Map.of();
  }
}
