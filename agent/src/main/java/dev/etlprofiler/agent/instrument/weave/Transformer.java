package dev.etlprofiler.agent.instrument.weave;

import dev.etlprofiler.core.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * The agent's one class-file transformer: offers every class to each {@link Library} in turn, the
 * output of one being the input of the next. Written directly against {@link ClassFileTransformer}
 * rather than through ByteBuddy's {@code AgentBuilder}, which generates and loads a transformer
 * subclass at install time (about 200 ms of a hello-world start-up, measured with
 * -Xlog:class+load); no ByteBuddy type is loaded until a library needs one. Never throws: a class
 * that cannot be instrumented is left unchanged, and the failure is logged (debug).
 */
public final class Transformer implements ClassFileTransformer {
  private final Library[] libraries;

  public Transformer(List<Library> libraries) {
    this.libraries = libraries.toArray(new Library[0]);
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String internalName,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    return transform(loader, internalName, redefined, bytes);
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String internalName,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    return transform(loader, internalName, redefined, bytes);
  }

  private byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, byte[] in) {
    if (internalName == null || in == null) {
      return null;
    }
    byte[] bytes = in;
    boolean changed = false;
    for (Library library : libraries) {
      try {
        byte[] out = library.transform(loader, internalName, redefined, bytes);
        if (out != null) {
          bytes = out;
          changed = true;
        }
      } catch (Throwable t) {
        AgentLog.debug(library.name() + ": could not instrument " + internalName + ": " + t);
      }
    }
    return changed ? bytes : null;
  }
}
