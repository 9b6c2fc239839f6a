package dev.etlprofiler.agent.instrument;

import dev.etlprofiler.agent.config.Target;
import dev.etlprofiler.core.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.function.Predicate;

/**
 * The class-file transformer of ETL instrumentation. It is written directly against {@link
 * ClassFileTransformer} rather than through ByteBuddy's {@code AgentBuilder}: on Java 9+ the
 * AgentBuilder generates and loads a transformer subclass at install time, which cost about 200 ms
 * of the agent's start-up (measured with -Xlog:class+load on a hello-world JVM). This class refers
 * to no ByteBuddy type, so loading and verifying it loads none. Candidate classes are woven by the
 * {@link FastWeaver} (ASM only); the ByteBuddy {@link Weaver} is created only for a class the fast
 * path leaves to it (class files before Java 7).
 *
 * <p>Most classes are rejected without parsing: by name (ignored and excluded packages, class and
 * package criteria), and by a scan of the class bytes for an annotation descriptor a rule requires.
 * Never throws: a class that cannot be instrumented is left unchanged.
 */
final class EtlTransformer implements ClassFileTransformer {
  /**
   * A cheap pre-filter — the class name, and a descriptor the class bytes must contain (or null) —
   * and the target to weave (null: the {@code @ProfiledOperation} rule).
   */
  record Rule(Predicate<String> nameMayMatch, byte[] requiredDescriptor, Target target) {}

  private final List<Rule> rules;
  private final EtlInstrumentation.Ignored ignored;
  private volatile Weaver weaver;
  private volatile FastWeaver fastWeaver;

  EtlTransformer(List<Rule> rules, EtlInstrumentation.Ignored ignored) {
    this.rules = rules;
    this.ignored = ignored;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String internalName,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    return transform(loader, internalName, bytes);
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String internalName,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    return transform(loader, internalName, bytes);
  }

  private byte[] transform(ClassLoader loader, String internalName, byte[] bytes) {
    if (loader == null || internalName == null || bytes == null) {
      return null; // the bootstrap loader's classes are the JDK's
    }
    try {
      String name = internalName.replace('/', '.');
      // cheapest first: the exclusion patterns are regular expressions, and with
      // instrument.annotations every class passes the name test and is scanned for the
      // annotation, so most classes never reach them
      if (ignored.byPrefix(name) || !mayMatch(name, bytes) || ignored.excluded(name)) {
        return null;
      }
      try {
        return fastWeaver().weave(loader, name, bytes);
      } catch (RuntimeException e) {
        AgentLog.debug("weaving " + name + " with ByteBuddy: " + e.getMessage());
        return weaver().weave(loader, name, bytes);
      }
    } catch (Throwable t) {
      AgentLog.debug("could not instrument " + internalName + ": " + t);
      return null;
    }
  }

  private Weaver weaver() {
    Weaver w = weaver;
    if (w == null) {
      synchronized (this) {
        w = weaver;
        if (w == null) {
          w = new Weaver(targets());
          weaver = w;
        }
      }
    }
    return w;
  }

  private FastWeaver fastWeaver() {
    FastWeaver w = fastWeaver;
    if (w == null) {
      synchronized (this) {
        w = fastWeaver;
        if (w == null) {
          w = new FastWeaver(targets());
          fastWeaver = w;
        }
      }
    }
    return w;
  }

  private List<Target> targets() {
    List<Target> targets = new java.util.ArrayList<>();
    for (Rule r : rules) {
      targets.add(r.target()); // null: the @ProfiledOperation rule
    }
    return targets;
  }

  private boolean mayMatch(String name, byte[] bytes) {
    for (Rule rule : rules) {
      if (rule.nameMayMatch().test(name)
          && (rule.requiredDescriptor() == null
              || Bytes.contains(bytes, rule.requiredDescriptor()))) {
        return true;
      }
    }
    return false;
  }
}
