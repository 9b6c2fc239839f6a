package dev.etlprofiler.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Operation ids: every distinct (kind, name) gets a small int once, when a method is instrumented
 * or an API operation name is first seen. Advice carries the id as a constant, so the per-call path
 * never looks anything up by string.
 */
public final class OpRegistry {
  private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
  private static volatile String[] names = new String[64];
  private static volatile String[] kinds = new String[64];
  private static volatile int size;

  private OpRegistry() {}

  /** The id of (kind, name), registering it on first use. */
  public static int id(String kind, String name) {
    String key = kind + '\u0000' + name;
    Integer id = IDS.get(key);
    if (id != null) {
      return id;
    }
    synchronized (OpRegistry.class) {
      id = IDS.get(key);
      if (id != null) {
        return id;
      }
      int next = size;
      if (next == names.length) {
        String[] n = java.util.Arrays.copyOf(names, next * 2);
        String[] k = java.util.Arrays.copyOf(kinds, next * 2);
        n[next] = name;
        k[next] = kind;
        kinds = k;
        names = n;
      } else {
        names[next] = name;
        kinds[next] = kind;
      }
      size = next + 1;
      IDS.put(key, next);
      return next;
    }
  }

  /** Ids registered so far: 0 … count() - 1. */
  public static int count() {
    return size;
  }

  public static String name(int id) {
    return names[id];
  }

  public static String kind(int id) {
    return kinds[id];
  }
}
