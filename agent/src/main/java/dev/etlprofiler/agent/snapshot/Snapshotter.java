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
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "etl-profiler-snapshot");
        t.setDaemon(true);
        return t;
      });
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
    thread.execute(this::init);
    if (resources) {
      long every = resourceInterval.toMillis();
      thread.scheduleAtFixedRate(() -> guard("resource sample", () -> {
        ResourceSampler s = sampler;
        if (s != null) s.sample();
      }), every, every, TimeUnit.MILLISECONDS);
    }
    long every = interval.toMillis();
    // The first interval ends after at most 1 s: the CPU-budget controller decides at each
    // snapshot which hot methods to sample, and a job should not pay full timing for 10 s first.
    thread.scheduleAtFixedRate(() -> guard("snapshot", () -> writer().writeInterval(false)),
        Math.min(every, FIRST_INTERVAL_MILLIS), every, TimeUnit.MILLISECONDS);
    Thread hook = new Thread(this::finish, "etl-profiler-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private synchronized void init() {
    if (sampler != null) {
      return;
    }
    guard("resource sampler", () -> sampler = samplerFactory.get());
    guard("snapshot writer", this::writer); // loads the writer's classes now, not at exit
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
    guard("final snapshot", () -> writer().writeInterval(true));
  }

  private static void guard(String what, Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      Core.internalError(what, t);
    }
  }
}
