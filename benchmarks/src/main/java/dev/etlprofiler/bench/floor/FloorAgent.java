package dev.etlprofiler.bench.floor;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The floor under any Java agent, for the whole-process benchmarks: {@code
 * -javaagent:floor-agent.jar} does nothing in its premain (the JVM's own cost of loading an agent:
 * the instrument library, the jar, JVMTI); {@code -javaagent:floor-agent.jar=transformer} also
 * registers a class-file transformer that changes nothing, as every bytecode agent must (the JVM
 * then hands it the bytes of every class loaded, and reads those of archived classes from the
 * runtime image to do so). What the profiler adds beyond these is its own.
 */
public final class FloorAgent {
  private FloorAgent() {}

  public static void premain(String args, Instrumentation inst) {
    if ("transformer".equals(args)) {
      inst.addTransformer(new Unchanged(), true);
    }
  }

  /**
   * Sees every class and returns null (unchanged), like a transformer whose rules match nothing.
   */
  private static final class Unchanged implements ClassFileTransformer {
    @Override
    public byte[] transform(
        Module module,
        ClassLoader loader,
        String name,
        Class<?> redefined,
        ProtectionDomain domain,
        byte[] bytes) {
      return null;
    }
  }
}
