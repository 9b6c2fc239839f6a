package dev.etlprofiler.agent.instrument.spark;

import dev.etlprofiler.core.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.function.Function;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;

/**
 * Defines the agent's {@code SparkListener} ({@link ProfilerListener}'s class file, renamed to
 * {@value #LISTENER}) in the class loader of a running Spark, once per loader, and creates one
 * instance per SparkContext.
 *
 * <p>Why this way: a listener must be a subclass of Spark's {@code SparkListener}, which only
 * Spark's class loader can resolve, so the agent cannot load it itself. It is defined with {@link
 * MethodHandles.Lookup#defineClass} on a private lookup in Spark's {@code
 * org.apache.spark.scheduler} package ({@link MethodHandles#privateLookupIn}): a supported JDK API
 * that needs no {@code --add-opens} (unlike calling {@code ClassLoader.defineClass} reflectively)
 * and no {@code Unsafe}; it works whenever Spark is on the class path (an unnamed module, which
 * opens every package), which is how Spark 3.x and 4.x run. The class is a real, named member of
 * that package, so Spark's own listener metrics and logs name it ({@code EtlProfilerListener}).
 */
final class ListenerDefiner implements Function<Class<?>, Object> {
  static final String LISTENER = "org.apache.spark.scheduler.EtlProfilerListener";

  /** Named, not {@code ProfilerListener.class}: that would load it, and it cannot load here. */
  private static final String TEMPLATE = "dev/etlprofiler/agent/instrument/spark/ProfilerListener";

  private volatile byte[] bytes;

  @Override
  public synchronized Object apply(Class<?> sparkClass) {
    try {
      ClassLoader loader = sparkClass.getClassLoader();
      Class<?> listener;
      try {
        listener = Class.forName(LISTENER, false, loader);
      } catch (ClassNotFoundException notYet) {
        listener =
            MethodHandles.privateLookupIn(sparkClass, MethodHandles.lookup())
                .defineClass(listenerBytes());
        AgentLog.debug("defined " + LISTENER + " in " + loader);
      }
      return listener.getConstructor().newInstance();
    } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
      AgentLog.warnOnce(
          "spark-listener",
          "cannot register the Spark listener (Spark's jobs and stages are not profiled): " + e);
      return null;
    }
  }

  /** The template's class file with its name moved into Spark's scheduler package. */
  byte[] listenerBytes() throws IOException {
    byte[] b = bytes;
    if (b == null) {
      byte[] template;
      try (InputStream in =
          ListenerDefiner.class.getClassLoader().getResourceAsStream(TEMPLATE + ".class")) {
        if (in == null) {
          throw new IOException("no class file for " + TEMPLATE);
        }
        template = in.readAllBytes();
      }
      ClassReader reader = new ClassReader(template);
      ClassWriter writer = new ClassWriter(0);
      reader.accept(
          new ClassRemapper(writer, new SimpleRemapper(TEMPLATE, LISTENER.replace('.', '/'))), 0);
      b = writer.toByteArray();
      bytes = b;
    }
    return b;
  }
}
