package dev.etlprofiler.agent.snapshot;

import dev.etlprofiler.agent.sample.ResourceSampler;
import dev.etlprofiler.core.Core;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's one background thread: samples resources every {@code resources.interval}, writes a
 * snapshot every {@code output.interval}, and a final one from a shutdown hook (normal end,
 * {@code System.exit}, SIGTERM). A daemon thread, so it never keeps the job alive.
 */
public final class Snapshotter {
  static final long FIRST_INTERVAL_MILLIS = 1000;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(new Daemon());
  private final Function<ResourceSampler, SnapshotWriter> writerFactory;
  private final Supplier<ResourceSampler> samplerFactory;
  private volatile SnapshotWriter writer;
  private volatile ResourceSampler sampler;
  private volatile boolean finished;
  private volatile boolean resources;

  public Snapshotter(
      Supplier<ResourceSampler> samplerFactory, Function<ResourceSampler, SnapshotWriter> writerFactory) {
    this.samplerFactory = samplerFactory;
    this.writerFactory = writerFactory;
  }

  public void start(Duration interval, Duration resourceInterval, boolean resources) {
    this.resources = resources;
    // the JMX beans and /proc readers are created on the agent thread, not in premain
    thread.execute(new Task(Task.INIT));
    if (resources) {
      long every = resourceInterval.toMillis();
      thread.scheduleAtFixedRate(new Task(Task.SAMPLE), every, every, TimeUnit.MILLISECONDS);
    }
    long every = interval.toMillis();
    // The first interval ends after at most 1 s: the CPU-budget controller decides at each
    // snapshot which hot methods to sample, and a job should not pay full timing for 10 s first.
    thread.scheduleAtFixedRate(new Task(Task.SNAPSHOT), Math.min(every, FIRST_INTERVAL_MILLIS), every, TimeUnit.MILLISECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(new Task(Task.FINISH), "etl-profiler-shutdown"));
  }

  /**
   * The agent thread's work items. Named classes, not lambdas: these are created in the premain,
   * and every lambda spun there is LambdaMetafactory time the job waits for at start-up.
   */
  private final class Task implements Runnable {
    static final int INIT = 0;
    static final int SAMPLE = 1;
    static final int SNAPSHOT = 2;
    static final int FINISH = 3;
    private final int what;

    Task(int what) {
      this.what = what;
    }

    @Override
    public void run() {
      switch (what) {
        case INIT -> init();
        case SAMPLE -> {
          try {
            ResourceSampler s = sampler;
            if (s != null) s.sample();
          } catch (Throwable t) {
            Core.internalError("resource sample", t);
          }
        }
        case SNAPSHOT -> {
          try {
            writer().writeInterval(false);
          } catch (Throwable t) {
            Core.internalError("snapshot", t);
          }
        }
        default -> finish();
      }
    }
  }

  /** The agent's thread: a daemon, so it never keeps the job alive. */
  private static final class Daemon implements java.util.concurrent.ThreadFactory {
    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "etl-profiler-snapshot");
      t.setDaemon(true);
      return t;
    }
  }

  private synchronized void init() {
    if (sampler != null) {
      return;
    }
    try {
      sampler = samplerFactory.get();
    } catch (Throwable t) {
      Core.internalError("resource sampler", t);
    }
    try {
      writer(); // loads the writer's classes now, not at exit
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

  ResourceSampler sampler() {
    return sampler;
  }

  /** Writes the final snapshot; runs once, from the shutdown hook. */
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    thread.shutdownNow();
    try {
      // let a sample or snapshot in progress finish: the sampler is not thread-safe
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sampler == null && resources) {
      init(); // a job shorter than the agent thread's start still gets its resources
    }
    try {
      writer().writeInterval(true);
    } catch (Throwable t) {
      Core.internalError("final snapshot", t);
    }
  }
}
