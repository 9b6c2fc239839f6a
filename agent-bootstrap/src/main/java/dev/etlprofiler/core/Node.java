package dev.etlprofiler.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One node of the run's call tree: an operation in the context of its parent node and session. The
 * hot path touches only {@link #child} (an array probe, no allocation once the child exists) and
 * {@link #record} (one {@link LatencyRecorder} write). Everything else is read by the snapshot
 * thread or written on rare paths (errors, API counts).
 */
public final class Node {
  /** Latencies above this (1 h in ns) are recorded as this value. */
  public static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;

  /** 2 significant digits: 1% precision; pages of {@link LatencyRecorder} follow this layout. */
  public static final int SIGNIFICANT_DIGITS = 2;

  private static final int MAX_ERROR_TYPES = 32;
  private static final String OTHER_ERRORS = "(other)";

  private final int id;
  private final Node parent;
  private final int opId;
  private final Session session;
  private final boolean visible;

  /**
   * Latency recorders, one per stripe, created when a thread of that stripe first records. Threads
   * are spread over the stripes ({@link ThreadState#stripe}), so threads running the same operation
   * at once do not contend on one recorder's atomics: with one recorder, two threads calling a tiny
   * method measured 290-350 ns per call each instead of ~70 ns alone.
   */
  private final AtomicReferenceArray<LatencyRecorder> latency;

  private final AtomicReferenceArray<LongAdder> counters = new AtomicReferenceArray<>(Counter.MAX);
  private volatile ConcurrentHashMap<String, LongAdder> errors;
  private volatile ChildTable children = ChildTable.EMPTY;

  private volatile boolean async;

  /** Library state attached to this node (created on first use), by slot ({@link #newSlot}). */
  private volatile AtomicReferenceArray<Object> libraryState;

  Node(int id, Node parent, int opId, Session session, boolean visible) {
    this.id = id;
    this.parent = parent;
    this.opId = opId;
    this.session = session;
    this.visible = visible;
    this.latency = visible ? new AtomicReferenceArray<>(ThreadState.STRIPES) : null;
  }

  /** The child of this node for an operation; created (or folded into overflow) on first use. */
  public Node child(int childOpId) {
    Node found = children.get(childOpId);
    return found != null ? found : Nodes.createChild(this, childOpId);
  }

  ChildTable children() {
    return children;
  }

  void children(ChildTable table) {
    children = table;
  }

  /** Records one completed call of {@code nanos} on the recorder of the given stripe. */
  void record(long nanos, int stripe) {
    LatencyRecorder r = latency.get(stripe);
    if (r == null) {
      r = createRecorder(stripe);
    }
    r.record(nanos < 0 ? 0 : (nanos > HIGHEST_TRACKABLE_NANOS ? HIGHEST_TRACKABLE_NANOS : nanos));
  }

  /**
   * Records one completed call of {@code nanos} on the calling thread's stripe: for calls that end
   * on another thread than they started on (asynchronous client calls).
   */
  public void record(long nanos) {
    if (!async) {
      async = true;
    }
    record(nanos, ThreadState.CURRENT.get().stripe);
  }

  /**
   * Whether calls of this node were timed asynchronously ({@link #record(long)}): from their start
   * to their completion on another thread, so that calls overlap and their total is time in flight,
   * not time a thread spent.
   */
  public boolean isAsync() {
    return async;
  }

  private LatencyRecorder createRecorder(int stripe) {
    latency.compareAndSet(stripe, null, new LatencyRecorder());
    return latency.get(stripe);
  }

  /** Bytes of latency count pages this node holds (memory accounting). */
  public long latencyBytes() {
    long bytes = 0;
    for (int i = 0; latency != null && i < latency.length(); i++) {
      LatencyRecorder r = latency.get(i);
      if (r != null) bytes += r.pageBytes();
    }
    return bytes;
  }

  /** A histogram with the same range and precision as the nodes' recorders. */
  public static Histogram newHistogram() {
    return new Histogram(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
  }

  public void add(int counter, long n) {
    LongAdder adder = counters.get(counter);
    if (adder == null) {
      counters.compareAndSet(counter, null, new LongAdder());
      adder = counters.get(counter);
    }
    adder.add(n);
  }

  private static final int LIBRARY_SLOTS = 4;
  private static int slots;

  /**
   * A slot for one library's per-node state (e.g. {@code core.kafka}'s largest consumer lag), taken
   * once in that library's static initialiser: libraries keep such state here rather than in fields
   * of this class.
   */
  public static synchronized int newSlot() {
    if (slots == LIBRARY_SLOTS) {
      throw new IllegalStateException("more than " + LIBRARY_SLOTS + " library slots");
    }
    return slots++;
  }

  /** A library's state on this node, or null if it has none. */
  public Object libraryState(int slot) {
    AtomicReferenceArray<Object> a = libraryState;
    return a == null ? null : a.get(slot);
  }

  /**
   * A library's state on this node: the one already there, else {@code initial}, which is then kept
   * (racing threads all get the one kept).
   */
  public Object libraryState(int slot, Object initial) {
    AtomicReferenceArray<Object> a = libraryState;
    if (a == null) {
      synchronized (this) {
        a = libraryState;
        if (a == null) {
          a = new AtomicReferenceArray<>(LIBRARY_SLOTS);
          libraryState = a;
        }
      }
    }
    return a.compareAndSet(slot, null, initial) ? initial : a.get(slot);
  }

  public void error(String type) {
    ConcurrentHashMap<String, LongAdder> map = errors;
    if (map == null) {
      synchronized (this) {
        map = errors;
        if (map == null) {
          map = new ConcurrentHashMap<>();
          errors = map;
        }
      }
    }
    LongAdder adder = map.get(type);
    if (adder == null) {
      String key = map.size() < MAX_ERROR_TYPES ? type : OTHER_ERRORS;
      adder = map.computeIfAbsent(key, k -> new LongAdder());
    }
    adder.increment();
  }

  public int id() {
    return id;
  }

  public int opId() {
    return opId;
  }

  /** The nearest visible ancestor, or null for a root. */
  public Node visibleParent() {
    Node p = parent;
    while (p != null && !p.visible) {
      p = p.parent;
    }
    return p;
  }

  /** Whether this node is written to snapshots (session boundaries and the root are not). */
  public boolean isVisible() {
    return visible;
  }

  public String name() {
    return OpRegistry.name(opId);
  }

  public String kind() {
    return OpRegistry.kind(opId);
  }

  /** Dataset of the node's session, or null outside any session. */
  public String dataset() {
    return session == null ? null : session.dataset;
  }

  /** Data source of the node's session, or null outside any session. */
  public String source() {
    return session == null ? null : session.source;
  }

  Session session() {
    return session;
  }

  Node parent() {
    return parent;
  }

  /**
   * Swaps the interval's latencies out of every stripe and adds them into {@code into}, which is
   * reset first (snapshot thread only). Returns {@code into}.
   */
  public Histogram takeIntervalHistogram(Histogram into) {
    takeInterval(into);
    return into;
  }

  /**
   * As {@link #takeIntervalHistogram}, and returns the interval's total latency in ns as
   * HdrHistogram's {@code getMean()} of {@code into} would compute it (times its count), without
   * walking the histogram again.
   */
  public double takeInterval(Histogram into) {
    into.reset();
    double total = 0;
    for (int i = 0; i < latency.length(); i++) {
      LatencyRecorder r = latency.get(i);
      if (r != null) {
        total += r.drainInto(into);
      }
    }
    return total;
  }

  /** Reads and resets a counter (snapshot thread only); adds made meanwhile go to the next. */
  public long takeCounter(int counter) {
    LongAdder adder = counters.get(counter);
    return adder == null ? 0 : adder.sumThenReset();
  }

  /** Reads and resets the error counts into {@code into}; nothing is put for zero counts. */
  public void takeErrors(java.util.Map<String, Long> into) {
    ConcurrentHashMap<String, LongAdder> map = errors;
    if (map == null) {
      return;
    }
    for (var e : map.entrySet()) {
      long n = e.getValue().sumThenReset();
      if (n != 0) {
        into.put(e.getKey(), n);
      }
    }
  }

  /** Open-addressed map from op id to child node, replaced (copy on write) when it grows. */
  static final class ChildTable {
    static final ChildTable EMPTY = new ChildTable(new int[0], new Node[0]);
    final int[] keys;
    final Node[] values;
    final int size;

    private ChildTable(int[] keys, Node[] values) {
      this.keys = keys;
      this.values = values;
      int n = 0;
      for (Node v : values) {
        if (v != null) n++;
      }
      this.size = n;
    }

    Node get(int key) {
      Node[] vals = values;
      int mask = vals.length - 1;
      if (mask < 0) {
        return null;
      }
      int i = (key * 0x9E3779B9) >>> 16 & mask;
      while (true) {
        Node v = vals[i];
        if (v == null) {
          return null;
        }
        if (keys[i] == key) {
          return v;
        }
        i = (i + 1) & mask;
      }
    }

    ChildTable with(int key, Node value) {
      int capacity = Math.max(4, Integer.highestOneBit(Math.max(1, (size + 1) * 2 - 1)) << 1);
      int[] k = new int[capacity];
      Node[] v = new Node[capacity];
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) put(k, v, keys[i], values[i]);
      }
      put(k, v, key, value);
      return new ChildTable(k, v);
    }

    private static void put(int[] k, Node[] v, int key, Node value) {
      int mask = v.length - 1;
      int i = (key * 0x9E3779B9) >>> 16 & mask;
      while (v[i] != null) {
        i = (i + 1) & mask;
      }
      k[i] = key;
      v[i] = value;
    }
  }
}
