package dev.etlprofiler.core;

/**
 * Per-thread stack of the operations running on one thread. Allocated once per thread; the hot
 * path only reads and writes its arrays. Only its own thread touches it.
 */
public final class ThreadState {
  /** Deeper nesting than this is not recorded (protects against unbounded recursion). */
  static final int MAX_DEPTH = 128;
  /** Start value of a frame whose duration is not recorded (session, direct recursion). */
  static final long NO_RECORD = Long.MIN_VALUE;

  /** A named subclass, not {@code withInitial(ThreadState::new)}: the first call of a woven method would spin that lambda. */
  static final ThreadLocal<ThreadState> CURRENT = new ThreadLocal<>() {
    @Override
    protected ThreadState initialValue() {
      return new ThreadState();
    }
  };

  /** Latency recorder stripes per node: a power of two, at most 4, at most the CPU count. */
  static final int STRIPES =
      Math.min(4, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors())));

  private static final java.util.concurrent.atomic.AtomicInteger THREADS = new java.util.concurrent.atomic.AtomicInteger();

  /** Returned by {@code Core.enter} for a call that sampling skips; never used as a stack. */
  public static final ThreadState UNTIMED = new ThreadState();

  final Thread thread = Thread.currentThread();
  final Node[] stack = new Node[MAX_DEPTH];
  final long[] starts = new long[MAX_DEPTH];
  int depth;
  /** Client calls in progress on this thread: a call one client makes through another is recorded once. */
  int clientDepth;
  /** The last HTTP call on this thread: its op id and whether it failed (retry detection). */
  int lastHttpOp = -1;
  boolean lastHttpFailed;
  final Node base = Core.threadBase();
  /** This thread's recorder stripe: threads are dealt round-robin over the stripes. */
  final int stripe = THREADS.getAndIncrement() & (STRIPES - 1);

  /** Entries of the per-thread cache of HTTP request targets (a power of two). */
  private static final int HTTP_CACHE = 128;
  /** Per entry: method, scheme, host, path as the client gave them; allocated at the first HTTP call. */
  private String[] httpKeys;
  private int[] httpPorts;
  private int[] httpOps;

  /**
   * The op id of an HTTP request target. Naming an endpoint builds strings (the path template,
   * the name, the registry key): about a third of the agent's per-call HTTP cost in the example
   * job's profile. A thread calls few distinct targets, so the last ones are kept here, in a
   * direct-mapped table of {@link #HTTP_CACHE} entries, and a repeated call only compares them.
   */
  int httpOp(String method, String scheme, String host, int port, String path) {
    if (httpKeys == null) {
      httpKeys = new String[4 * HTTP_CACHE];
      httpPorts = new int[HTTP_CACHE];
      httpOps = new int[HTTP_CACHE];
      java.util.Arrays.fill(httpOps, -1);
    }
    int h = (java.util.Objects.hashCode(path) * 31 + java.util.Objects.hashCode(host)) * 31 + port;
    int i = (h ^ (h >>> 16)) & (HTTP_CACHE - 1);
    int k = 4 * i;
    if (httpOps[i] >= 0 && httpPorts[i] == port && java.util.Objects.equals(httpKeys[k + 3], path)
        && java.util.Objects.equals(httpKeys[k + 2], host) && java.util.Objects.equals(httpKeys[k], method)
        && java.util.Objects.equals(httpKeys[k + 1], scheme)) {
      return httpOps[i];
    }
    int op = OpRegistry.id(Kind.HTTP, Endpoints.name(method, scheme, host, port, path));
    httpKeys[k] = method;
    httpKeys[k + 1] = scheme;
    httpKeys[k + 2] = host;
    httpKeys[k + 3] = path;
    httpPorts[i] = port;
    httpOps[i] = op;
    return op;
  }

  Node current() {
    return depth == 0 ? base : stack[depth - 1];
  }
}
