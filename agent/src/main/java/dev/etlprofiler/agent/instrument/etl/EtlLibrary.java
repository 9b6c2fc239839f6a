package dev.etlprofiler.agent.instrument.etl;

import dev.etlprofiler.agent.config.ProfilerConfig;
import dev.etlprofiler.agent.config.Target;
import dev.etlprofiler.agent.instrument.weave.Bytes;
import dev.etlprofiler.agent.instrument.weave.ClassWeaver;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.NamePattern;
import dev.etlprofiler.agent.instrument.weave.WovenMethod;
import dev.etlprofiler.core.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.MethodVisitor;

/**
 * The application's ETL methods chosen by configuration ({@code instrument.*}) and every method
 * annotated {@code @ProfiledOperation}, woven by {@link EtlWeaver}. Most classes are rejected
 * without parsing: by name (ignored and excluded packages, class and package criteria), and by a
 * scan of the class bytes for an annotation descriptor a rule requires.
 */
public final class EtlLibrary implements Library {
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

  /**
   * A cheap pre-filter — the class name, and a descriptor the class bytes must contain (or null) —
   * and the target to weave (null: the {@code @ProfiledOperation} rule).
   */
  record Rule(Predicate<String> nameMayMatch, byte[] requiredDescriptor, Target target) {}

  private final List<Rule> rules;
  private final Ignored ignored;
  private volatile EtlWeaver weaver;

  private EtlLibrary(List<Rule> rules, Ignored ignored) {
    this.rules = rules;
    this.ignored = ignored;
  }

  /** The library for a configuration, or null when it selects no method at all. */
  public static EtlLibrary create(ProfilerConfig config) {
    List<Rule> rules = new ArrayList<>();
    for (Target t : config.targets()) {
      byte[] descriptor =
          t.annotatedWith().size() == 1 ? Bytes.descriptor(t.annotatedWith().get(0)) : null;
      rules.add(new Rule(new NameMayMatch(t), descriptor, t));
    }
    if (config.annotations()) {
      rules.add(new Rule(new AnyName(), Bytes.descriptor(PROFILED_OPERATION), null));
    }
    if (rules.isEmpty()) {
      AgentLog.info(
          "no targets configured and instrument.annotations is false: no methods are profiled");
      return null;
    }
    List<String> prefixes = new ArrayList<>(ALWAYS_IGNORED);
    for (String p : config.excludePackages()) {
      prefixes.add(p + ".");
    }
    return new EtlLibrary(
        List.copyOf(rules),
        new Ignored(prefixes, NamePattern.compileAllClasses(config.excludeClasses())));
  }

  @Override
  public String name() {
    return "etl";
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
    if (loader == null) {
      return null; // the boot loader's classes are the JDK's
    }
    String name = internalName.replace('/', '.');
    // cheapest first: the exclusion patterns are regular expressions, and with
    // instrument.annotations every class passes the name test and is scanned for the annotation,
    // so most classes never reach them
    if (ignored.byPrefix(name) || !mayMatch(name, bytes) || ignored.excluded(name)) {
      return null;
    }
    return weaver().weave(loader, name, bytes);
  }

  /**
   * When attached to a running JVM, the application classes already loaded are retransformed; at
   * start-up (premain) only JDK classes are loaded, which are never profiled, and skipping the scan
   * of them saves start-up time.
   */
  @Override
  public void installed(Instrumentation inst, boolean attached) {
    if (!attached) {
      return;
    }
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

  private EtlWeaver weaver() {
    EtlWeaver w = weaver;
    if (w == null) {
      synchronized (this) {
        w = weaver;
        if (w == null) {
          List<Target> targets = new ArrayList<>();
          for (Rule r : rules) {
            targets.add(r.target()); // null: the @ProfiledOperation rule
          }
          w = new EtlWeaver(targets);
          weaver = w;
        }
      }
    }
    return w;
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
        EtlLibrary.class.getResourceAsStream("EtlLibrary$AnyName.class")) {
      if (in == null) {
        return;
      }
      byte[] bytes = in.readAllBytes();
      ClassReader reader = new ClassReader(bytes);
      ClassWeaver.weave(
          reader,
          java.util.Set.of("test(Ljava/lang/String;)Z"),
          new WovenMethod.Factory() {
            @Override
            public MethodVisitor wrap(
                MethodVisitor mv, String name, String descriptor, int maxLocals) {
              return new EtlWeaver.Timer(mv, descriptor, 0, maxLocals);
            }
          });
      new EtlWeaver(java.util.Collections.<Target>singletonList(null))
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

  /**
   * A target's class and package criteria on the class name alone: false only if it cannot match.
   */
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
}
