package dev.etlprofiler.core;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All nodes of the call tree. Creating a node is the slow path (once per distinct operation in a
 * context) and is serialised; the number of nodes is capped by {@code limits.max-operations} and
 * anything beyond folds into one {@code (other)} node per parent.
 */
public final class Nodes {
  static final int ROOT_OP = -1;

  /** The invisible root of every thread's tree. */
  static final Node ROOT = new Node(0, null, ROOT_OP, null, false);

  private static final ConcurrentHashMap<Integer, Session> SESSIONS = new ConcurrentHashMap<>();
  private static final AtomicLong DROPPED = new AtomicLong();
  private static volatile int maxNodes = 1000;
  private static Node[] all = new Node[256];
  private static volatile int count = 1;

  static {
    all[0] = ROOT;
  }

  private Nodes() {}

  /** Sets the cap on distinct nodes ({@code limits.max-operations}). */
  public static void maxNodes(int max) {
    maxNodes = max;
  }

  /** Number of nodes created so far, including the invisible root. */
  public static int count() {
    return count;
  }

  /** The node with the given id ({@code 0 <= id < count()}). */
  public static synchronized Node get(int id) {
    return all[id];
  }

  /** Distinct operations folded into overflow nodes since the last call (snapshot thread). */
  public static long takeDropped() {
    return DROPPED.getAndSet(0);
  }

  /** The op id that stands for a session with these labels. */
  static int sessionOp(String dataset, String source) {
    int op = OpRegistry.id(Kind.SESSION, dataset + '\u0000' + source);
    SESSIONS.computeIfAbsent(op, k -> new Session(dataset, source, k));
    return op;
  }

  static synchronized Node createChild(Node parent, int opId) {
    Node existing = parent.children().get(opId);
    if (existing != null) {
      return existing;
    }
    Node child;
    if (count >= maxNodes) {
      child = overflowOf(parent);
      DROPPED.incrementAndGet();
    } else {
      boolean sessionBoundary = Kind.SESSION.equals(OpRegistry.kind(opId));
      Session session = sessionBoundary ? SESSIONS.get(opId) : parent.session();
      child = register(parent, opId, session, !sessionBoundary);
    }
    parent.children(parent.children().with(opId, child));
    return child;
  }

  private static Node overflowOf(Node parent) {
    int otherOp = OpRegistry.id(Kind.OTHER, "(other)");
    if (parent.opId() == otherOp) {
      return parent;
    }
    Node other = parent.children().get(otherOp);
    if (other == null) {
      other = register(parent, otherOp, parent.session(), true);
      parent.children(parent.children().with(otherOp, other));
    }
    return other;
  }

  private static Node register(Node parent, int opId, Session session, boolean visible) {
    int id = count;
    if (id == all.length) {
      all = Arrays.copyOf(all, id * 2);
    }
    Node node = new Node(id, parent, opId, session, visible);
    all[id] = node;
    count = id + 1;
    return node;
  }
}
