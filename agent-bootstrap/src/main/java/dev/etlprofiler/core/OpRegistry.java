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

  /**
   * At most this many distinct (kind, name) pairs get an id of their own; the rest share the id of
   * {@code (other)}. The call tree is capped by {@code limits.max-operations}, but names are
   * registered before a node exists: a job naming an API operation {@code "op-" + i} a million
   * times must not grow the registry (measured before the cap: 40,000 names took 20 s and a million
   * filled a 512 MiB heap).
   */
  static final int MAX_IDS = 16_384;

  private static final java.util.concurrent.atomic.AtomicLong FOLDED =
      new java.util.concurrent.atomic.AtomicLong();

  private static volatile int otherId = -1;

  private OpRegistry() {}

  /** The id of (kind, name), registering it on first use; {@code (other)}'s beyond the cap. */
  public static int id(String kind, String name) {
    String key = kind + '\u0000' + name;
    Integer id = IDS.get(key);
    if (id != null) {
      return id;
    }
    if (size >= MAX_IDS) {
      FOLDED.incrementAndGet();
      int other = otherId;
      return other >= 0
          ? other
          : register(Kind.OTHER + '\u0000' + "(other)", Kind.OTHER, "(other)");
    }
    return register(key, kind, name);
  }

  /** Calls of names beyond the cap since the last call (each such call, not each name). */
  public static long takeFolded() {
    return FOLDED.getAndSet(0);
  }

  private static int register(String key, String kind, String name) {
    Integer id;
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
      if (kind.equals(Kind.OTHER) && name.equals("(other)")) {
        otherId = next;
      }
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
