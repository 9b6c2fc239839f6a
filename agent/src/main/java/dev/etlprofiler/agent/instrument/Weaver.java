package dev.etlprofiler.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.etlprofiler.agent.config.Target;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.Kind;
import dev.etlprofiler.core.OpRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * The ByteBuddy half of ETL instrumentation: describes a candidate class, decides which of its
 * methods to profile, and inlines {@link MethodAdvice} into them. Created by {@link EtlTransformer}
 * on the first candidate class, so a JVM that loads none never loads ByteBuddy (about 140 ms of a
 * hello-world start-up, measured with -Xlog:class+load). Each method's operation id is registered
 * when it is woven and baked into the advice as a constant.
 */
final class Weaver {
  private final List<ElementMatcher<TypeDescription>> types = new ArrayList<>();
  private final List<ElementMatcher<MethodDescription>> methods = new ArrayList<>();
  private final Advice advice =
      Advice.withCustomMapping().bind(OpId.class, Weaver::opIdMapping).to(MethodAdvice.class);
  private final ByteBuddy byteBuddy =
      new ByteBuddy()
          .with(TypeValidation.DISABLED)
          .with(Implementation.Context.Disabled.Factory.INSTANCE)
          .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);

  /**
   * @param targets one per rule; null stands for the {@code @ProfiledOperation} rule
   */
  Weaver(List<Target> targets) {
    for (Target t : targets) {
      types.add(t == null ? net.bytebuddy.matcher.ElementMatchers.any() : typeMatcher(t));
      methods.add(
          t == null
              ? isAnnotatedWith(named(EtlInstrumentation.PROFILED_OPERATION))
              : methodMatcher(t));
    }
  }

  /** The woven class, or null when no method of it is to be profiled. */
  byte[] weave(ClassLoader loader, String name, byte[] bytes) {
    ClassFileLocator locator =
        new ClassFileLocator.Compound(
            ClassFileLocator.Simple.of(name, bytes), ClassFileLocator.ForClassLoader.of(loader));
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    TypeDescription type = pool.describe(name).resolve();
    if (type.isInterface() || type.isAnnotation()) {
      return null;
    }
    ElementMatcher.Junction<MethodDescription> selected = none();
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i).matches(type)) {
        selected = selected.or(methods.get(i));
      }
    }
    selected = selected.and(profileable());
    if (type.getDeclaredMethods().filter(selected).isEmpty()) {
      return null;
    }
    byte[] out = byteBuddy.decorate(type, locator).visit(advice.on(selected)).make(pool).getBytes();
    AgentLog.debug("instrumented " + name);
    return out;
  }

  /** Methods that can carry advice at all. */
  private static ElementMatcher.Junction<MethodDescription> profileable() {
    return isMethod()
        .and(not(isAbstract()))
        .and(not(isNative()))
        .and(not(isSynthetic()))
        .and(not(isBridge()))
        .and(not(nameStartsWith("lambda$")));
  }

  static ElementMatcher.Junction<TypeDescription> typeMatcher(Target t) {
    ElementMatcher.Junction<TypeDescription> m = net.bytebuddy.matcher.ElementMatchers.any();
    if (!t.classes().isEmpty()) {
      ElementMatcher.Junction<TypeDescription> any = none();
      for (String glob : t.classes()) any = any.or(classNameMatches(glob));
      m = m.and(any);
    }
    if (!t.packages().isEmpty()) {
      ElementMatcher.Junction<TypeDescription> any = none();
      for (String pkg : t.packages()) any = any.or(nameStartsWith(pkg + "."));
      m = m.and(any);
    }
    if (!t.subtypesOf().isEmpty()) {
      m = m.and(hasSuperType(namedOneOf(t.subtypesOf().toArray(new String[0]))));
    }
    if (!t.annotatedWith().isEmpty()) {
      m = m.and(isAnnotatedWith(namedOneOf(t.annotatedWith().toArray(new String[0]))));
    }
    return m;
  }

  static ElementMatcher.Junction<MethodDescription> methodMatcher(Target t) {
    ElementMatcher.Junction<MethodDescription> m;
    if (t.methods().isEmpty()) {
      m = isPublic().and(not(namedOneOf("toString", "hashCode", "equals")));
    } else {
      m = none();
      for (String glob : t.methods()) m = m.or(nameMatches(glob));
    }
    for (String glob : t.excludeMethods()) {
      m = m.and(not(nameMatches(glob)));
    }
    return m;
  }

  private static <T extends net.bytebuddy.description.NamedElement>
      ElementMatcher.Junction<T> nameMatches(String glob) {
    return matching(NamePattern.compile(glob), glob);
  }

  /** A class pattern ({@link NamePattern#compileClass}), as the fast weaver matches it. */
  private static ElementMatcher.Junction<TypeDescription> classNameMatches(String glob) {
    return matching(NamePattern.compileClass(glob), glob);
  }

  private static <T extends net.bytebuddy.description.NamedElement>
      ElementMatcher.Junction<T> matching(Pattern p, String glob) {
    return new ElementMatcher.Junction.AbstractBase<T>() {
      @Override
      public boolean matches(T target) {
        return p.matcher(target.getActualName()).matches();
      }

      @Override
      public String toString() {
        return "nameMatches(" + glob + ")";
      }
    };
  }

  /** The operation's name: the annotation's value, else {@code SimpleClassName.method}. */
  static String operationName(TypeDescription type, MethodDescription method) {
    for (AnnotationDescription a : method.getDeclaredAnnotations()) {
      if (a.getAnnotationType().getName().equals(EtlInstrumentation.PROFILED_OPERATION)) {
        AnnotationValue<?, ?> v = a.getValue("value");
        Object name = v == null ? null : v.resolve();
        if (name instanceof String s && !s.isBlank()) {
          return s;
        }
      }
    }
    String binary = type.getName();
    return binary.substring(binary.lastIndexOf('.') + 1) + "." + method.getName();
  }

  private static Advice.OffsetMapping.Target opIdMapping(
      TypeDescription type,
      MethodDescription method,
      net.bytebuddy.implementation.bytecode.assign.Assigner assigner,
      Advice.ArgumentHandler handler,
      Advice.OffsetMapping.Sort sort) {
    int id = OpRegistry.id(Kind.METHOD, operationName(type, method));
    return new Advice.OffsetMapping.Target.ForStackManipulation(IntegerConstant.forValue(id));
  }
}
