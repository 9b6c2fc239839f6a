package dev.etlprofiler.core.springbatch;

import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.OpRegistry;
import dev.etlprofiler.core.ThreadState;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the code woven into Spring Batch (5.x and 6.x) calls. A job run becomes a {@code
 * spring-batch-job} node named {@code job NAME}; each step execution a {@code spring-batch-step}
 * node named {@code step NAME} under it; each chunk a {@code chunk} node under the step (a tasklet
 * step's transactions a {@code tasklet} node); the framework's calls of the reader, processor and
 * writer {@code read}, {@code process} and {@code write} nodes under the chunk, whatever the user's
 * reader, processor or writer is (a lambda, a method reference, a class, a built-in reader).
 *
 * <p>The woven code passes the framework's objects as {@code Object}: this class is on the
 * bootstrap class path and cannot link against Spring Batch, whose types moved packages between 5
 * and 6; it reads them by reflection, by method name, once per job, step execution or chunk run on
 * a worker thread, never per item. Per item: {@link Core#enter} and {@link Core#exit} on constant
 * operation ids, nothing else (the node of {@code read} under the current chunk is found by the
 * core's child table).
 *
 * <p>A step's names are resolved once, when the step starts, and kept in this thread's library
 * state while it runs; a chunk (or, with Spring Batch 6's chunk-oriented step, an item) run by a
 * task executor on another thread finds its step among the steps running (by identity) and opens
 * untimed context frames for its job and step there, so multi-threaded and partitioned steps
 * attribute their work to their step. At the step's end the framework's own counts are added to the
 * step node. Nothing here throws.
 */
public final class SpringBatchCalls {
  public static final String KIND_JOB = "spring-batch-job";
  public static final String KIND_STEP = "spring-batch-step";
  public static final String KIND_CHUNK = "spring-batch-chunk";
  public static final String KIND_TASKLET = "spring-batch-tasklet";
  public static final String KIND_READ = "spring-batch-read";
  public static final String KIND_PROCESS = "spring-batch-process";
  public static final String KIND_WRITE = "spring-batch-write";

  /** Woven call kinds (the {@code kind} argument of {@link #enter} and {@link #exit}). */
  public static final int JOB = 0;

  /** {@code AbstractStep.execute(StepExecution)}. */
  public static final int STEP = 1;

  /**
   * {@code ChunkOrientedTasklet.execute(StepContribution, ChunkContext)}: arg0 the contribution.
   */
  public static final int CHUNK_TASKLET = 2;

  /** Spring Batch 6 {@code ChunkOrientedStep.processNextChunk}: arg0 the step execution. */
  public static final int CHUNK_STEP = 3;

  /** {@code TaskletStep$ChunkTransactionCallback.doInTransaction}: arg0 the transaction status. */
  public static final int TRANSACTION = 4;

  static final int CHUNK = OpRegistry.id(KIND_CHUNK, "chunk");
  static final int TASKLET = OpRegistry.id(KIND_TASKLET, "tasklet");
  static final int READ = OpRegistry.id(KIND_READ, "read");
  static final int PROCESS = OpRegistry.id(KIND_PROCESS, "process");
  static final int WRITE = OpRegistry.id(KIND_WRITE, "write");

  /** Counters on a step node, from its StepExecution at the step's end (-1: not registered). */
  static final int ITEMS_READ = register("itemsRead");

  static final int ITEMS_WRITTEN = register("itemsWritten");
  static final int ITEMS_FILTERED = register("itemsFiltered");
  static final int READ_SKIPS = register("readSkips");
  static final int PROCESS_SKIPS = register("processSkips");
  static final int WRITE_SKIPS = register("writeSkips");
  static final int COMMITS = register("commits");
  static final int ROLLBACKS = register("rollbacks");

  private static final int SLOT = slot();

  /**
   * Distinct job and step names kept; further ones share {@code job (other)}/{@code step (other)}.
   */
  private static final int MAX_NAMES = 500;

  private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

  /** The step executions running now, in any thread (few: removed when the step ends). */
  private static final List<StepInfo> RUNNING = new CopyOnWriteArrayList<>();

  /** Owner of the context frames opened for one item processed on a worker thread. */
  private static final Object ITEM = new Object();

  private SpringBatchCalls() {}

  /** One step execution: its names resolved to operation ids once. */
  static final class StepInfo {
    final Object step;
    final Object execution;
    final int jobOp;
    final int stepOp;
    final boolean chunkOriented;

    StepInfo(Object step, Object execution, int jobOp, int stepOp, boolean chunkOriented) {
      this.step = step;
      this.execution = execution;
      this.jobOp = jobOp;
      this.stepOp = stepOp;
      this.chunkOriented = chunkOriented;
    }
  }

  /**
   * This thread's innermost step: a step frame (owner null; {@code contexts} untimed job frames
   * opened before it), or context frames opened for a chunk or an item run on a worker thread
   * (owner: what the woven exit gets back to close them).
   */
  static final class Frame {
    final StepInfo info;
    final Frame outer;
    final int contexts;
    final Object owner;

    Frame(StepInfo info, Frame outer, int contexts, Object owner) {
      this.info = info;
      this.outer = outer;
      this.contexts = contexts;
      this.owner = owner;
    }
  }

  // ---- per item: Core.enter/exit on constant ids only ----

  public static ThreadState enterRead() {
    return Core.onEnter(READ);
  }

  /** A read that returned null (the end of the input) is not a read of an item: not recorded. */
  public static void exitRead(Object item, ThreadState ts, Throwable thrown) {
    if (item == null && thrown == null) {
      Core.exitUnrecorded(ts);
    } else {
      Core.onExit(ts, unwrapped(thrown), READ);
    }
  }

  public static ThreadState enterProcess() {
    return Core.onEnter(PROCESS);
  }

  public static void exitProcess(ThreadState ts, Throwable thrown) {
    Core.onExit(ts, unwrapped(thrown), PROCESS);
  }

  public static ThreadState enterWrite() {
    return Core.onEnter(WRITE);
  }

  public static void exitWrite(ThreadState ts, Throwable thrown) {
    Core.onExit(ts, unwrapped(thrown), WRITE);
  }

  /**
   * Spring Batch 6's {@code ChunkOrientedStep.doProcess}: items may be processed by a task executor
   * on other threads than the step's; there, the step is found among those running and context
   * frames are opened for this item.
   */
  public static ThreadState enterStepProcess(Object step) {
    try {
      ThreadState cur = ThreadState.ofCurrentThread();
      if (cur.libraryState(SLOT) == null) {
        StepInfo info = runningStep(step);
        if (info != null) {
          openContexts(cur, info, ITEM);
        }
      }
      return Core.enter(PROCESS);
    } catch (Throwable t) {
      Core.internalError("Spring Batch process", t);
      return null;
    }
  }

  public static void exitStepProcess(ThreadState ts, Throwable thrown) {
    Core.onExit(ts, unwrapped(thrown), PROCESS);
    try {
      ThreadState cur = ThreadState.ofCurrentThread();
      Frame f = (Frame) cur.libraryState(SLOT);
      if (f != null && f.owner == ITEM) {
        closeContexts(cur, f);
      }
    } catch (Throwable t) {
      Core.internalError("Spring Batch process", t);
    }
  }

  /**
   * The failure of a call: Spring Batch 6's fault-tolerant chunk-oriented step calls the reader,
   * processor and writer through Spring's {@code RetryTemplate}, which wraps what they threw in a
   * {@code RetryException}: the error is named by the application's exception. Exceptions only.
   */
  static Throwable unwrapped(Throwable thrown) {
    if (thrown != null
        && thrown.getCause() != null
        && thrown.getClass().getName().equals("org.springframework.core.retry.RetryException")) {
      return thrown.getCause();
    }
    return thrown;
  }

  // ---- per job, step and chunk ----

  /** Starts a woven call of a kind above; the state to pass to {@link #exit}. */
  public static ThreadState enter(int kind, Object thiz, Object arg0) {
    try {
      switch (kind) {
        case JOB:
          return enterJob(thiz, arg0);
        case STEP:
          return enterStep(thiz, arg0);
        default:
          return enterChunk(kind, thiz, arg0);
      }
    } catch (Throwable t) {
      Core.internalError("Spring Batch enter", t);
      return null;
    }
  }

  /** Ends a woven call started by {@link #enter}. */
  public static void exit(
      Object returned, int kind, Object arg0, ThreadState ts, Throwable thrown) {
    try {
      switch (kind) {
        case JOB:
          exitJob(arg0, ts, thrown);
          break;
        case STEP:
          exitStep(arg0, ts, thrown);
          break;
        default:
          exitChunk(kind, arg0, ts, thrown);
      }
    } catch (Throwable t) {
      Core.internalError("Spring Batch exit", t);
    }
  }

  private static ThreadState enterJob(Object job, Object jobExecution) throws Exception {
    String name = str(call(call(jobExecution, "getJobInstance"), "getJobName"));
    if (name == null) {
      name = str(call(job, "getName"));
    }
    return Core.enter(op(KIND_JOB, "job ", name));
  }

  private static void exitJob(Object jobExecution, ThreadState ts, Throwable thrown) {
    if (ts != null && ts != ThreadState.UNTIMED && thrown == null) {
      failure(ts.currentNode(), jobExecution, "getAllFailureExceptions");
    }
    Core.onExit(ts, thrown, 0);
  }

  private static ThreadState enterStep(Object step, Object execution) throws Exception {
    StepInfo info = stepInfo(step, execution);
    ThreadState cur = ThreadState.ofCurrentThread();
    Frame outer = (Frame) cur.libraryState(SLOT); // first: nothing is pushed if it fails
    int contexts = 0;
    if (!inside(cur, info.jobOp) && Core.enterContext(info.jobOp) != null) {
      contexts = 1;
    }
    ThreadState ts = Core.enter(info.stepOp);
    cur.libraryState(SLOT, new Frame(info, outer, contexts, null));
    RUNNING.add(info);
    return ts;
  }

  private static void exitStep(Object execution, ThreadState ts, Throwable thrown) {
    ThreadState cur = ThreadState.ofCurrentThread();
    Frame f = (Frame) cur.libraryState(SLOT);
    if (f == null || f.owner != null || f.info.execution != execution) {
      Core.onExit(ts, thrown, 0); // unbalanced (the enter failed): only this call's frame
      return;
    }
    RUNNING.remove(f.info);
    try {
      Node node = ts == cur ? cur.currentNode() : cur.currentNode().child(f.info.stepOp);
      counts(node, execution);
    } catch (Throwable t) {
      Core.internalError("Spring Batch step counts", t);
    }
    Core.onExit(ts, thrown, f.info.stepOp);
    for (int i = 0; i < f.contexts; i++) {
      Core.onExit(cur, null, f.info.jobOp);
    }
    cur.libraryState(SLOT, f.outer);
  }

  private static ThreadState enterChunk(int kind, Object thiz, Object arg0) throws Exception {
    ThreadState cur = ThreadState.ofCurrentThread();
    Frame f = (Frame) cur.libraryState(SLOT);
    if (f == null) {
      StepInfo info = runningExecution(stepExecutionOf(kind, thiz, arg0));
      if (info != null) {
        f = openContexts(cur, info, arg0);
      }
    }
    if (kind == TRANSACTION) {
      // a chunk-oriented step's transaction: its chunk is timed inside
      return f == null || f.info.chunkOriented ? null : Core.enter(TASKLET);
    }
    return Core.enter(CHUNK);
  }

  private static void exitChunk(int kind, Object arg0, ThreadState ts, Throwable thrown) {
    Core.onExit(ts, thrown, kind == TRANSACTION ? TASKLET : CHUNK);
    ThreadState cur = ThreadState.ofCurrentThread();
    Frame f = (Frame) cur.libraryState(SLOT);
    if (f != null && f.owner != null && f.owner == arg0) {
      closeContexts(cur, f);
    }
  }

  /** Opens untimed frames for the job (unless inside it already) and the step on this thread. */
  private static Frame openContexts(ThreadState cur, StepInfo info, Object owner) {
    Frame outer = (Frame) cur.libraryState(SLOT);
    int contexts = 0;
    if (!inside(cur, info.jobOp) && Core.enterContext(info.jobOp) != null) {
      contexts++;
    }
    if (Core.enterContext(info.stepOp) != null) {
      contexts++;
    }
    Frame f = new Frame(info, outer, contexts, owner);
    cur.libraryState(SLOT, f);
    return f;
  }

  private static void closeContexts(ThreadState cur, Frame f) {
    for (int i = 0; i < f.contexts; i++) {
      Core.onExit(cur, null, f.info.stepOp);
    }
    cur.libraryState(SLOT, f.outer);
  }

  /** Whether this thread runs inside a node of operation {@code op}. */
  private static boolean inside(ThreadState cur, int op) {
    for (Node n = cur.currentNode(); n != null; n = n.visibleParent()) {
      if (n.isVisible() && n.opId() == op) {
        return true;
      }
    }
    return false;
  }

  private static StepInfo runningExecution(Object execution) {
    if (execution == null) {
      return null;
    }
    for (StepInfo i : RUNNING) {
      if (i.execution == execution) {
        return i;
      }
    }
    return null;
  }

  private static StepInfo runningStep(Object step) {
    for (StepInfo i : RUNNING) {
      if (i.step == step) {
        return i;
      }
    }
    return null;
  }

  /** The step execution a chunk-level call belongs to, read from its arguments (worker threads). */
  private static Object stepExecutionOf(int kind, Object thiz, Object arg0) throws Exception {
    switch (kind) {
      case CHUNK_STEP:
        return arg0;
      case CHUNK_TASKLET:
        return call(arg0, "getStepExecution");
      case TRANSACTION:
        {
          Field f = thiz.getClass().getDeclaredField("chunkContext");
          f.setAccessible(true);
          return call(call(f.get(thiz), "getStepContext"), "getStepExecution");
        }
      default:
        return null;
    }
  }

  private static StepInfo stepInfo(Object step, Object execution) throws Exception {
    String stepName = str(call(execution, "getStepName"));
    String own = str(call(step, "getName"));
    if (stepName == null) {
      stepName = own;
    } else if (own != null && stepName.startsWith(own + ":")) {
      stepName = own; // a partition of a partitioned step: named by the step
    }
    String jobName =
        str(call(call(call(execution, "getJobExecution"), "getJobInstance"), "getJobName"));
    boolean chunkOriented = false;
    try {
      Object tasklet = call(step, "getTasklet");
      chunkOriented = tasklet != null && extendsClass(tasklet.getClass(), "ChunkOrientedTasklet");
    } catch (NoSuchMethodException e) {
      // not a TaskletStep
    }
    return new StepInfo(
        step,
        execution,
        op(KIND_JOB, "job ", jobName),
        op(KIND_STEP, "step ", stepName),
        chunkOriented);
  }

  private static boolean extendsClass(Class<?> c, String simpleName) {
    for (; c != null; c = c.getSuperclass()) {
      if (c.getName().equals("org.springframework.batch.core.step.item." + simpleName)) {
        return true;
      }
    }
    return false;
  }

  /** The framework's own counts of a finished step, on its node. */
  private static void counts(Node node, Object execution) throws Exception {
    long read = count(node, ITEMS_READ, execution, "getReadCount");
    if (read > 0) {
      node.add(Counter.RECORDS, read);
    }
    count(node, ITEMS_WRITTEN, execution, "getWriteCount");
    count(node, ITEMS_FILTERED, execution, "getFilterCount");
    count(node, READ_SKIPS, execution, "getReadSkipCount");
    count(node, PROCESS_SKIPS, execution, "getProcessSkipCount");
    count(node, WRITE_SKIPS, execution, "getWriteSkipCount");
    count(node, COMMITS, execution, "getCommitCount");
    count(node, ROLLBACKS, execution, "getRollbackCount");
    failure(node, execution, "getFailureExceptions");
  }

  private static long count(Node node, int counter, Object execution, String getter)
      throws Exception {
    Object v = call(execution, getter);
    long n = v instanceof Number ? ((Number) v).longValue() : 0;
    if (n > 0 && counter >= 0) {
      node.add(counter, n);
    }
    return n;
  }

  /**
   * A step or job that did not complete: an error on its node, named by the type of its first
   * failure exception, else {@code ExitStatus CODE} (STOPPED, a custom code). COMPLETED and NOOP
   * are not errors.
   */
  private static void failure(Node node, Object execution, String failuresGetter) {
    try {
      String code = str(call(call(execution, "getExitStatus"), "getExitCode"));
      if (code == null || code.equals("COMPLETED") || code.equals("NOOP")) {
        return;
      }
      Object failures = call(execution, failuresGetter);
      if (failures instanceof List<?> && !((List<?>) failures).isEmpty()) {
        Object first = ((List<?>) failures).get(0);
        node.error(first == null ? "ExitStatus " + code : first.getClass().getName());
      } else {
        node.error("ExitStatus " + code);
      }
    } catch (Throwable t) {
      Core.internalError("Spring Batch exit status", t);
    }
  }

  /** The op id of a job or step name, at most {@link #MAX_NAMES} distinct names. */
  private static int op(String kind, String prefix, String name) {
    String n = name == null ? "(unnamed)" : name;
    if (!NAMES.contains(n)) {
      if (NAMES.size() >= MAX_NAMES) {
        n = "(other)";
      } else {
        NAMES.add(n);
      }
    }
    return OpRegistry.id(kind, prefix + n);
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

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  private static int register(String name) {
    try {
      return Counter.register(name);
    } catch (Throwable t) {
      return -1;
    }
  }

  private static int slot() {
    try {
      return ThreadState.newSlot();
    } catch (Throwable t) {
      return -1; // every use is guarded: the step frames are then not kept
    }
  }
}
