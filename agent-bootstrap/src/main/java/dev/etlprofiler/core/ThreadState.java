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

  static final ThreadLocal<ThreadState> CURRENT = ThreadLocal.withInitial(ThreadState::new);

  final Thread thread = Thread.currentThread();
  final Node[] stack = new Node[MAX_DEPTH];
  final long[] starts = new long[MAX_DEPTH];
  int depth;
  final Node base = Core.threadBase();

  Node current() {
    return depth == 0 ? base : stack[depth - 1];
  }
}
