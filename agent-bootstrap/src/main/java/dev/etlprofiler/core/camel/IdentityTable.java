package dev.etlprofiler.core.camel;

import java.lang.ref.WeakReference;

/**
 * A map from objects, compared by identity and held weakly, to values: Camel's processors and
 * definitions to what the agent resolved for them once. Lookups read one array without a lock; puts
 * are rare (once per route node, when Camel builds a route), locked, and bounded: beyond {@link
 * #MAX} live entries nothing more is added.
 */
final class IdentityTable<V> {
  static final int MAX = 16_384;

  private static final class Entry<V> extends WeakReference<Object> {
    final V value;

    Entry(Object key, V value) {
      super(key);
      this.value = value;
    }
  }

  private volatile Entry<V>[] table = newTable(64);
  private int size;

  @SuppressWarnings("unchecked")
  private static <V> Entry<V>[] newTable(int capacity) {
    return (Entry<V>[]) new Entry<?>[capacity];
  }

  private static int index(Object key, int mask) {
    int h = System.identityHashCode(key);
    return (h ^ (h >>> 16)) * 0x9E3779B9 >>> 8 & mask;
  }

  /** The value of {@code key}, or null. */
  V get(Object key) {
    Entry<V>[] t = table;
    int mask = t.length - 1;
    for (int i = index(key, mask); ; i = (i + 1) & mask) {
      Entry<V> e = t[i];
      if (e == null) {
        return null;
      }
      if (e.get() == key) {
        return e.value;
      }
    }
  }

  /** Sets the value of {@code key}; false when the table is full. */
  synchronized boolean put(Object key, V value) {
    Entry<V>[] t = table;
    if ((size + 1) * 2 > t.length) {
      t = rebuilt(t);
      if ((size + 1) * 2 > t.length) {
        return false;
      }
    }
    int mask = t.length - 1;
    for (int i = index(key, mask); ; i = (i + 1) & mask) {
      Entry<V> e = t[i];
      if (e == null) {
        t[i] = new Entry<>(key, value);
        size++;
        table = t; // publishes the new entry
        return true;
      }
      if (e.get() == key) {
        Entry<V>[] copy = t.clone();
        copy[i] = new Entry<>(key, value);
        table = copy;
        return true;
      }
    }
  }

  /** A copy without the entries whose key was collected, grown if it is still half full. */
  private Entry<V>[] rebuilt(Entry<V>[] t) {
    int live = 0;
    for (Entry<V> e : t) {
      if (e != null && e.get() != null) live++;
    }
    int capacity = t.length;
    while ((live + 1) * 2 > capacity && capacity < MAX * 2) {
      capacity *= 2;
    }
    Entry<V>[] n = newTable(capacity);
    int mask = capacity - 1;
    for (Entry<V> e : t) {
      Object key = e == null ? null : e.get();
      if (key != null) {
        int i = index(key, mask);
        while (n[i] != null) i = (i + 1) & mask;
        n[i] = e;
      }
    }
    size = live;
    table = n;
    return n;
  }
}
