package dev.etlprofiler.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's only output channel: one line per message on stderr, prefixed. */
public final class AgentLog {
  private static final String PREFIX = "[etl-profiler] ";
  private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
  private static volatile boolean debug;

  private AgentLog() {}

  public static void debug(boolean enabled) {
    debug = enabled;
  }

  public static boolean isDebug() {
    return debug;
  }

  public static void info(String message) {
    System.err.println(PREFIX + message);
  }

  public static void debug(String message) {
    if (debug) {
      System.err.println(PREFIX + "debug: " + message);
    }
  }

  /** Prints the message only the first time this key is seen. */
  public static void warnOnce(String key, String message) {
    if (ONCE.add(key)) {
      System.err.println(PREFIX + message);
    }
  }
}
