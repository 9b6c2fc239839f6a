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
          ThreadState ts = new ThreadState();
          LIVE.put(ts, Boolean.TRUE);
          return ts;
        }
      };

  /**
   * Every thread's state while its thread lives (weakly: a thread's state goes with its thread's
   * ThreadLocal map), for the calls still running when the JVM exits. Written once per thread.
   */
  private static final java.util.Map<ThreadState, Boolean> LIVE =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** The states of the threads alive now. */
  static java.util.List<ThreadState> live() {
    synchronized (LIVE) {
      return new java.util.ArrayList<>(LIVE.keySet());
    }
  }

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

  final Node base = Core.threadBase();

  /** This thread's recorder stripe: threads are dealt round-robin over the stripes. */
  final int stripe = THREADS.getAndIncrement() & (STRIPES - 1);

  /** Slots for per-thread state of library packages ({@link #newSlot}). */
  private static final int LIBRARY_SLOTS = 8;

  private static int slots;

  /**
   * Per-thread state of the library packages, by slot; each slot is touched by its library only.
   */
  private final Object[] libraryState = new Object[LIBRARY_SLOTS];

  /**
   * A slot for one library's per-thread state (e.g. {@code core.http}'s table of request targets),
   * taken once in that library's static initialiser. Libraries keep their state here rather than in
   * fields of this class, so that adding a library does not change the shared per-thread structure.
   */
  public static synchronized int newSlot() {
    if (slots == LIBRARY_SLOTS) {
      throw new IllegalStateException("more than " + LIBRARY_SLOTS + " library slots");
    }
    return slots++;
  }

  /** This thread's state (created on first use). */
  public static ThreadState ofCurrentThread() {
    return CURRENT.get();
  }

  /** A library's state for this thread, or null before it set one. Own thread only. */
  public Object libraryState(int slot) {
    return libraryState[slot];
  }

  /** Sets a library's state for this thread. Own thread only. */
  public void libraryState(int slot, Object state) {
    libraryState[slot] = state;
  }

  /** The node of the innermost operation running on this thread (the base node if none). */
  public Node currentNode() {
    return depth == 0 ? base : stack[depth - 1];
  }

  /** How many frames are open on this thread (own thread only). */
  public int depth() {
    return depth;
  }

  Node current() {
    return depth == 0 ? base : stack[depth - 1];
  }
}
