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
 * AgentClassLoader} that no application class can see. It never throws into the JVM's start-up:
 * if the agent cannot start, the job runs without it and one line says why.
 */
public final class AgentPremain {
  private static final String INSTALLER = "dev.etlprofiler.agent.AgentInstaller";
  private static volatile boolean started;

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
    java.net.URL self = ClassLoader.getSystemResource("dev/etlprofiler/bootstrap/AgentPremain.class");
    String url = self.toString(); // jar:file:/path/profiler-agent.jar!/dev/...
    return new File(new URI(url.substring("jar:".length(), url.indexOf("!/"))));
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
      System.err.println("[etl-profiler] agent already started in this JVM; ignoring a second start");
      return;
    }
    started = true;
    try {
      File jar = agentJar();
      JarFile jarFile = new JarFile(jar, false);
      if (!coreOnBootstrapPath()) {
        // The manifest's Boot-Class-Path (the jar's own name) did not apply, e.g. the jar was
        // renamed or attached late. JDK 17 then prints a CDS warning to stdout.
        inst.appendToBootstrapClassLoaderSearch(jarFile);
      }
      AgentClassLoader loader = new AgentClassLoader(jar, jarFile);
      Class<?> installer = Class.forName(INSTALLER, true, loader);
      installer
          .getMethod("install", String.class, Instrumentation.class, boolean.class, File.class)
          .invoke(null, args, inst, attached, jar);
    } catch (Throwable t) {
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      System.err.println(
          "[etl-profiler] agent not started, the job runs without profiling: " + cause);
    }
  }
}
