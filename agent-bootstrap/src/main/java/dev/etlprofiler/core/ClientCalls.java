package dev.etlprofiler.core;

/**
 * The frame of a client call (HTTP, JDBC, Kafka), shared by the library packages ({@code
 * core.http}, {@code core.jdbc}, {@code core.kafka}): a client call becomes a child node of the
 * operation running on the thread. A call that one client layer makes through another on the same
 * thread is recorded once: only the outermost (a per-thread depth, as OpenTelemetry's {@code
 * CallDepth}). Never throws.
 */
public final class ClientCalls {
  /** Returned for a call inside another client call on the same thread: not recorded. */
  public static final ThreadState NESTED = new ThreadState();

  private ClientCalls() {}

  /** Starts a client call of a kind with a given name; the state to pass to {@link #pop}. */
  public static ThreadState enterNamed(String kind, String name) {
    ThreadState ts = null;
    try {
      ts = ThreadState.CURRENT.get();
      if (ts.clientDepth++ > 0) {
        return NESTED;
      }
      return pushed(ts, OpRegistry.id(kind, name));
    } catch (Throwable t) {
      Core.internalError(kind + " call", t);
      undoDepth(ts);
      return null;
    }
  }

  /**
   * The first half of {@link #enterNamed} for a library that resolves its op id itself: true when
   * this call is the outermost client call on the thread and is to be recorded ({@link #push} it
   * then), false when nested (return {@link #NESTED}).
   */
  public static boolean outermost(ThreadState ts) {
    return ts.clientDepth++ == 0;
  }

  /** Pushes the frame of an outermost client call of operation {@code opId}; null if too deep. */
  public static ThreadState push(ThreadState ts, int opId) {
    return pushed(ts, opId);
  }

  /** After a failed enter that returns null (so no exit will pop): gives back the client depth. */
  public static void undoDepth(ThreadState ts) {
    if (ts != null && ts.clientDepth > 0) {
      ts.clientDepth--;
    }
  }

  private static ThreadState pushed(ThreadState ts, int opId) {
    ThreadState pushed = Core.push(opId);
    if (pushed == null) {
      ts.clientDepth--; // too deep: not recorded, and nothing to pop
      return null;
    }
    return pushed;
  }

  /** The start time (System.nanoTime) of the innermost frame, for {@link #popAsync}. */
  public static long frameStart(ThreadState ts) {
    int d = ts.depth - 1;
    return d < 0 ? 0 : ts.starts[d];
  }

  /**
   * Leaves an asynchronous call's frame without recording it (its end is recorded when it
   * completes): the node, or null if there is no frame. Read {@link #frameStart} first.
   */
  public static Node popAsync(ThreadState ts) {
    ts.clientDepth--;
    int d = ts.depth - 1;
    if (d < 0) {
      return null;
    }
    ts.depth = d;
    return ts.stack[d];
  }

  /** Pops the client frame and records its duration; the node, or null if nothing to record. */
  public static Node pop(ThreadState ts, Throwable thrown) {
    if (ts == null) {
      return null;
    }
    if (ts == NESTED) {
      ThreadState.CURRENT.get().clientDepth--;
      return null;
    }
    ts.clientDepth--;
    int d = ts.depth - 1;
    if (d < 0) {
      return null;
    }
    Node node = ts.stack[d];
    Core.exit(ts, thrown, node.opId());
    return node;
  }
}
