package dev.etlprofiler.core;

/**
 * The entry points of {@code dev.etlprofiler.api.Profiler} when the agent is attached. The API
 * finds this class on the bootstrap class path from any class loader and calls it through method
 * handles, so every signature here uses JDK types only and must stay stable. Nothing here throws.
 *
 * <p>Counter codes for {@link #count}: 0 records, 1 bytes, 2 apiCalls, 3 retries, 4 valid, 5
 * invalid (see {@link Counter}).
 */
public final class ApiBridge {
  private ApiBridge() {}

  /** A session or operation opened through the API: its thread, stack slot and node. */
  static final class Token {
    final ThreadState ts;
    final int slot;
    final Node node;

    Token(ThreadState ts, int slot, Node node) {
      this.ts = ts;
      this.slot = slot;
      this.node = node;
    }
  }

  public static boolean isRecording() {
    return Core.isInstalled();
  }

  public static Object beginSession(String dataset, String source) {
    try {
      ThreadState ts = ThreadState.CURRENT.get();
      int d = ts.depth;
      if (d == ThreadState.MAX_DEPTH) {
        return null;
      }
      Node node = ts.current().child(Nodes.sessionOp(dataset, source));
      ts.stack[d] = node;
      ts.starts[d] = ThreadState.NO_RECORD;
      ts.depth = d + 1;
      return new Token(ts, d, node);
    } catch (Throwable t) {
      Core.internalError("Profiler.session", t);
      return null;
    }
  }

  public static void endSession(Object token) {
    try {
      if (token instanceof Token) {
        popTo((Token) token, false);
      }
    } catch (Throwable t) {
      Core.internalError("Session.close", t);
    }
  }

  public static Object beginOperation(String name) {
    try {
      ThreadState ts = Core.push(OpRegistry.id(Kind.API, name));
      return ts == null ? null : new Token(ts, ts.depth - 1, ts.stack[ts.depth - 1]);
    } catch (Throwable t) {
      Core.internalError("Profiler.operation", t);
      return null;
    }
  }

  public static void endOperation(Object token) {
    try {
      if (token instanceof Token) {
        popTo((Token) token, true);
      }
    } catch (Throwable t) {
      Core.internalError("Operation.close", t);
    }
  }

  public static void count(Object token, int counter, long n) {
    try {
      if (counter < 0 || counter >= Counter.BUILT_IN || n == 0) {
        return;
      }
      target(token).add(counter, n);
    } catch (Throwable t) {
      Core.internalError("Profiler counts", t);
    }
  }

  public static void error(Object token, String type) {
    try {
      target(token).error(type);
    } catch (Throwable t) {
      Core.internalError("Profiler.error", t);
    }
  }

  /** A Kafka send reported through the API: counted on a {@code kafka-send} node per topic. */
  public static void kafkaSend(String topic, long records, long bytes) {
    try {
      Node node = ThreadState.CURRENT.get().current().child(OpRegistry.id("kafka-send", topic));
      node.add(Counter.RECORDS, records);
      node.add(Counter.BYTES, bytes);
    } catch (Throwable t) {
      Core.internalError("Profiler.kafkaSend", t);
    }
  }

  /**
   * The token's node, or the innermost operation running on this thread (across session
   * boundaries), or, outside any operation, an {@code (unattributed)} node of the current session.
   */
  private static Node target(Object token) {
    if (token instanceof Token) {
      return ((Token) token).node;
    }
    Node current = ThreadState.CURRENT.get().current();
    if (current.isVisible()) {
      return current;
    }
    Node enclosing = current.visibleParent(); // e.g. the operation a session was opened in
    return enclosing != null ? enclosing : current.child(OpRegistry.id(Kind.API, "(unattributed)"));
  }

  /**
   * Closes the token's frame and anything left open above it. From another thread only the duration
   * is recorded; the opening thread's stack is not touched.
   */
  private static void popTo(Token token, boolean record) {
    long end = System.nanoTime();
    ThreadState ts = token.ts;
    boolean sameThread = ts.thread == Thread.currentThread();
    if (sameThread && (ts.depth <= token.slot || ts.stack[token.slot] != token.node)) {
      return; // already closed
    }
    long start = ts.starts[token.slot];
    if (record && start != ThreadState.NO_RECORD) {
      token.node.record(end - start, ts.stripe);
    }
    if (sameThread) {
      ts.depth = token.slot;
    }
  }
}
