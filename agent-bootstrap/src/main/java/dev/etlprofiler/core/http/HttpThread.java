package dev.etlprofiler.core.http;

import dev.etlprofiler.core.Kind;
import dev.etlprofiler.core.OpRegistry;
import dev.etlprofiler.core.ThreadState;
import java.util.Arrays;
import java.util.Objects;

/**
 * One thread's HTTP state, kept in its {@link ThreadState} library slot: the table of request
 * targets it has called, and its last call (for retry detection). Only its own thread touches it.
 */
final class HttpThread {
  private static final int SLOT = ThreadState.newSlot();

  /** Slots of the table of request targets (a power of two). */
  private static final int SIZE = 128;

  /** At most this many targets are kept; one more empties the table and it fills again. */
  static final int MAX = SIZE * 3 / 4;

  /** Per slot: method, scheme, host, path as the client gave them. */
  private final String[] keys = new String[4 * SIZE];

  private final int[] ports = new int[SIZE];

  /** Per slot: the op id, or -1 for an empty slot. */
  private final int[] ops = new int[SIZE];

  private int size;

  /** Calls whose target was not in the table (a test checks the table keeps what it should). */
  int misses;

  /** The request of the call in progress on this thread (client calls do not nest), or null. */
  Object current;

  /** The request of the last call on this thread if it failed, for retry detection. */
  java.lang.ref.WeakReference<Object> lastFailed;

  HttpThread() {
    Arrays.fill(ops, -1);
  }

  /** The calling thread's HTTP state, created at its first HTTP call. */
  static HttpThread of(ThreadState ts) {
    HttpThread h = (HttpThread) ts.libraryState(SLOT);
    if (h == null) {
      h = new HttpThread();
      ts.libraryState(SLOT, h);
    }
    return h;
  }

  /**
   * The op id of an HTTP request target. Naming an endpoint builds strings (the path template, the
   * name, the registry key): about a third of the agent's per-call HTTP cost in the example job's
   * profile. A thread calls few distinct targets, so they are kept here, in an open-addressing
   * table of up to {@link #MAX} entries, and a repeated call only compares them. (A direct-mapped
   * table, the first version, missed on one call in three for the example's 67 region paths: two
   * paths sharing a slot evicted each other.)
   */
  int op(String method, String scheme, String host, int port, String path) {
    int h = (Objects.hashCode(path) * 31 + Objects.hashCode(host)) * 31 + port;
    int start = (h ^ (h >>> 16)) & (SIZE - 1);
    int i = start;
    while (ops[i] >= 0) {
      int k = 4 * i;
      if (ports[i] == port
          && Objects.equals(keys[k + 3], path)
          && Objects.equals(keys[k + 2], host)
          && Objects.equals(keys[k], method)
          && Objects.equals(keys[k + 1], scheme)) {
        return ops[i];
      }
      i = (i + 1) & (SIZE - 1);
    }
    misses++;
    int op = OpRegistry.id(Kind.HTTP, Endpoints.name(method, scheme, host, port, path));
    if (size >= MAX) {
      Arrays.fill(ops, -1);
      Arrays.fill(keys, null);
      size = 0;
      i = start;
    }
    int k = 4 * i;
    keys[k] = method;
    keys[k + 1] = scheme;
    keys[k + 2] = host;
    keys[k + 3] = path;
    ports[i] = port;
    ops[i] = op;
    size++;
    return op;
  }
}
