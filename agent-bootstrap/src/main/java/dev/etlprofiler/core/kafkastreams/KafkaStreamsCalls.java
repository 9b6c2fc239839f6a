package dev.etlprofiler.core.kafkastreams;

import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.OpRegistry;
import dev.etlprofiler.core.ThreadState;
import java.lang.reflect.Method;

/**
 * What the code woven into Kafka Streams (3.x and 4.x) calls. Each stream task's processing of one
 * record becomes a {@code kafka-streams-task} node named {@code task 0_1} (sub-topology 0,
 * partition 1); under it, each processor node the record passes through a {@code
 * kafka-streams-node} node named by the node's name ({@code KSTREAM-FILTER-0000000002}, or the
 * user's {@code Named.as}): the source node, then its children, which the framework calls
 * synchronously (a node's time includes its children's). A task's commit ({@code commit}, where a
 * KTable's cache is flushed and its downstream nodes run) and punctuations ({@code punctuate}) are
 * nodes under the task too.
 *
 * <p>Op ids are resolved once per processor node (in its {@code init}, kept in a field the agent
 * adds to {@code ProcessorNode}) and once per task (kept in a field added to {@code StreamTask}):
 * per record, {@link Core#enter}/{@link Core#exit} on those ids and nothing else. Ids are kept as
 * {@code id + 1} so that a field still at 0 means "not resolved". Nothing here throws.
 */
public final class KafkaStreamsCalls {
  public static final String KIND_TASK = "kafka-streams-task";
  public static final String KIND_NODE = "kafka-streams-node";
  public static final String KIND_COMMIT = "kafka-streams-commit";
  public static final String KIND_PUNCTUATE = "kafka-streams-punctuate";

  /** The woven {@code StreamTask} methods (the {@code what} of {@link #enterTask}). */
  public static final int COMMIT = 1;

  public static final int PUNCTUATE = 2;

  private static final int COMMIT_OP = OpRegistry.id(KIND_COMMIT, "commit");
  private static final int PUNCTUATE_OP = OpRegistry.id(KIND_PUNCTUATE, "punctuate");

  private static volatile Method taskId;

  private KafkaStreamsCalls() {}

  /** A processor node's op id (+1), from its name: once per node instance, in its init. */
  public static int nodeOp(String name) {
    try {
      return name == null ? 0 : OpRegistry.id(KIND_NODE, name) + 1;
    } catch (Throwable t) {
      Core.internalError("Kafka Streams node", t);
      return 0;
    }
  }

  /** Per record, in a node's process: the node's frame. */
  public static ThreadState enterNode(int op) {
    return op == 0 ? null : Core.onEnter(op - 1);
  }

  public static void exitNode(ThreadState ts, Throwable thrown, int op) {
    if (op != 0) {
      Core.onExit(ts, thrown, op - 1);
    }
  }

  /**
   * A task's op id (+1): {@code op} when already resolved, else from its {@code id()} (the task id,
   * e.g. {@code 0_1}) by reflection, once per task.
   */
  public static int taskOp(Object task, int op) {
    if (op != 0) {
      return op;
    }
    try {
      Method m = taskId;
      if (m == null) {
        m = task.getClass().getMethod("id");
        taskId = m;
      }
      return OpRegistry.id(KIND_TASK, "task " + m.invoke(task)) + 1;
    } catch (Throwable t) {
      Core.internalError("Kafka Streams task", t);
      return 0;
    }
  }

  /** Per record: {@code StreamTask.process}, a frame of the task. */
  public static ThreadState enterProcess(int taskOp) {
    return taskOp == 0 ? null : Core.onEnter(taskOp - 1);
  }

  /** A call of {@code process} that found no record to process is not recorded. */
  public static void exitProcess(boolean processed, ThreadState ts, Throwable thrown, int taskOp) {
    if (taskOp == 0) {
      return;
    }
    if (!processed && thrown == null) {
      Core.exitUnrecorded(ts);
    } else {
      Core.onExit(ts, thrown, taskOp - 1);
    }
  }

  /**
   * A commit or a punctuation of the task: an untimed frame of the task, and under it a timed
   * {@code commit}/{@code punctuate} frame.
   */
  public static ThreadState enterTask(int taskOp, int what) {
    if (taskOp == 0) {
      return null;
    }
    try {
      ThreadState context = Core.enterContext(taskOp - 1);
      if (context == null) {
        return null;
      }
      ThreadState ts = Core.enter(what == COMMIT ? COMMIT_OP : PUNCTUATE_OP);
      if (ts == null) {
        Core.exit(context, null, taskOp - 1);
      }
      return ts;
    } catch (Throwable t) {
      Core.internalError("Kafka Streams task", t);
      return null;
    }
  }

  public static void exitTask(ThreadState ts, Throwable thrown, int taskOp, int what) {
    if (ts == null || taskOp == 0) {
      return;
    }
    try {
      Core.exit(ts, thrown, what == COMMIT ? COMMIT_OP : PUNCTUATE_OP);
      Core.exit(ThreadState.ofCurrentThread(), null, taskOp - 1);
    } catch (Throwable t) {
      Core.internalError("Kafka Streams task", t);
    }
  }
}
