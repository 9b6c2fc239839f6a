package dev.etlprofiler.agent.instrument;

import dev.etlprofiler.agent.config.ProfilerConfig;
import dev.etlprofiler.agent.config.Target;
import dev.etlprofiler.core.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Instruments the application's ETL methods chosen by configuration ({@code instrument.*}) and
 * every method annotated {@code @ProfiledOperation}. Each instrumented method gets its operation
 * id when its class is transformed; the id is baked into the inlined advice as a constant. No
 * ByteBuddy type appears here or in {@link EtlTransformer}; see {@link Weaver}.
 */
public final class EtlInstrumentation {
  public static final String PROFILED_OPERATION = "dev.etlprofiler.api.ProfiledOperation";

  /** Never instrumented: the JDK, the agent itself and the libraries it is built from. */
  private static final List<String> ALWAYS_IGNORED =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "net.bytebuddy.", "dev.etlprofiler.core.",
          "dev.etlprofiler.bootstrap.", "dev.etlprofiler.agent.", "dev.etlprofiler.shaded.", "dev.etlprofiler.api.");

  private EtlInstrumentation() {}

  /**
   * @param attached true when the agent was attached to a running JVM: then the classes already
   *     loaded are retransformed; at start-up (premain) only JDK classes are loaded, which are
   *     never profiled, and skipping the scan of them saves start-up time
   */
  public static void install(Instrumentation inst, ProfilerConfig config, boolean attached) {
    List<EtlTransformer.Rule> rules = new ArrayList<>();
    for (Target t : config.targets()) {
      byte[] descriptor = t.annotatedWith().size() == 1 ? Bytes.descriptor(t.annotatedWith().get(0)) : null;
      rules.add(new EtlTransformer.Rule(nameMayMatch(t), descriptor, t));
    }
    if (config.annotations()) {
      rules.add(new EtlTransformer.Rule(name -> true, Bytes.descriptor(PROFILED_OPERATION), null));
    }
    if (rules.isEmpty()) {
      AgentLog.info("no targets configured and instrument.annotations is false: no methods are profiled");
      return;
    }
    Predicate<String> ignored = ignored(config);
    inst.addTransformer(new EtlTransformer(List.copyOf(rules), ignored), true);
    if (attached) {
      retransformLoaded(inst, ignored);
    }
  }

  private static Predicate<String> ignored(ProfilerConfig config) {
    List<String> prefixes = new ArrayList<>(ALWAYS_IGNORED);
    config.excludePackages().forEach(p -> prefixes.add(p + "."));
    List<Pattern> excluded = config.excludeClasses().stream().map(NamePattern::compile).toList();
    return name -> {
      for (String prefix : prefixes) {
        if (name.startsWith(prefix)) return true;
      }
      if (name.contains("$$Lambda") || name.contains("$ByteBuddy$")) return true;
      for (Pattern p : excluded) {
        if (p.matcher(name).matches()) return true;
      }
      return false;
    };
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
}
