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
 * every method annotated {@code @ProfiledOperation}. Each instrumented method gets its operation id
 * when its class is transformed; the id is baked into the inlined advice as a constant. No
 * ByteBuddy type appears here or in {@link EtlTransformer}; see {@link Weaver}.
 */
public final class EtlInstrumentation {
  public static final String PROFILED_OPERATION = "dev.etlprofiler.api.ProfiledOperation";

  /** Never instrumented: the JDK, the agent itself and the libraries it is built from. */
  private static final List<String> ALWAYS_IGNORED =
      List.of(
          "java.",
          "javax.",
          "jdk.",
          "sun.",
          "com.sun.",
          "net.bytebuddy.",
          "dev.etlprofiler.core.",
          "dev.etlprofiler.bootstrap.",
          "dev.etlprofiler.agent.",
          "dev.etlprofiler.shaded.",
          "dev.etlprofiler.api.");

  private EtlInstrumentation() {}

  /**
   * @param attached true when the agent was attached to a running JVM: then the classes already
   *     loaded are retransformed; at start-up (premain) only JDK classes are loaded, which are
   *     never profiled, and skipping the scan of them saves start-up time
   */
  public static void install(Instrumentation inst, ProfilerConfig config, boolean attached) {
    List<EtlTransformer.Rule> rules = new ArrayList<>();
    for (Target t : config.targets()) {
      byte[] descriptor =
          t.annotatedWith().size() == 1 ? Bytes.descriptor(t.annotatedWith().get(0)) : null;
      rules.add(new EtlTransformer.Rule(nameMayMatch(t), descriptor, t));
    }
    if (config.annotations()) {
      rules.add(new EtlTransformer.Rule(new AnyName(), Bytes.descriptor(PROFILED_OPERATION), null));
    }
    if (rules.isEmpty()) {
      AgentLog.info(
          "no targets configured and instrument.annotations is false: no methods are profiled");
      return;
    }
    Ignored ignored = ignored(config);
    inst.addTransformer(new EtlTransformer(List.copyOf(rules), ignored), true);
    if (attached) {
      retransformLoaded(inst, ignored);
    }
  }

  private static Ignored ignored(ProfilerConfig config) {
    List<String> prefixes = new ArrayList<>(ALWAYS_IGNORED);
    for (String p : config.excludePackages()) {
      prefixes.add(p + ".");
    }
    return new Ignored(prefixes, NamePattern.compileAllClasses(config.excludeClasses()));
  }

  // Named classes rather than lambdas here and below: each lambda spun at start-up costs
  // LambdaMetafactory time in the premain, which the job waits for.

  /**
   * Loads the weaving path's classes — ASM's reader and writer and the woven-method visitor — by
   * weaving one method of an agent class and discarding the result. Run on a thread of its own
   * while the premain goes on, so that the first application class woven does not wait for about 30
   * class loads (measured: the first weave of a hello world took ≈ 20 ms of its start-up). Never
   * throws.
   */
  public static void warmUp() {
    try (java.io.InputStream in =
        EtlInstrumentation.class.getResourceAsStream("EtlInstrumentation$AnyName.class")) {
      if (in == null) {
        return;
      }
      byte[] bytes = in.readAllBytes();
      net.bytebuddy.jar.asm.ClassReader reader = new net.bytebuddy.jar.asm.ClassReader(bytes);
      WovenMethod.weaveClass(
          reader,
          java.util.Set.of("test(Ljava/lang/String;)Z"),
          new WovenMethod.Factory() {
            @Override
            public net.bytebuddy.jar.asm.MethodVisitor wrap(
                net.bytebuddy.jar.asm.MethodVisitor mv,
                String name,
                String descriptor,
                int maxLocals) {
              return new FastWeaver.Timer(mv, descriptor, 0, maxLocals);
            }
          });
      new FastWeaver(java.util.Collections.<Target>singletonList(null))
          .weave(null, "dev.etlprofiler.agent.WarmUp", bytes);
    } catch (Throwable t) {
      AgentLog.debug("weaving warm-up: " + t);
    }
  }

  /** Every class name. */
  private static final class AnyName implements Predicate<String> {
    @Override
    public boolean test(String name) {
      return true;
    }
  }

  /** Classes never instrumented: by package prefix, generated classes, excluded patterns. */
  static final class Ignored implements Predicate<String> {
    private final List<String> prefixes;
    private final List<Pattern> excluded;

    Ignored(List<String> prefixes, List<Pattern> excluded) {
      this.prefixes = prefixes;
      this.excluded = excluded;
    }

    @Override
    public boolean test(String name) {
      return byPrefix(name) || excluded(name);
    }

    /** The cheap part: ignored packages and generated classes. */
    boolean byPrefix(String name) {
      for (String prefix : prefixes) {
        if (name.startsWith(prefix)) return true;
      }
      return name.contains("$$Lambda") || name.contains("$ByteBuddy$");
    }

    /** The {@code instrument.exclude.classes} patterns: regular expressions, so asked last. */
    boolean excluded(String name) {
      return NamePattern.anyMatches(excluded, name);
    }
  }

  /** A target's class and package criteria on the class name alone. */
  private static final class NameMayMatch implements Predicate<String> {
    private final List<Pattern> classes;
    private final List<String> packages;

    NameMayMatch(Target t) {
      classes = NamePattern.compileAllClasses(t.classes());
      List<String> dotted = new ArrayList<>();
      for (String p : t.packages()) {
        dotted.add(p + ".");
      }
      packages = dotted;
    }

    @Override
    public boolean test(String name) {
      if (!classes.isEmpty() && !NamePattern.anyMatches(classes, name)) return false;
      if (packages.isEmpty()) return true;
      for (String p : packages) {
        if (name.startsWith(p)) return true;
      }
      return false;
    }
  }

  /** A cheap test on the class name alone: false only if the target cannot match this class. */
  private static Predicate<String> nameMayMatch(Target t) {
    return new NameMayMatch(t);
  }

  /** When attached to a running JVM: retransform the application classes already loaded. */
  private static void retransformLoaded(Instrumentation inst, Predicate<String> ignored) {
    List<Class<?>> candidates = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.getClassLoader() != null
          && !c.isInterface()
          && !c.isArray()
          && !ignored.test(c.getName())
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
