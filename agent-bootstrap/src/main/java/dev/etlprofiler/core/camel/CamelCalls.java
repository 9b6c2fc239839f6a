package dev.etlprofiler.core.camel;

import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.OpRegistry;
import dev.etlprofiler.core.ThreadState;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Apache Camel 4 routes and nodes, as Camel names them: what the advice woven into Camel's routing
 * engine calls (agent package {@code instrument.camel}). Every route's consumer hands each exchange
 * to the route's {@code CamelInternalProcessor}, and each node (EIP, processor, endpoint) of a
 * route runs in a {@code DefaultChannel}, also a {@code CamelInternalProcessor}: one operation per
 * route ({@link #ROUTE}, named by the route id) and per node ({@link #NODE}, named by the node id:
 * the id the user set with {@code .id("…")} or the one Camel generated, such as {@code process2}),
 * whatever runs inside (a lambda, a bean, an endpoint).
 *
 * <p><b>Where an operation sits.</b> Camel's routing engine runs a route's steps one after the
 * other from a loop (its reactive executor), not nested in each other, and a node that hands the
 * exchange on ({@code split}, {@code to("direct:…")}) returns before the work it started is done.
 * So a node is placed by the route's structure, not by the thread's stack: under its route, and
 * under the nodes of the route that enclose it and have a channel of their own (a node inside a
 * {@code split} under the split). A route sits under the innermost operation on the thread that is
 * not a Camel one (the thread's base for a consumer thread; a user's method that sends to a route
 * with a {@code ProducerTemplate}). A route called from another ({@code direct:}) is therefore a
 * route of its own beside the caller, and the caller's node that sent to it ({@code to1}) is timed
 * to its completion, so it includes the called route. The frame of a node is on the thread's stack
 * while its {@code process} runs and, untimed, while its error handler runs the node's work (Camel
 * schedules that from its loop too: {@link #enterHandler}), so what the user's code calls (JDBC,
 * HTTP), redelivery attempts included, nests under the node.
 *
 * <p><b>Timing.</b> From {@code process(exchange, callback)} to Camel's own completion callback of
 * that processor ({@code CamelInternalProcessor$AsyncAfterTask.done}). When it completes on the
 * same thread while {@code process} runs (the usual case) nothing is allocated; when it completes
 * later or on another thread, the call is parked in a map keyed by Camel's task until then, and
 * recorded with {@link Node#record(long)} without the thread's stack.
 *
 * <p><b>Counts.</b> Calls of a route are the exchanges it received; its errors, by exception type,
 * the exchanges that left it failed (Camel's {@code ExchangesFailed}); {@link #FAILURES_HANDLED}
 * those whose failure an error handler or {@code onException} handled (Camel's {@code
 * FailuresHandled}); {@link #REDELIVERIES} the redelivery attempts its error handlers made. Calls
 * of a node are the exchanges it processed (once per exchange: its redeliveries are inside the
 * call); its errors the exchanges it completed failed.
 */
public final class CamelCalls {
  public static final String ROUTE = "camel-route";
  public static final String NODE = "camel-node";

  public static final int REDELIVERIES = Counter.register("redeliveries");
  public static final int FAILURES_HANDLED = Counter.register("failuresHandled");

  /** Camel frames open on one thread at most (deeper ones are not recorded). */
  private static final int MAX_FRAMES = 64;

  /** Calls completing elsewhere at most (beyond, they are not recorded). */
  private static final int MAX_IN_FLIGHT = 100_000;

  private static final int SLOT = ThreadState.newSlot();

  /** Route processors and channels, by identity. */
  private static final IdentityTable<Target> PROCESSORS = new IdentityTable<>();

  /** The definitions (Camel's model nodes) that have a channel of their own. */
  private static final IdentityTable<Boolean> CHANNEL_DEFINITIONS = new IdentityTable<>();

  /**
   * The node of each node's error handler (the node's target, not its channel: a value that held
   * its key would never let the key go).
   */
  private static final IdentityTable<Target> ERROR_HANDLERS = new IdentityTable<>();

  /** The task of an untimed context frame ({@link #enterHandler}): no Camel task is it. */
  private static final Object CONTEXT = new Object();

  /** Route op ids by route id, for redeliveries (which know the route only by its id). */
  private static final ConcurrentHashMap<String, Integer> ROUTE_OPS = new ConcurrentHashMap<>();

  /** Calls that complete after their {@code process} returned, by Camel's task. */
  private static final ConcurrentHashMap<Object, Object> IN_FLIGHT = new ConcurrentHashMap<>();

  /**
   * Whether the framework's internals are timed too ({@code instrument.framework-internals}): then
   * Camel's own classes run between the frames of routes and nodes, and a route or node is placed
   * relative to the outermost Camel frame on the thread rather than under the innermost other
   * operation (which would be one of those internals).
   */
  private static volatile boolean internalsShown;

  private CamelCalls() {}

  /** Set once by the agent, before any Camel class is woven. */
  public static void internalsShown(boolean shown) {
    internalsShown = shown;
  }

  // ---- registration: once per route and node, when Camel builds a route ----

  /** A route's processor, the one its consumer calls. */
  public static void route(Object processor, String routeId) {
    try {
      if (processor == null || routeId == null) return;
      int op = routeOp(routeId);
      if (!PROCESSORS.put(processor, new Target(true, op, -1, null, null))) {
        full();
      }
    } catch (Throwable t) {
      Core.internalError("camel route", t);
    }
  }

  /**
   * A node's channel.
   *
   * @param definition the node's definition (Camel's {@code NamedNode})
   * @param enclosing the definitions that enclose it in its route, innermost first
   * @param enclosingIds their ids
   */
  public static void channel(
      Object channel,
      String routeId,
      String nodeId,
      Object definition,
      Object[] enclosing,
      String[] enclosingIds) {
    try {
      if (channel == null || routeId == null || nodeId == null) return;
      if (definition != null) {
        CHANNEL_DEFINITIONS.put(definition, Boolean.TRUE);
      }
      Target t =
          new Target(false, routeOp(routeId), OpRegistry.id(NODE, nodeId), enclosing, enclosingIds);
      if (!PROCESSORS.put(channel, t)) {
        full();
      }
    } catch (Throwable t) {
      Core.internalError("camel node", t);
    }
  }

  private static void full() {
    AgentLog.warnOnce(
        "camel-full",
        "more than " + IdentityTable.MAX + " Camel routes and nodes: the others are not profiled");
  }

  private static int routeOp(String routeId) {
    Integer op = ROUTE_OPS.get(routeId);
    if (op == null) {
      if (ROUTE_OPS.size() >= IdentityTable.MAX) {
        return OpRegistry.id(ROUTE, "(other routes)");
      }
      op = OpRegistry.id(ROUTE, routeId);
      ROUTE_OPS.put(routeId, op);
    }
    return op;
  }

  // ---- per call ----

  /**
   * {@code CamelInternalProcessor.process} starts: the state to pass to {@link #exit}, or null when
   * the processor is not a route's or a node's.
   */
  public static Object enter(Object processor) {
    try {
      Target t = PROCESSORS.get(processor);
      return t == null ? null : push(t, null);
    } catch (Throwable e) {
      Core.internalError("camel enter", e);
      return null;
    }
  }

  /**
   * A node's error handler runs the node's work ({@code RedeliveryErrorHandler}'s tasks: Camel
   * schedules them from its loop after the channel's {@code process} returned): the node's frame is
   * put back on the thread, untimed, so that what the user's code calls nests under the node. The
   * state to pass to {@link #exit}, or null.
   */
  public static Object enterHandler(Object errorHandler) {
    try {
      Target t = ERROR_HANDLERS.get(errorHandler);
      return t == null ? null : push(t, CONTEXT);
    } catch (Throwable e) {
      Core.internalError("camel error handler", e);
      return null;
    }
  }

  /**
   * A channel's error handler: the processor that runs the node's work, with redeliveries. Camel
   * sets it after {@code initChannel} ({@link #channel}).
   */
  public static void errorHandler(Object channel, Object errorHandler) {
    try {
      Target t = channel == null ? null : PROCESSORS.get(channel);
      if (t != null && errorHandler != null && !ERROR_HANDLERS.put(errorHandler, t)) {
        full();
      }
    } catch (Throwable e) {
      Core.internalError("camel error handler", e);
    }
  }

  /** Pushes the frame of a call ({@code context} null) or an untimed context ({@link #CONTEXT}). */
  private static Object push(Target t, Object context) {
    {
      ThreadState ts = ThreadState.ofCurrentThread();
      Frames f = (Frames) ts.libraryState(SLOT);
      if (f == null) {
        f = new Frames();
        ts.libraryState(SLOT, f);
      }
      int n = f.n;
      if (n == MAX_FRAMES) {
        return null;
      }
      Node anchor = f.anchor(ts);
      Node node = t.node(anchor);
      long start = System.nanoTime();
      if (Core.enterNode(node, start) == null) {
        return null;
      }
      f.task[n] = context;
      f.node[n] = node;
      f.anchor[n] = anchor;
      f.start[n] = start;
      f.depth[n] = ts.depth();
      f.route[n] = t.route;
      f.done[n] = context != null;
      f.n = n + 1;
      return f;
    }
  }

  /**
   * Camel's completion task of the processor whose {@code process} just started: the task of the
   * innermost Camel frame, unless that has one (the task of a processor that is neither a route's
   * nor a node's, called inside it). A processor prepares its task before it calls anything.
   */
  public static void prepared(Object task) {
    try {
      Frames f = (Frames) ThreadState.ofCurrentThread().libraryState(SLOT);
      if (f == null) return;
      int i = f.n - 1;
      if (i >= 0 && f.task[i] == null) {
        f.task[i] = task;
      }
    } catch (Throwable e) {
      Core.internalError("camel prepare", e);
    }
  }

  /** {@code process} returns (or throws) for the call {@link #enter} returned {@code state} for. */
  public static void exit(Object state, Throwable thrown) {
    try {
      Frames f = (Frames) state;
      int i = --f.n;
      Object task = f.task[i];
      f.task[i] = null;
      Node node = f.node[i];
      f.node[i] = null;
      f.anchor[i] = null;
      ThreadState ts = ThreadState.ofCurrentThread();
      if (f.done[i]) {
        Core.leaveUnrecorded(ts);
      } else if (thrown != null || task == null) {
        Core.exit(ts, thrown, node.opId()); // ends here: it threw, or returned without its task
      } else {
        Core.leaveUnrecorded(ts); // completes later, when Camel calls its task back
        long start = f.start[i];
        boolean route = f.route[i];
        if (IN_FLIGHT.size() >= MAX_IN_FLIGHT) {
          AgentLog.warnOnce(
              "camel-in-flight",
              "more than " + MAX_IN_FLIGHT + " Camel exchanges in flight: some are not timed");
          return;
        }
        Object prev = IN_FLIGHT.putIfAbsent(task, new Pending(node, start, route));
        if (prev instanceof Ended e && IN_FLIGHT.remove(task, prev)) {
          record(node, route, e.end - start, e.error, e.handled);
        }
      }
    } catch (Throwable e) {
      Core.internalError("camel exit", e);
    }
  }

  /**
   * Camel's completion task of {@code processor} ran: the exchange completed that processor, failed
   * with {@code error} (an exception class name) or not, its failure {@code handled} or not.
   */
  public static void done(Object task, Object processor, String error, boolean handled) {
    try {
      long end = System.nanoTime();
      ThreadState ts = ThreadState.ofCurrentThread();
      Frames f = (Frames) ts.libraryState(SLOT);
      if (f != null) {
        for (int i = f.n - 1; i >= 0; i--) {
          if (f.task[i] == task) {
            if (!f.done[i]) {
              f.done[i] = true;
              record(f.node[i], f.route[i], end - f.start[i], error, handled);
            }
            return;
          }
        }
      }
      if (IN_FLIGHT.isEmpty() && PROCESSORS.get(processor) == null) {
        return;
      }
      Object[] pending = new Object[1];
      boolean tracked = PROCESSORS.get(processor) != null;
      IN_FLIGHT.compute(
          task,
          (k, v) -> {
            if (v instanceof Pending) {
              pending[0] = v;
              return null;
            }
            // its process() has not returned yet on its thread: it records the call then
            return tracked ? new Ended(end, error, handled) : v;
          });
      if (pending[0] instanceof Pending p) {
        record(p.node, p.route, end - p.start, error, handled);
      }
    } catch (Throwable e) {
      Core.internalError("camel done", e);
    }
  }

  /** An error handler redelivers an exchange in the route {@code routeId}. */
  public static void redelivered(String routeId) {
    try {
      if (routeId == null) return;
      ThreadState ts = ThreadState.ofCurrentThread();
      Frames f = (Frames) ts.libraryState(SLOT);
      Node anchor = f == null ? ts.currentNode() : f.anchor(ts);
      anchor.child(routeOp(routeId)).add(REDELIVERIES, 1);
    } catch (Throwable e) {
      Core.internalError("camel redelivery", e);
    }
  }

  private static void record(Node node, boolean route, long nanos, String error, boolean handled) {
    node.record(nanos);
    if (error != null) {
      node.error(error);
    } else if (route && handled) {
      node.add(FAILURES_HANDLED, 1);
    }
  }

  // ---- state ----

  /** A route's processor or a node's channel: its place in the tree, resolved once. */
  static final class Target {
    final boolean route;
    private final int routeOp;
    private final int nodeOp;
    private Object[] enclosing;
    private String[] enclosingIds;

    /** Ops below the anchor: the route, the enclosing nodes with a channel, the node. */
    private volatile int[] path;

    private volatile Placed placed;

    /** A route ({@code nodeOp} -1) or a node, resolved at its first call. */
    Target(boolean route, int routeOp, int nodeOp, Object[] enclosing, String[] enclosingIds) {
      this.route = route;
      this.routeOp = routeOp;
      this.nodeOp = nodeOp;
      this.enclosing = enclosing;
      this.enclosingIds = enclosingIds;
      this.path = route ? new int[] {routeOp} : null;
    }

    /** The node of this target under {@code anchor}. */
    Node node(Node anchor) {
      Placed p = placed;
      if (p != null && p.anchor == anchor) {
        return p.node;
      }
      int[] ops = path;
      if (ops == null) {
        ops = resolve();
      }
      Node n = anchor;
      for (int op : ops) {
        n = n.child(op);
      }
      placed = new Placed(anchor, n);
      return n;
    }

    /**
     * At the first call, when the whole route is built: the enclosing nodes that have a channel (a
     * {@code split}; not a {@code when} or an {@code onException}, which have none).
     */
    private synchronized int[] resolve() {
      if (path != null) return path;
      int[] ops = new int[2 + (enclosing == null ? 0 : enclosing.length)];
      int n = 0;
      ops[n++] = routeOp;
      if (enclosing != null) {
        for (int i = enclosing.length - 1; i >= 0; i--) {
          if (enclosingIds[i] != null && CHANNEL_DEFINITIONS.get(enclosing[i]) != null) {
            ops[n++] = OpRegistry.id(NODE, enclosingIds[i]);
          }
        }
      }
      ops[n++] = nodeOp;
      enclosing = null;
      enclosingIds = null;
      int[] resolved = java.util.Arrays.copyOf(ops, n);
      path = resolved;
      return resolved;
    }
  }

  /** A target's node under one anchor (the usual one), kept to skip the child lookups. */
  private record Placed(Node anchor, Node node) {}

  /** A call whose {@code process} returned before it completed. */
  private record Pending(Node node, long start, boolean route) {}

  /** A call that completed on another thread before its {@code process} returned. */
  private record Ended(long end, String error, boolean handled) {}

  /** The Camel frames open on one thread (own thread only). */
  private static final class Frames {
    final Object[] task = new Object[MAX_FRAMES];
    final Node[] node = new Node[MAX_FRAMES];
    final Node[] anchor = new Node[MAX_FRAMES];
    final long[] start = new long[MAX_FRAMES];
    final int[] depth = new int[MAX_FRAMES];
    final boolean[] route = new boolean[MAX_FRAMES];
    final boolean[] done = new boolean[MAX_FRAMES];
    int n;

    /**
     * Where a route goes: the innermost non-Camel operation on the thread, which is the anchor of
     * the innermost Camel frame if nothing else runs above it.
     */
    Node anchor(ThreadState ts) {
      int i = n - 1;
      return i >= 0 && (depth[i] == ts.depth() || internalsShown) ? anchor[i] : ts.currentNode();
    }
  }
}
