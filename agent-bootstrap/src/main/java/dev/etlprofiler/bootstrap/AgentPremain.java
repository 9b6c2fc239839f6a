package dev.etlprofiler.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.util.jar.JarFile;

/**
 * The only class of the agent that the system class loader loads. It puts the agent jar on the
 * bootstrap class path (so the recording core under {@code dev.etlprofiler.core} is visible from
 * every class loader), then loads the rest of the agent — kept under {@code inst/} as {@code
 * .classdata} entries, with all its third-party dependencies — in a private {@link
 * AgentClassLoader} that no application class can see. It never throws into the JVM's start-up: if
 * the agent cannot start, the job runs without it and one line says why.
 */
public final class AgentPremain {
  private static final String INSTALLER = "dev.etlprofiler.agent.AgentInstaller";
  private static volatile boolean started;
  private static volatile boolean attached;

  /** Whether the agent was attached to a running JVM (agentmain) rather than started with it. */
  public static boolean attached() {
    return attached;
  }

  /** Sets {@link #attached()} on this copy of the class; see {@code start}. */
  public static void markAttached(boolean value) {
    attached = value;
  }

  private AgentPremain() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  /**
   * The agent jar. The manifest's {@code Boot-Class-Path} puts the jar on the bootstrap path before
   * the JVM starts (which, unlike appending at run time, leaves class-data sharing working without
   * a warning on JDK 17), so this class may come from the bootstrap loader and have no code source.
   */
  private static File agentJar() throws Exception {
    java.security.CodeSource source = AgentPremain.class.getProtectionDomain().getCodeSource();
    if (source != null && source.getLocation() != null) {
      return new File(source.getLocation().toURI());
    }
    File named = fromCommandLine();
    if (named != null) {
      return named;
    }
    java.net.URL self = ClassLoader.getSystemResource(SELF);
    String url = self.toString(); // jar:file:/path/profiler-agent.jar!/dev/...
    return new File(new URI(url.substring("jar:".length(), url.indexOf("!/"))));
  }

  private static final String SELF = "dev/etlprofiler/bootstrap/AgentPremain.class";

  /** The agent jar as {@link #fromCommandLine} opened it, or null. */
  private static JarFile opened;

  /**
   * The agent jar as the JVM's options name it ({@code -javaagent:PATH[=args]} in the command line
   * or in JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS), when exactly one such jar holds this
   * class; else null. Asking the class loaders for this class's resource instead cost 10–20 ms of
   * start-up (the boot loader's Java side opens the jar and builds its URL class path).
   */
  private static File fromCommandLine() {
    try {
      java.util.List<String> options = new java.util.ArrayList<>();
      File cmdline = new File("/proc/self/cmdline");
      if (cmdline.canRead()) {
        try (java.io.FileInputStream in = new java.io.FileInputStream(cmdline)) {
          for (String arg :
              new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                  .split("\u0000")) {
            options.add(arg);
          }
        }
      }
      for (String env : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
        String value = System.getenv(env);
        if (value != null) {
          for (String arg : value.trim().split("\\s+")) {
            options.add(arg);
          }
        }
      }
      File found = null;
      for (String arg : options) {
        if (!arg.startsWith("-javaagent:")) {
          continue;
        }
        String path = arg.substring("-javaagent:".length());
        int eq = path.indexOf('=');
        File f = new File(eq < 0 ? path : path.substring(0, eq));
        if (!f.isAbsolute()) {
          f = new File(System.getProperty("user.dir"), f.getPath());
        }
        if (!f.isFile()) {
          continue;
        }
        if (found != null && found.getCanonicalFile().equals(f.getCanonicalFile())) {
          continue;
        }
        JarFile jar = new JarFile(f, false);
        if (jar.getEntry(SELF) == null) {
          jar.close();
          continue;
        }
        if (found != null) {
          jar.close();
          opened.close();
          opened = null;
          return null; // two different jars of this agent: let the class loaders say which is this
          // one
        }
        found = f;
        opened = jar; // kept open: the agent's class loader reads from it
      }
      return found;
    } catch (Exception | Error e) {
      if (opened != null) {
        try {
          opened.close();
        } catch (Exception ignored) {
          // the class loaders will name the jar instead
        }
        opened = null;
      }
      return null;
    }
  }

  private static boolean coreOnBootstrapPath() {
    try {
      Class.forName("dev.etlprofiler.core.Core", false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static synchronized void start(String args, Instrumentation inst, boolean attached) {
    if (started) {
      System.err.println(
          "[etl-profiler] agent already started in this JVM; ignoring a second start");
      return;
    }
    started = true;
    AgentPremain.attached = attached;
    try {
      File jar = agentJar();
      JarFile jarFile = opened != null ? opened : new JarFile(jar, false);
      if (!coreOnBootstrapPath()) {
        // The manifest's Boot-Class-Path (the jar's own name) did not apply, e.g. the jar was
        // renamed or attached late. JDK 17 then prints a CDS warning to stdout.
        inst.appendToBootstrapClassLoaderSearch(jarFile);
      }
      Class<?> onBootPath = Class.forName(AgentPremain.class.getName(), false, null);
      if (onBootPath != AgentPremain.class) {
        // this class came from the system class path (the jar was renamed): the agent reads the
        // flag from the bootstrap copy, which its class loader sees
        onBootPath.getDeclaredMethod("markAttached", boolean.class).invoke(null, attached);
      }
      AgentClassLoader loader = new AgentClassLoader(jar, jarFile);
      Class<?> installer = Class.forName(INSTALLER, true, loader);
      installer.getMethod("install", String.class, Instrumentation.class).invoke(null, args, inst);
    } catch (Throwable t) {
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      System.err.println(
          "[etl-profiler] agent not started, the job runs without profiling: " + cause);
    }
  }
}
