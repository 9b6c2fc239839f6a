package dev.etlprofiler.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What instrumented code calls. The agent's advice for a profiled method is, in effect:
 *
 * <pre>{@code
 * ThreadState ts = Core.enter(OP_ID);   // OP_ID: a constant resolved when the class was transformed
 * try { ...original body... } finally { if (ts != null) Core.exit(ts, thrown, OP_ID); }
 * }</pre>
 *
 * <p>A hot operation may be sampled ({@link CallSampling}): a skipped call costs an array read and
 * a tick and returns {@link ThreadState#UNTIMED}. Per timed call: one ThreadLocal read, one
 * child-table probe, two {@code System.nanoTime()} reads and one {@link LatencyRecorder} write. No
 * allocation once the node exists, no lock, no I/O, no string work. Neither method throws (the
 * advice also suppresses Throwable).
 */
public final class Core {
  private static final AtomicLong INTERNAL_ERRORS = new AtomicLong();
  private static volatile boolean installed;
  private static volatile int defaultSessionOp = Integer.MIN_VALUE;

  private Core() {}

  /** Called once by the agent when it is installed. */
  public static void install(int maxOperations, String defaultDataset, String defaultSource) {
    Nodes.maxNodes(maxOperations);
    if (defaultDataset != null && defaultSource != null) {
      defaultSessionOp = Nodes.sessionOp(defaultDataset, defaultSource);
    }
    installed = true;
  }

  public static boolean isInstalled() {
    return installed;
  }

  /** The node a new thread starts in: the root, or the configured default session. */
  static Node threadBase() {
    int op = defaultSessionOp;
    return op == Integer.MIN_VALUE ? Nodes.ROOT : Nodes.ROOT.child(op);
  }

  /** Starts a call of operation {@code opId}; returns the state to pass to {@link #exit}. */
  public static ThreadState enter(int opId) {
    if (CallSampling.skip(opId)) {
      return ThreadState.UNTIMED;
    }
    return push(opId);
  }

  /**
   * {@link #enter} for code woven without ByteBuddy (which wraps advice in its own handlers): never
   * throws; null when the call is not recorded.
   */
  public static ThreadState onEnter(int opId) {
    try {
      return enter(opId);
    } catch (Throwable t) {
      internalError("method enter", t);
      return null;
    }
  }

  /** {@link #exit} for code woven without ByteBuddy: accepts null state, never throws. */
  public static void onExit(ThreadState ts, Throwable thrown, int opId) {
    try {
      if (ts != null) {
        exit(ts, thrown, opId);
      }
    } catch (Throwable t) {
      internalError("method exit", t);
    }
  }

  /**
   * {@link #enter} without sampling: always timed (API operations and client calls).
   *
   * <p>Never inlined, like {@link #timedExit}: see {@link #exit}.
   */
  @jdk.internal.vm.annotation.DontInline
  static ThreadState push(int opId) {
    ThreadState ts = ThreadState.CURRENT.get();
    int d = ts.depth;
    if (d == ThreadState.MAX_DEPTH) {
      return null;
    }
    Node parent = d == 0 ? ts.base : ts.stack[d - 1];
    if (parent.opId() == opId) {
      // direct recursion: the outermost call already times the whole
      ts.stack[d] = parent;
      ts.starts[d] = ThreadState.NO_RECORD;
    } else {
      ts.stack[d] = parent.child(opId);
      ts.starts[d] = System.nanoTime();
    }
    ts.depth = d + 1;
    return ts;
  }

  /**
   * Starts a timed call of a node a library placed itself rather than under the innermost frame (a
   * framework whose operations have a static place, e.g. a Camel node under its route); never
   * sampled. {@code start} is its {@code System.nanoTime()}. Returns the state to pass to {@link
   * #exit} or {@link #leaveUnrecorded}, or null when the stack is too deep (nothing pushed).
   */
  public static ThreadState enterNode(Node node, long start) {
    ThreadState ts = ThreadState.CURRENT.get();
    int d = ts.depth;
    if (d == ThreadState.MAX_DEPTH) {
      return null;
    }
    ts.stack[d] = node;
    ts.starts[d] = start;
    ts.depth = d + 1;
    return ts;
  }

  /**
   * Ends the innermost frame without recording it: a call that ends elsewhere (a callback, another
   * thread) and is recorded there with {@link Node#record(long)}.
   */
  public static void leaveUnrecorded(ThreadState ts) {
    if (ts.depth > 0) {
      ts.depth--;
    }
  }

  /**
   * Ends the innermost call started by {@link #enter}; {@code thrown} is null on normal return.
   *
   * <p>What C2 inlines into a woven method is only this check, the skip test of {@link #enter} and
   * two calls: the timed paths ({@link #push}, {@link #timedExit}) are never inlined. Inlined
   * (ThreadLocal lookup, child-table probe, two clock reads, recorder write), they made each woven
   * method's compiled code larger than C2's {@code InlineSmallCode} (2,500 bytes), so a per-record
   * method was no longer inlined into its caller's loop ("already compiled into a big method" in
   * {@code -XX:+PrintInlining}): the caller lost escape analysis and paid a call per record.
   * Measured trade-off (JMH, docs/benchmarks.md, 2026-12-03, the two builds back to back): a
   * skipped call of a sampled method costs +1.0 ns instead of +4.0 ns (2 threads: +2.4 instead of
   * +4.2), so a 150 ns per-record method under the default budget costs +2.9 % instead of +7.4 %; a
   * fully timed call costs about 93 ns instead of 78 ns (2.99 × instead of 2.51 × {@code
   * System.nanoTime()}; 2 threads 91 instead of 84 ns): the two calls, around which C2 saves every
   * live register. Sampled hot methods are where the agent's cost shows in a job; a method timed in
   * full is by construction one that is called rarely enough for the budget.
   */
  public static void exit(ThreadState ts, Throwable thrown, int opId) {
    if (ts == ThreadState.UNTIMED) {
      if (thrown != null) {
        untimedError(thrown, opId);
      }
      return;
    }
    timedExit(ts, thrown);
  }

  /** A call skipped by sampling: its error still counts, on the node it would have had. */
  @jdk.internal.vm.annotation.DontInline
  private static void untimedError(Throwable thrown, int opId) {
    ThreadState.CURRENT.get().current().child(opId).error(thrown.getClass().getName());
  }

  @jdk.internal.vm.annotation.DontInline
  private static void timedExit(ThreadState ts, Throwable thrown) {
    long end = System.nanoTime();
    int d = ts.depth - 1;
    if (d < 0) {
      return;
    }
    ts.depth = d;
    long start = ts.starts[d];
    if (start != ThreadState.NO_RECORD) {
      Node node = ts.stack[d];
      node.record(end - start, ts.stripe);
      if (thrown != null) {
        node.error(thrown.getClass().getName());
      }
    }
  }

  /** Calls still running when the final snapshot was taken (JVM exit). */
  private static final int UNFINISHED = Counter.register("unfinished");

  /**
   * Records every timed call still running on any thread as a call of its time so far, counted as
   * {@code unfinished} (a {@code main} that calls {@code System.exit} inside a profiled method, a
   * worker killed by SIGTERM). Called once, for the final snapshot: the threads are still running,
   * so their stacks are read without synchronisation; a frame that a thread pops meanwhile may be
   * missed or counted as well as completed, which the final snapshot accepts. Returns the number.
   */
  public static int recordUnfinished() {
    long now = System.nanoTime();
    int n = 0;
    for (ThreadState ts : ThreadState.live()) {
      int depth = Math.min(ts.depth, ThreadState.MAX_DEPTH);
      for (int d = 0; d < depth; d++) {
        Node node = ts.stack[d];
        long start = ts.starts[d];
        if (node != null && start != ThreadState.NO_RECORD && start != 0 && now > start) {
          node.record(now - start, ts.stripe);
          node.add(UNFINISHED, 1);
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Opens a frame of operation {@code opId} that is not timed: what runs under it on this thread is
   * attributed to its node, which records no call itself. For a framework's context on a worker
   * thread (a step's chunk run by a task executor is attributed to its job and step). Close it with
   * {@link #exit}; null when the stack is full.
   */
  public static ThreadState enterContext(int opId) {
    ThreadState ts = ThreadState.CURRENT.get();
    int d = ts.depth;
    if (d == ThreadState.MAX_DEPTH) {
      return null;
    }
    Node parent = d == 0 ? ts.base : ts.stack[d - 1];
    ts.stack[d] = parent.opId() == opId ? parent : parent.child(opId);
    ts.starts[d] = ThreadState.NO_RECORD;
    ts.depth = d + 1;
    return ts;
  }

  /**
   * Ends the innermost call started by {@link #enter} without recording it: a call that turned out
   * not to be one of the operation's (a reader's read that returned the end of its input). Never
   * throws; accepts null state.
   */
  public static void exitUnrecorded(ThreadState ts) {
    if (ts == null || ts == ThreadState.UNTIMED) {
      return;
    }
    int d = ts.depth - 1;
    if (d >= 0) {
      ts.depth = d;
    }
  }

  /** Counts a failure inside the agent and logs it once per place; never throws. */
  public static void internalError(String where, Throwable t) {
    INTERNAL_ERRORS.incrementAndGet();
    AgentLog.warnOnce(
        "internal:" + where,
        "internal error in " + where + " (profiling goes on; reported once): " + t);
  }

  /** Internal errors since the last call (snapshot thread). */
  public static long takeInternalErrors() {
    return INTERNAL_ERRORS.getAndSet(0);
  }
}
