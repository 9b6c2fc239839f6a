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

  Node current() {
    return depth == 0 ? base : stack[depth - 1];
  }
}
