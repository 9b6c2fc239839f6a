package dev.etlprofiler.core.flink;

import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.OpRegistry;
import dev.etlprofiler.core.ThreadState;
import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the code woven into Flink's stream operators (1.20 and 2.x) calls. Each operator instance
 * becomes a {@code flink-operator} node named by the operator's own name, the one the job's graph
 * shows ({@code Map}, {@code Filter}, {@code Keyed Reduce}, the user's {@code .name("parse")}),
 * whatever the user's function is (a lambda, a method reference, a class).
 *
 * <p>The operator's name is read by reflection ({@code getOperatorConfig().getOperatorName()}) once
 * per operator instance, when its first record arrives: the woven operator class keeps the
 * operation id in a field of its own (added when the class is loaded), so per record the woven code
 * reads that field and calls {@link Core#onEnter}/{@link Core#onExit}, nothing else.
 *
 * <p>When an operator closes, the framework's own counts of the records it took and emitted (its
 * {@code numRecordsIn}/{@code numRecordsOut} metrics) are added to its node as {@code recordsIn}
 * and {@code recordsOut}. Nothing here throws.
 */
public final class FlinkCalls {
  public static final String KIND_OPERATOR = "flink-operator";

  /** Counters on an operator node, from the operator's metrics when it closes (-1: none). */
  static final int RECORDS_IN = register("recordsIn");

  static final int RECORDS_OUT = register("recordsOut");

  /** Distinct operator names kept; further ones share {@code (other)}. */
  private static final int MAX_NAMES = 500;

  /** Operators that took records and are not closed yet, with their node (bounded). */
  private static final int MAX_OPEN = 10_000;

  private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();
  private static final Map<Object, Node> OPEN = new IdentityHashMap<>();

  private FlinkCalls() {}

  /**
   * The operation id of an operator (called by the woven class once per operator instance, when its
   * cached id is still unset): named by its operator name. Never throws.
   */
  public static int resolve(Object operator) {
    try {
      String name = operatorName(operator);
      int op = op(name == null ? operator.getClass().getSimpleName() : name);
      try {
        Node parent = ThreadState.ofCurrentThread().currentNode();
        if (parent != null) {
          synchronized (OPEN) {
            if (OPEN.size() < MAX_OPEN) {
              OPEN.put(operator, parent.opId() == op ? parent : parent.child(op));
            }
          }
        }
      } catch (Throwable t) {
        Core.internalError("Flink operator node", t);
      }
      return op;
    } catch (Throwable t) {
      Core.internalError("Flink operator name", t);
      return op("(unnamed)");
    }
  }

  /**
   * {@code AbstractStreamOperator.close()}: the operator's record counts on its node. Operators
   * that never took a record have no node and are left alone.
   */
  public static void closed(Object operator) {
    try {
      Node node;
      synchronized (OPEN) {
        node = OPEN.remove(operator);
      }
      if (node == null) {
        return;
      }
      Object io = call(call(operator, "getMetricGroup"), "getIOMetricGroup");
      add(node, RECORDS_IN, call(call(io, "getNumRecordsInCounter"), "getCount"));
      add(node, RECORDS_OUT, call(call(io, "getNumRecordsOutCounter"), "getCount"));
    } catch (Throwable t) {
      Core.internalError("Flink operator counts", t);
    }
  }

  private static void add(Node node, int counter, Object count) {
    if (counter >= 0 && count instanceof Number) {
      long n = ((Number) count).longValue();
      if (n > 0) {
        node.add(counter, n);
      }
    }
  }

  private static String operatorName(Object operator) throws Exception {
    Object config = call(operator, "getOperatorConfig");
    Object name = config == null ? null : call(config, "getOperatorName");
    return name == null ? null : name.toString();
  }

  /** The op id of an operator name, at most {@link #MAX_NAMES} distinct names. */
  private static int op(String name) {
    String n = name;
    if (!NAMES.contains(n)) {
      if (NAMES.size() >= MAX_NAMES) {
        n = "(other)";
      } else {
        NAMES.add(n);
      }
    }
    return OpRegistry.id(KIND_OPERATOR, n);
  }

  private static Object call(Object target, String method) throws Exception {
    if (target == null) {
      return null;
    }
    Method m = target.getClass().getMethod(method);
    try {
      return m.invoke(target);
    } catch (IllegalAccessException e) {
      m.setAccessible(true);
      return m.invoke(target);
    }
  }

  private static int register(String name) {
    try {
      return Counter.register(name);
    } catch (Throwable t) {
      return -1;
    }
  }
}
