package dev.etlprofiler.agent;

import dev.etlprofiler.agent.config.ConfigLoader;
import dev.etlprofiler.agent.config.ProfilerConfig;
import dev.etlprofiler.agent.instrument.Libraries;
import dev.etlprofiler.agent.resources.ResourceMonitor;
import dev.etlprofiler.agent.snapshot.RunInfo;
import dev.etlprofiler.agent.snapshot.SnapshotWriter;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.Core;
import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.Properties;

/**
 * Starts the agent inside its private class loader: configuration, the recording core,
 * instrumentation and the snapshot thread. Called once by {@code AgentPremain}.
 */
public final class AgentInstaller {
  private AgentInstaller() {}

  /**
   * Called by {@code AgentPremain} through reflection with the premain's own signature: on JDK 18+
   * a reflective call spins method-handle adapters per signature shape, and the JVM has just made
   * those of {@code (String, Instrumentation)} for the premain itself (a 4-argument install cost ≈
   * 10–20 ms of JDK 25's start-up in such adapters).
   */
  public static void install(String args, Instrumentation inst) {
    boolean attached = dev.etlprofiler.bootstrap.AgentPremain.attached();
    // the weaving classes load beside the premain, not when the first application class is woven
    Thread warmUp = new Thread(new WeaveWarmUp(), "etl-profiler-init");
    warmUp.setDaemon(true);
    warmUp.start();
    long pid = pid();
    ConfigLoader.Result result =
        ConfigLoader.load(args, System.getenv(), System.getProperties(), pid);
    for (String problem : result.problems()) {
      AgentLog.info("config: " + problem);
    }
    ProfilerConfig config = result.config();
    if (!config.enabled()) {
      AgentLog.info("disabled by configuration (enabled: false)");
      return;
    }
    AgentLog.debug(config.debug());
    Core.install(config.maxOperations(), config.sessionDataset(), config.sessionSource());
    // ByteBuddy reads net.bytebuddy.safe once, when its class injectors initialise. "true" keeps it
    // off sun.misc.Unsafe, which JDK 24+ reports with a warning block on the job's stderr. The
    // property is restored at once: the application's own ByteBuddy (if any) must not see it.
    String safe = System.getProperty("net.bytebuddy.safe");
    System.setProperty("net.bytebuddy.safe", "true");
    try {
      dev.etlprofiler.core.http.Endpoints.configure(
          config.maxEndpointsPerHost(), config.pathTemplates());
      Libraries.install(inst, config, attached);
    } catch (Throwable t) {
      AgentLog.info("instrumentation failed, only API calls are recorded: " + t);
    } finally {
      if (safe == null) {
        System.clearProperty("net.bytebuddy.safe");
      } else {
        System.setProperty("net.bytebuddy.safe", safe);
      }
    }
    // built on the agent thread: JMX costs start-up time that the job would otherwise wait for
    Factories factories = new Factories(config, pid, inst);
    AgentThread snapshotter = new AgentThread(factories, factories);
    snapshotter.start(
        config.interval(),
        config.resourcesInterval(),
        config.resourcesEnabled(),
        config.cpuBudgetPercent());
    AgentLog.info(
        "profiling "
            + describe(config)
            + "; snapshots every "
            + duration(config.interval())
            + " to "
            + config.outputDir().resolve(config.runId()));
  }

  /** {@code 10s}, {@code 1m30s}, or {@code 250ms} below a second. */
  static String duration(java.time.Duration d) {
    long millis = d.toMillis();
    if (millis < 1000 || millis % 1000 != 0) {
      return millis < 1000 ? millis + "ms" : (millis / 1000.0) + "s";
    }
    long s = millis / 1000;
    return s >= 60 && s % 60 == 0
        ? (s / 60) + "m"
        : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
  }

  /** {@link Libraries#warmUp()} as a named class: a lambda here costs start-up time. */
  private static final class WeaveWarmUp implements Runnable {
    @Override
    public void run() {
      Libraries.warmUp();
    }
  }

  /**
   * Builds the resource sampler and the snapshot writer on the agent thread. One named class, not
   * two lambdas: lambdas spun in the premain cost start-up time.
   */
  private static final class Factories
      implements java.util.function.Supplier<ResourceMonitor>,
          java.util.function.Function<ResourceMonitor, SnapshotWriter> {
    private final ProfilerConfig config;
    private final long pid;
    private final Instrumentation inst;

    Factories(ProfilerConfig config, long pid, Instrumentation inst) {
      this.config = config;
      this.pid = pid;
      this.inst = inst;
    }

    @Override
    public ResourceMonitor get() {
      return config.resourcesEnabled() ? new ResourceMonitor(config.processMetrics(), inst) : null;
    }

    @Override
    public SnapshotWriter apply(ResourceMonitor sampler) {
      long startMillis = jvmStartMillis();
      return new SnapshotWriter(
          runInfo(config, pid, startMillis), config.outputDir(), sampler, startMillis);
    }
  }

  /**
   * When the JVM started, in epoch ms. On Linux from /proc (the process's start in clock ticks
   * after boot, and the seconds since boot, both at 10 ms resolution), so that no JMX bean is set
   * up at start-up; elsewhere from the runtime bean.
   */
  static long jvmStartMillis() {
    try {
      String stat = procFile("/proc/self/stat");
      int i = stat.lastIndexOf(')') + 2;
      for (int field = 3; field < 22; field++) { // starttime is field 22
        i = stat.indexOf(' ', i) + 1;
      }
      long startTicks = Long.parseLong(stat.substring(i, stat.indexOf(' ', i)));
      String uptime = procFile("/proc/uptime");
      double sinceBoot = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
      long ageMillis = Math.round(sinceBoot * 1000) - startTicks * 10;
      return System.currentTimeMillis() - Math.max(0, ageMillis);
    } catch (Exception | Error notLinux) {
      return ManagementFactory.getRuntimeMXBean().getStartTime();
    }
  }

  private static String procFile(String name) throws java.io.IOException {
    try (java.io.FileInputStream in = new java.io.FileInputStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * This process's id. On Linux from the /proc/self link: ProcessHandle's first use starts its
   * process-reaper machinery, a few ms of start-up the agent does not need.
   */
  static long pid() {
    try {
      // java.io, not Files.readSymbolicLink: no NIO file-system classes at start-up
      return Long.parseLong(new File("/proc/self").getCanonicalFile().getName());
    } catch (Exception | Error notLinux) {
      return ProcessHandle.current().pid();
    }
  }

  private static String describe(ProfilerConfig config) {
    int targets = config.targets().size();
    String what = targets + " configured target" + (targets == 1 ? "" : "s");
    return config.annotations() ? what + " and @ProfiledOperation methods" : what;
  }

  private static RunInfo runInfo(ProfilerConfig config, long pid, long startMillis) {
    return new RunInfo(
        config.runId(),
        hostName(),
        pid,
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        agentVersion(),
        config.labels(),
        startMillis);
  }

  /** Host name without a DNS lookup where possible (the lookup can take seconds). */
  static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) return env.trim();
    try {
      if (new File("/etc/hostname").canRead()) {
        String s = procFile("/etc/hostname").trim();
        if (!s.isEmpty()) return s;
      }
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown-host";
    }
  }

  static String agentVersion() {
    try (InputStream in =
        AgentInstaller.class.getResourceAsStream("/dev/etlprofiler/agent/agent.properties")) {
      Properties p = new Properties();
      if (in != null) p.load(in);
      return p.getProperty("version", "unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }
}
