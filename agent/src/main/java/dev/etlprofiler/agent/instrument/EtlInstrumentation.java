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

import dev.etlprofiler.agent.config.ProfilerConfig;
import dev.etlprofiler.agent.config.Target;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.Kind;
import dev.etlprofiler.core.OpRegistry;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Instruments the application's ETL methods chosen by configuration ({@code instrument.*}) and
 * every method annotated {@code @ProfiledOperation}. Each instrumented method gets its operation
 * id when its class is transformed; the id is baked into the inlined advice as a constant.
 */
public final class EtlInstrumentation {
  public static final String PROFILED_OPERATION = "dev.etlprofiler.api.ProfiledOperation";

  /** Never instrumented: the JDK, the agent itself and the libraries it is built from. */
  private static final List<String> ALWAYS_IGNORED =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "net.bytebuddy.", "dev.etlprofiler.core.",
          "dev.etlprofiler.bootstrap.", "dev.etlprofiler.agent.", "dev.etlprofiler.shaded.", "dev.etlprofiler.api.");

  private EtlInstrumentation() {}

  /** A configured target as ByteBuddy matchers. */
  private record CompiledTarget(ElementMatcher<TypeDescription> types, ElementMatcher<MethodDescription> methods) {}

  /**
   * @param attached true when the agent was attached to a running JVM: then the classes already
   *     loaded are retransformed; at start-up (premain) only JDK classes are loaded, which are
   *     never profiled, and skipping the scan of them saves start-up time
   */
  public static void install(Instrumentation inst, ProfilerConfig config, boolean attached) {
    List<EtlTransformer.Rule> rules = new ArrayList<>();
    for (Target t : config.targets()) {
      byte[] descriptor = t.annotatedWith().size() == 1 ? EtlTransformer.descriptor(t.annotatedWith().get(0)) : null;
      rules.add(new EtlTransformer.Rule(nameMayMatch(t), descriptor, () -> typeMatcher(t), () -> methodMatcher(t)));
    }
    if (config.annotations()) {
      rules.add(new EtlTransformer.Rule(name -> true, EtlTransformer.descriptor(PROFILED_OPERATION),
          net.bytebuddy.matcher.ElementMatchers::any, () -> isAnnotatedWith(named(PROFILED_OPERATION))));
    }
    if (rules.isEmpty()) {
      AgentLog.info("no targets configured and instrument.annotations is false: no methods are profiled");
      return;
    }
    List<String> prefixes = new ArrayList<>(ALWAYS_IGNORED);
    config.excludePackages().forEach(p -> prefixes.add(p + "."));
    List<Pattern> excluded = config.excludeClasses().stream().map(NamePattern::compile).toList();
    Predicate<String> ignored = name -> {
      for (String prefix : prefixes) {
        if (name.startsWith(prefix)) return true;
      }
      if (name.contains("$$Lambda") || name.contains("$ByteBuddy$")) return true;
      for (Pattern p : excluded) {
        if (p.matcher(name).matches()) return true;
      }
      return false;
    };
    EtlTransformer transformer = new EtlTransformer(List.copyOf(rules), ignored,
        () -> Advice.withCustomMapping().bind(OpId.class, EtlInstrumentation::opIdMapping).to(MethodAdvice.class),
        EtlInstrumentation::profileable);
    inst.addTransformer(transformer, true);
    if (attached) {
      retransformLoaded(inst, ignored);
    }
  }

  /** A cheap test on the class name alone: false only if the target cannot match this class. */
  private static Predicate<String> nameMayMatch(Target t) {
    List<Pattern> classes = t.classes().stream().map(NamePattern::compile).toList();
    List<String> packages = t.packages().stream().map(p -> p + ".").toList();
    return name -> (classes.isEmpty() || classes.stream().anyMatch(p -> p.matcher(name).matches()))
        && (packages.isEmpty() || packages.stream().anyMatch(name::startsWith));
  }

  /** When attached to a running JVM: retransform the application classes already loaded. */
  private static void retransformLoaded(Instrumentation inst, Predicate<String> ignored) {
    List<Class<?>> candidates = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.getClassLoader() != null && !c.isInterface() && !c.isArray() && !ignored.test(c.getName())
          && inst.isModifiableClass(c)) {
        candidates.add(c);
      }
    }
    for (Class<?> c : candidates) {
      try {
        inst.retransformClasses(c);
      } catch (Throwable t) {
        AgentLog.debug("could not retransform " + c.getName() + ": " + t);
      }
    }
  }

  /** Methods that can carry advice at all. */
  private static ElementMatcher.Junction<MethodDescription> profileable() {
    return isMethod().and(not(isAbstract())).and(not(isNative())).and(not(isSynthetic()))
        .and(not(isBridge())).and(not(nameStartsWith("lambda$")));
  }

  static ElementMatcher.Junction<TypeDescription> typeMatcher(Target t) {
    ElementMatcher.Junction<TypeDescription> m = net.bytebuddy.matcher.ElementMatchers.any();
    if (!t.classes().isEmpty()) {
      ElementMatcher.Junction<TypeDescription> any = none();
      for (String glob : t.classes()) any = any.or(nameMatches(glob));
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

  private static <T extends net.bytebuddy.description.NamedElement> ElementMatcher.Junction<T> nameMatches(String glob) {
    Pattern p = NamePattern.compile(glob);
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
      if (a.getAnnotationType().getName().equals(PROFILED_OPERATION)) {
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
      TypeDescription type, MethodDescription method, net.bytebuddy.implementation.bytecode.assign.Assigner assigner,
      Advice.ArgumentHandler handler, Advice.OffsetMapping.Sort sort) {
    int id = OpRegistry.id(Kind.METHOD, operationName(type, method));
    return new Advice.OffsetMapping.Target.ForStackManipulation(IntegerConstant.forValue(id));
  }
}
