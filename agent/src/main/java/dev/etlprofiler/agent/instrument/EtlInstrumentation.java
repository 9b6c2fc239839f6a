package dev.etlprofiler.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
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
import java.util.regex.Pattern;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

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

  public static void install(Instrumentation inst, ProfilerConfig config) {
    List<CompiledTarget> targets = new ArrayList<>();
    for (Target t : config.targets()) {
      targets.add(new CompiledTarget(typeMatcher(t), methodMatcher(t)));
    }
    ElementMatcher.Junction<MethodDescription> annotated =
        config.annotations() ? isAnnotatedWith(named(PROFILED_OPERATION)) : none();
    if (targets.isEmpty() && !config.annotations()) {
      AgentLog.info("no targets configured and instrument.annotations is false: no methods are profiled");
      return;
    }

    ElementMatcher.Junction<TypeDescription> anyType = none();
    for (CompiledTarget t : targets) {
      anyType = anyType.or(t.types());
    }
    if (config.annotations()) {
      anyType = anyType.or(declaresMethod(annotated));
    }
    ElementMatcher.Junction<TypeDescription> ignored = none();
    for (String prefix : ALWAYS_IGNORED) {
      ignored = ignored.or(nameStartsWith(prefix));
    }
    for (String pkg : config.excludePackages()) {
      ignored = ignored.or(nameStartsWith(pkg + "."));
    }
    for (String glob : config.excludeClasses()) {
      ignored = ignored.or(nameMatches(glob));
    }
    ignored = ignored.or(isSynthetic()).or(nameContains("$$Lambda")).or(nameContains("$ByteBuddy$"));

    Advice advice = Advice.withCustomMapping().bind(OpId.class, EtlInstrumentation::opIdMapping).to(MethodAdvice.class);
    ElementMatcher.Junction<MethodDescription> annotatedMethods = annotated;
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(new Listener())
        .ignore(ignored)
        .type(anyType.and(not(isInterface())))
        .transform((builder, type, loader, module, domain) -> {
          ElementMatcher.Junction<MethodDescription> methods = annotatedMethods;
          for (CompiledTarget t : targets) {
            if (t.types().matches(type)) {
              methods = methods.or(t.methods());
            }
          }
          return builder.visit(advice.on(profileable().and(methods)));
        })
        .installOn(inst);
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

  private static <T extends net.bytebuddy.description.NamedElement> ElementMatcher.Junction<T> nameContains(String part) {
    return net.bytebuddy.matcher.ElementMatchers.nameContains(part);
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

  /** Logs what was instrumented (debug) and every failure to instrument (once per type). */
  private static final class Listener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
        net.bytebuddy.dynamic.DynamicType dynamicType) {
      AgentLog.debug("instrumented " + type.getName());
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      AgentLog.debug("could not instrument " + typeName + ": " + error);
    }
  }
}
