package dev.etlprofiler.agent.instrument.weave;

import dev.etlprofiler.core.AgentLog;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Weaves ByteBuddy {@link Advice} into a client library's methods: for the libraries whose advice
 * must call the library's own API (Apache HttpClient, OkHttp, Kafka), which code written with ASM
 * alone could only do through reflection. The advice classes refer to the library's types, which
 * the agent's class loader cannot load: they are described from their class files together with the
 * application's, never initialised. Methods are selected by the same {@link MethodRule}s the ASM
 * path uses. Created at the first class a library weaves this way, so a job that uses none of these
 * libraries never loads ByteBuddy (about 280 ms of a hello-world start-up; see {@link
 * ClassWeaver}).
 */
public final class AdviceWeaver {
  /** One rule and the advice woven into the methods it selects. */
  public record Plan(MethodRule rule, Class<?> advice) {}

  private final ByteBuddy byteBuddy =
      new ByteBuddy()
          .with(TypeValidation.DISABLED)
          .with(Implementation.Context.Disabled.Factory.INSTANCE)
          .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);

  /** The class with each plan's advice woven into the methods its rule selects. */
  public byte[] weave(ClassLoader loader, String internalName, byte[] bytes, List<Plan> plans) {
    String name = internalName.replace('/', '.');
    ClassFileLocator locator =
        new ClassFileLocator.Compound(
            ClassFileLocator.Simple.of(name, bytes),
            loader == null
                ? ClassFileLocator.ForClassLoader.ofBootLoader()
                : ClassFileLocator.ForClassLoader.of(loader));
    TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
    TypeDescription type = pool.describe(name).resolve();
    AsmVisitorWrapper[] wrappers = new AsmVisitorWrapper[plans.size()];
    for (int i = 0; i < wrappers.length; i++) {
      Plan plan = plans.get(i);
      wrappers[i] = described(plan.advice(), loader).on(matcher(plan.rule()));
    }
    byte[] out =
        byteBuddy
            .decorate(type, locator)
            .visit(new AsmVisitorWrapper.Compound(wrappers))
            .make(pool)
            .getBytes();
    AgentLog.debug("instrumented " + name + " with advice");
    return out;
  }

  /** The rules of some plans. */
  public static List<MethodRule> rules(List<Plan> plans) {
    List<MethodRule> rules = new java.util.ArrayList<>();
    for (Plan p : plans) {
      rules.add(p.rule());
    }
    return rules;
  }

  /** The rule as a ByteBuddy matcher: the same access flags, name and descriptor test. */
  public static ElementMatcher.Junction<MethodDescription> matcher(MethodRule rule) {
    return new ElementMatcher.Junction.AbstractBase<>() {
      @Override
      public boolean matches(MethodDescription m) {
        return m.isMethod()
            && rule.matches(m.getModifiers(), m.getInternalName(), m.getDescriptor());
      }

      @Override
      public String toString() {
        return rule.toString();
      }
    };
  }

  /**
   * Advice described from its class file and the application's class path (the agent's loader
   * cannot link it against the library).
   */
  private static Advice described(Class<?> advice, ClassLoader loader) {
    ClassFileLocator files =
        new ClassFileLocator.Compound(
            ClassFileLocator.ForClassLoader.of(AdviceWeaver.class.getClassLoader()),
            loader == null
                ? ClassFileLocator.ForClassLoader.ofBootLoader()
                : ClassFileLocator.ForClassLoader.of(loader));
    TypeDescription description = TypePool.Default.of(files).describe(advice.getName()).resolve();
    return Advice.to(description, files);
  }
}
