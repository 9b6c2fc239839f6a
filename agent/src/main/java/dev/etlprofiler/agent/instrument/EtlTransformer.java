package dev.etlprofiler.agent.instrument;

import dev.etlprofiler.core.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
  /**
   * A target as a cheap pre-filter (name, descriptor in the class bytes) plus the ByteBuddy
   * matchers, which are built on first use.
   */
  record Rule(
      Predicate<String> nameMayMatch,
      byte[] requiredDescriptor,
      Supplier<ElementMatcher<TypeDescription>> types,
      Supplier<ElementMatcher<MethodDescription>> methods) {}

  /** What is built when the first candidate class appears: ByteBuddy is not touched before. */
  private record Compiled(
      List<ElementMatcher<TypeDescription>> types,
      List<ElementMatcher<MethodDescription>> methods,
      Advice advice,
      ElementMatcher<MethodDescription> profileable,
      ByteBuddy byteBuddy) {}

  private final List<Rule> rules;
  private final Predicate<String> ignored;
  private final Supplier<Advice> advice;
  private final Supplier<ElementMatcher<MethodDescription>> profileable;
  private volatile Compiled compiled;

  EtlTransformer(List<Rule> rules, Predicate<String> ignored, Supplier<Advice> advice,
      Supplier<ElementMatcher<MethodDescription>> profileable) {
    this.rules = rules;
    this.ignored = ignored;
    this.advice = advice;
    this.profileable = profileable;
  }

  /**
   * ByteBuddy's matchers and the advice, built once. Deferred to the first class that may be
   * profiled: loading ByteBuddy's classes and parsing the advice took about 140 ms of a
   * hello-world JVM's start-up, which a job that loads no candidate class never needs.
   */
  private Compiled compiled() {
    Compiled c = compiled;
    if (c == null) {
      synchronized (this) {
        c = compiled;
        if (c == null) {
          c = new Compiled(
              rules.stream().map(r -> r.types().get()).toList(),
              rules.stream().map(r -> r.methods().get()).toList(),
              advice.get(),
              profileable.get(),
              new ByteBuddy()
                  .with(TypeValidation.DISABLED)
                  .with(Implementation.Context.Disabled.Factory.INSTANCE)
                  .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE));
          compiled = c;
        }
      }
    }
    return c;
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
      Compiled c = compiled();
      ClassFileLocator locator = new ClassFileLocator.Compound(
          ClassFileLocator.Simple.of(name, bytes), ClassFileLocator.ForClassLoader.of(loader));
      TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
      TypeDescription type = pool.describe(name).resolve();
      if (type.isInterface() || type.isAnnotation()) {
        return null;
      }
      ElementMatcher.Junction<MethodDescription> methods = net.bytebuddy.matcher.ElementMatchers.none();
      for (int i = 0; i < c.types().size(); i++) {
        if (c.types().get(i).matches(type)) {
          methods = methods.or(c.methods().get(i));
        }
      }
      ElementMatcher.Junction<MethodDescription> selected = methods.and(c.profileable());
      if (type.getDeclaredMethods().filter(selected).isEmpty()) {
        return null;
      }
      byte[] out = c.byteBuddy().decorate(type, locator).visit(c.advice().on(selected)).make(pool).getBytes();
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
