package dev.etlprofiler.agent;

import dev.etlprofiler.agent.budget.CpuBudget;
import dev.etlprofiler.agent.resources.ResourceMonitor;
import dev.etlprofiler.agent.snapshot.SnapshotWriter;
import dev.etlprofiler.core.Core;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's one background thread: checks the CPU budget every 100 ms for the first 3 s and every
 * second after that, samples resources every {@code resources.interval}, writes a snapshot every
 * {@code output.interval}, and a final one from a shutdown hook (normal end, {@code System.exit},
 * SIGTERM). A daemon thread, so it never keeps the job alive.
 *
 * <p>The thread runs its own small loop over a handful of periodic tasks instead of a {@code
 * ScheduledThreadPoolExecutor}: the executor's classes are not in the JDK's class-data archive, and
 * loading them took a few ms of every job's start-up.
 */
public final class AgentThread {
  static final long FIRST_INTERVAL_MILLIS = 1000;

  /**
   * When the JMX GC beans are set up (about 80 ms of CPU with the other platform beans): after
   * start-up, not during it. A run that ends sooner has no GC figures (docs/snapshot-format.md).
   */
  static final long GC_START_MILLIS = 300;

  private static final int INIT = 0;
  private static final int GC = 1;
  private static final int BUDGET = 2;
  private static final int SAMPLE = 3;
  private static final int SNAPSHOT = 4;
  private static final int TASKS = 5;

  private final Function<ResourceMonitor, SnapshotWriter> writerFactory;
  private final Supplier<ResourceMonitor> samplerFactory;

  /** Per task: when it is due next (System.nanoTime), or Long.MAX_VALUE when off or done. */
  private final long[] due = new long[TASKS];

  /** Per task: its period in ns, 0 for a task that runs once. */
  private final long[] period = new long[TASKS];

  private Thread thread;
  private long started;
  private volatile boolean stopping;
  private volatile SnapshotWriter writer;
  private volatile ResourceMonitor sampler;
  private volatile boolean finished;
  private volatile boolean resources;

  /**
   * Made on the agent thread at its first check: it measures the clock, which the premain need not
   * wait for.
   */
  private CpuBudget budget;

  private double budgetPercent;

  public AgentThread(
      Supplier<ResourceMonitor> samplerFactory,
      Function<ResourceMonitor, SnapshotWriter> writerFactory) {
    this.samplerFactory = samplerFactory;
    this.writerFactory = writerFactory;
  }

  /**
   * @param cpuBudgetPercent timing overhead allowed, as a share of process CPU; 0 or less turns
   *     sampling of hot operations off
   */
  public void start(
      Duration interval, Duration resourceInterval, boolean resources, double cpuBudgetPercent) {
    this.resources = resources;
    long now = System.nanoTime();
    started = now;
    java.util.Arrays.fill(due, Long.MAX_VALUE);
    // the /proc readers and the writer are created on the agent thread, not in premain
    due[INIT] = now;
    if (cpuBudgetPercent > 0) {
      budgetPercent = cpuBudgetPercent;
      due[BUDGET] = now + millis(CpuBudget.FIRST_CHECK_MILLIS);
      period[BUDGET] = millis(CpuBudget.CHECK_MILLIS);
    }
    if (resources) {
      due[GC] = now + millis(GC_START_MILLIS);
      period[SAMPLE] = millis(resourceInterval.toMillis());
      due[SAMPLE] = now + period[SAMPLE];
    }
    long every = interval.toMillis();
    period[SNAPSHOT] = millis(every);
    // The first interval ends after at most 1 s, so that a short job's first figures come early.
    due[SNAPSHOT] = now + millis(Math.min(every, FIRST_INTERVAL_MILLIS));
    thread = new Thread(new Loop(), "etl-profiler-snapshot");
    thread.setDaemon(true);
    thread.start();
    Runtime.getRuntime().addShutdownHook(new Thread(new Finish(), "etl-profiler-shutdown"));
  }

  private static long millis(long ms) {
    return ms * 1_000_000L;
  }

  /** The agent thread: runs each task when it is due, one at a time, until the job ends. */
  private final class Loop implements Runnable {
    @Override
    public void run() {
      while (!stopping) {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (int task = 0; task < TASKS && !stopping; task++) {
          if (due[task] - now <= 0) {
            runTask(task);
            long after = System.nanoTime();
            if (task == BUDGET && after - started > millis(CpuBudget.FAST_CHECKS_MILLIS)) {
              period[BUDGET] = millis(CpuBudget.SLOW_CHECK_MILLIS);
            }
            // fixed rate, but a task that fell behind (a long GC pause) is not run in a burst
            due[task] =
                period[task] == 0
                    ? Long.MAX_VALUE
                    : Math.max(due[task] + period[task], after + period[task] / 2);
          }
          next = Math.min(next, due[task]);
        }
        long wait = next == Long.MAX_VALUE ? millis(1000) : next - System.nanoTime();
        if (wait > 0 && !stopping) {
          LockSupport.parkNanos(this, wait);
        }
      }
    }
  }

  /** The shutdown hook's work, as a named class: lambdas spun in the premain cost start-up time. */
  private final class Finish implements Runnable {
    @Override
    public void run() {
      finish();
    }
  }

  private void runTask(int task) {
    try {
      switch (task) {
        case INIT -> init();
        case GC -> {
          ResourceMonitor s = sampler;
          if (s != null) s.startGc();
        }
        case BUDGET -> {
          if (budget == null) {
            budget = new CpuBudget(budgetPercent, new ProcessCpu());
          }
          budget.check();
        }
        case SAMPLE -> {
          ResourceMonitor s = sampler;
          if (s != null) s.sample();
        }
        default -> writer().writeInterval(false);
      }
    } catch (Throwable t) {
      Core.internalError(TASK_NAMES[task], t);
    }
  }

  private static final String[] TASK_NAMES = {
    "agent thread start", "GC beans", "cpu budget", "resource sample", "snapshot"
  };

  /** The process's CPU time for the budget check (no lambda: see {@link Finish}). */
  private static final class ProcessCpu implements java.util.function.LongSupplier {
    @Override
    public long getAsLong() {
      return ResourceMonitor.processCpuNanos();
    }
  }

  private synchronized void init() {
    if (sampler != null) {
      return;
    }
    try {
      sampler = resources ? samplerFactory.get() : null;
    } catch (Throwable t) {
      Core.internalError("resource sampler", t);
    }
    try {
      writer().warmUp(); // loads the writer's classes now, not at exit
    } catch (Throwable t) {
      Core.internalError("snapshot writer", t);
    }
  }

  private synchronized SnapshotWriter writer() {
    if (writer == null) {
      writer = writerFactory.apply(sampler);
    }
    return writer;
  }

  ResourceMonitor sampler() {
    return sampler;
  }

  /** Writes the final snapshot; runs once, from the shutdown hook. */
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    stopping = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        // let a sample or snapshot in progress finish: the sampler is not thread-safe
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (sampler == null && resources) {
      init(); // a job shorter than the agent thread's start still gets its resources
    }
    try {
      Core.recordUnfinished();
      writer().writeInterval(true);
    } catch (Throwable e) {
      Core.internalError("final snapshot", e);
    }
  }
}
