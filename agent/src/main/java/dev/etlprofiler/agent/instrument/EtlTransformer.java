package dev.etlprofiler.agent.instrument;

import dev.etlprofiler.core.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.function.Predicate;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * The class-file transformer of ETL instrumentation. It is written directly against {@link
 * ClassFileTransformer} rather than through ByteBuddy's {@code AgentBuilder}: on Java 9+ the
 * AgentBuilder generates and loads a transformer subclass at install time, which cost about 200
 * ms of the agent's start-up (measured with -Xlog:class+load on a hello-world JVM). Here ByteBuddy
 * is used only to describe a candidate class and to inline the advice.
 *
 * <p>Most classes are rejected without parsing: by name (ignored and excluded packages), and, for
 * targets that can be decided by name or by an annotation descriptor, by a scan of the class
 * bytes for that descriptor. Never throws: a class that cannot be instrumented is left unchanged.
 */
final class EtlTransformer implements ClassFileTransformer {
  /** A target compiled to a cheap pre-filter and ByteBuddy matchers. */
  record Rule(
      Predicate<String> nameMayMatch,
      byte[] requiredDescriptor,
      ElementMatcher<TypeDescription> types,
      ElementMatcher<MethodDescription> methods) {}

  private final List<Rule> rules;
  private final Predicate<String> ignored;
  private final Advice advice;
  private final ElementMatcher<MethodDescription> profileable;
  private final ByteBuddy byteBuddy = new ByteBuddy()
      .with(TypeValidation.DISABLED)
      .with(Implementation.Context.Disabled.Factory.INSTANCE)
      .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);

  EtlTransformer(List<Rule> rules, Predicate<String> ignored, Advice advice,
      ElementMatcher<MethodDescription> profileable) {
    this.rules = rules;
    this.ignored = ignored;
    this.advice = advice;
    this.profileable = profileable;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    return transform(loader, internalName, bytes);
  }

  @Override
  public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    return transform(loader, internalName, bytes);
  }

  private byte[] transform(ClassLoader loader, String internalName, byte[] bytes) {
    if (loader == null || internalName == null || bytes == null) {
      return null; // the bootstrap loader's classes are the JDK's
    }
    try {
      String name = internalName.replace('/', '.');
      if (ignored.test(name) || !mayMatch(name, bytes)) {
        return null;
      }
      ClassFileLocator locator = new ClassFileLocator.Compound(
          ClassFileLocator.Simple.of(name, bytes), ClassFileLocator.ForClassLoader.of(loader));
      TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
      TypeDescription type = pool.describe(name).resolve();
      if (type.isInterface() || type.isAnnotation()) {
        return null;
      }
      ElementMatcher.Junction<MethodDescription> methods = net.bytebuddy.matcher.ElementMatchers.none();
      for (Rule rule : rules) {
        if (rule.types().matches(type)) {
          methods = methods.or(rule.methods());
        }
      }
      ElementMatcher.Junction<MethodDescription> selected = methods.and(profileable);
      if (type.getDeclaredMethods().filter(selected).isEmpty()) {
        return null;
      }
      byte[] out = byteBuddy.decorate(type, locator).visit(advice.on(selected)).make(pool).getBytes();
      AgentLog.debug("instrumented " + name);
      return out;
    } catch (Throwable t) {
      AgentLog.debug("could not instrument " + internalName + ": " + t);
      return null;
    }
  }

  private boolean mayMatch(String name, byte[] bytes) {
    for (Rule rule : rules) {
      if (rule.nameMayMatch().test(name)
          && (rule.requiredDescriptor() == null || contains(bytes, rule.requiredDescriptor()))) {
        return true;
      }
    }
    return false;
  }

  /** The JVM type descriptor of a class name, as it appears in a class file's constant pool. */
  static byte[] descriptor(String className) {
    return ("L" + className.replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    byte first = needle[0];
    int last = haystack.length - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (haystack[i] != first) continue;
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}
