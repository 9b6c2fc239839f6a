package dev.etlprofiler.core;

/**
 * Per-thread stack of the operations running on one thread. Allocated once per thread; the hot path
 * only reads and writes its arrays. Only its own thread touches it.
 */
public final class ThreadState {
  /** Deeper nesting than this is not recorded (protects against unbounded recursion). */
  static final int MAX_DEPTH = 128;

  /** Start value of a frame whose duration is not recorded (session, direct recursion). */
  static final long NO_RECORD = Long.MIN_VALUE;

  /**
   * A named subclass, not {@code withInitial(ThreadState::new)}: the first call of a woven method
   * would spin that lambda.
   */
  static final ThreadLocal<ThreadState> CURRENT =
      new ThreadLocal<>() {
        @Override
        protected ThreadState initialValue() {
          return new ThreadState();
        }
      };

  /** Latency recorder stripes per node: a power of two, at most 4, at most the CPU count. */
  static final int STRIPES =
      Math.min(4, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors())));

  private static final java.util.concurrent.atomic.AtomicInteger THREADS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Returned by {@code Core.enter} for a call that sampling skips; never used as a stack. */
  public static final ThreadState UNTIMED = new ThreadState();

  final Thread thread = Thread.currentThread();
  final Node[] stack = new Node[MAX_DEPTH];
  final long[] starts = new long[MAX_DEPTH];
  int depth;

  /**
   * Client calls in progress on this thread: a call one client makes through another is recorded
   * once.
   */
  int clientDepth;

  /** The last HTTP call on this thread: its op id and whether it failed (retry detection). */
  int lastHttpOp = -1;

  boolean lastHttpFailed;
  final Node base = Core.threadBase();

  /** This thread's recorder stripe: threads are dealt round-robin over the stripes. */
  final int stripe = THREADS.getAndIncrement() & (STRIPES - 1);

  /** Slots of the per-thread table of HTTP request targets (a power of two). */
  private static final int HTTP_CACHE = 128;

  /** At most this many targets are kept; one more empties the table and it fills again. */
  static final int HTTP_CACHE_MAX = HTTP_CACHE * 3 / 4;

  /**
   * Per slot: method, scheme, host, path as the client gave them; allocated at the first HTTP call.
   */
  private String[] httpKeys;

  private int[] httpPorts;

  /** Per slot: the op id, or -1 for an empty slot. */
  private int[] httpOps;

  private int httpSize;

  /** Calls whose target was not in the table (a test checks the table keeps what it should). */
  int httpMisses;

  /**
   * The op id of an HTTP request target. Naming an endpoint builds strings (the path template, the
   * name, the registry key): about a third of the agent's per-call HTTP cost in the example job's
   * profile. A thread calls few distinct targets, so they are kept here, in an open-addressing
   * table of up to {@link #HTTP_CACHE_MAX} entries, and a repeated call only compares them. (A
   * direct-mapped table, the first version, missed on one call in three for the example's 67 region
   * paths: two paths sharing a slot evicted each other.)
   */
  int httpOp(String method, String scheme, String host, int port, String path) {
    if (httpKeys == null) {
      httpKeys = new String[4 * HTTP_CACHE];
      httpPorts = new int[HTTP_CACHE];
      httpOps = new int[HTTP_CACHE];
      java.util.Arrays.fill(httpOps, -1);
    }
    int h = (java.util.Objects.hashCode(path) * 31 + java.util.Objects.hashCode(host)) * 31 + port;
    int start = (h ^ (h >>> 16)) & (HTTP_CACHE - 1);
    int i = start;
    while (httpOps[i] >= 0) {
      int k = 4 * i;
      if (httpPorts[i] == port
          && java.util.Objects.equals(httpKeys[k + 3], path)
          && java.util.Objects.equals(httpKeys[k + 2], host)
          && java.util.Objects.equals(httpKeys[k], method)
          && java.util.Objects.equals(httpKeys[k + 1], scheme)) {
        return httpOps[i];
      }
      i = (i + 1) & (HTTP_CACHE - 1);
    }
    httpMisses++;
    int op = OpRegistry.id(Kind.HTTP, Endpoints.name(method, scheme, host, port, path));
    if (httpSize >= HTTP_CACHE_MAX) {
      java.util.Arrays.fill(httpOps, -1);
      java.util.Arrays.fill(httpKeys, null);
      httpSize = 0;
      i = start;
    }
    int k = 4 * i;
    httpKeys[k] = method;
    httpKeys[k + 1] = scheme;
    httpKeys[k + 2] = host;
    httpKeys[k + 3] = path;
    httpPorts[i] = port;
    httpOps[i] = op;
    httpSize++;
    return op;
  }

  Node current() {
    return depth == 0 ? base : stack[depth - 1];
  }
}
