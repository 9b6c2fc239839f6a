package dev.etlprofiler.agent.instrument.camel;

import dev.etlprofiler.agent.instrument.weave.AdviceWeaver;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.MethodRule;
import dev.etlprofiler.core.camel.CamelCalls;
import java.util.List;
import java.util.Map;

/**
 * Apache Camel 4 routes and nodes (preset {@code camel}), timed where Camel's routing engine calls
 * them, named by route id and node id: {@code CamelInternalProcessor.process(Exchange,
 * AsyncCallback)} is the call of a route's processor (its consumer calls it) and of every node's
 * {@code DefaultChannel} (a subclass), whatever the node runs (a lambda, a bean, an endpoint).
 * Routes and channels are known when Camel builds them ({@code addRouteLifecycleAdvice} on a
 * route's processor, {@code DefaultChannel.initChannel} with the node's definition); a call ends at
 * Camel's own completion callback ({@code CamelInternalProcessor$AsyncAfterTask}); the node's work,
 * which its error handler runs later from Camel's loop ({@code RedeliveryErrorHandler}'s {@code
 * RedeliveryTask}/{@code SimpleTask}, known by {@code DefaultChannel.setErrorHandler}), runs under
 * the node's frame; redeliveries are counted where the error handler redelivers ({@code
 * RedeliveryTask.redeliver}). Nothing is woven unless the preset is on. The advice ({@link
 * CamelAdvice}) reads Camel's API and is woven with ByteBuddy. Recording: {@code
 * dev.etlprofiler.core.camel.CamelCalls}.
 */
public final class CamelLibrary implements Library {
  static final String INTERNAL_PROCESSOR = "org/apache/camel/impl/engine/CamelInternalProcessor";
  static final String AFTER_TASK =
      "org/apache/camel/impl/engine/CamelInternalProcessor$AsyncAfterTask";
  static final String CHANNEL = "org/apache/camel/impl/engine/DefaultChannel";
  static final String REDELIVERY_TASK =
      "org/apache/camel/processor/errorhandler/RedeliveryErrorHandler$RedeliveryTask";
  static final String SIMPLE_TASK =
      "org/apache/camel/processor/errorhandler/RedeliveryErrorHandler$SimpleTask";

  private static final Map<String, List<AdviceWeaver.Plan>> PLANS =
      Map.of(
          INTERNAL_PROCESSOR,
          List.of(
              new AdviceWeaver.Plan(
                  MethodRule.named("process")
                      .publicOnly()
                      .args(2)
                      .arg(0, "org.apache.camel.Exchange")
                      .arg(1, "org.apache.camel.AsyncCallback"),
                  CamelAdvice.Process.class),
              new AdviceWeaver.Plan(
                  MethodRule.named("addRouteLifecycleAdvice")
                      .args(3)
                      .arg(1, "org.apache.camel.Route"),
                  CamelAdvice.RouteBuilt.class)),
          AFTER_TASK,
          List.of(
              new AdviceWeaver.Plan(
                  MethodRule.named("prepare").args(2).arg(0, "org.apache.camel.Exchange"),
                  CamelAdvice.TaskPrepared.class),
              new AdviceWeaver.Plan(MethodRule.named("done").args(1), CamelAdvice.TaskDone.class)),
          CHANNEL,
          List.of(
              new AdviceWeaver.Plan(
                  MethodRule.named("initChannel")
                      .minArgs(3)
                      .arg(0, "org.apache.camel.Route")
                      .arg(1, "org.apache.camel.NamedNode")
                      .arg(2, "org.apache.camel.NamedNode"),
                  CamelAdvice.ChannelBuilt.class),
              new AdviceWeaver.Plan(
                  MethodRule.named("setErrorHandler").args(1).arg(0, "org.apache.camel.Processor"),
                  CamelAdvice.ErrorHandlerSet.class)),
          REDELIVERY_TASK,
          List.of(
              new AdviceWeaver.Plan(
                  MethodRule.named("redeliver").args(0), CamelAdvice.Redeliver.class),
              new AdviceWeaver.Plan(
                  MethodRule.named("run").publicOnly().args(0), CamelAdvice.HandlerRuns.class)),
          SIMPLE_TASK,
          List.of(
              new AdviceWeaver.Plan(
                  MethodRule.named("run").publicOnly().args(0), CamelAdvice.HandlerRuns.class)));

  private volatile AdviceWeaver weaver;

  /**
   * @param internalsShown whether Camel's own processors are timed too ({@code
   *     instrument.framework-internals})
   */
  public CamelLibrary(boolean internalsShown) {
    CamelCalls.internalsShown(internalsShown);
  }

  @Override
  public String name() {
    return "camel";
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
    if (!internalName.startsWith("org/apache/camel/")) {
      return null;
    }
    List<AdviceWeaver.Plan> plans = PLANS.get(internalName);
    return plans == null ? null : weaver().weave(loader, internalName, bytes, plans);
  }

  @Override
  public Map<String, List<MethodRule>> rulesByClass() {
    Map<String, List<MethodRule>> rules = new java.util.HashMap<>();
    PLANS.forEach((k, v) -> rules.put(k, AdviceWeaver.rules(v)));
    return rules;
  }

  /** Made at the first Camel class woven, not at start-up: it loads ByteBuddy. */
  private AdviceWeaver weaver() {
    AdviceWeaver w = weaver;
    if (w == null) {
      synchronized (this) {
        if (weaver == null) {
          weaver = new AdviceWeaver();
        }
        w = weaver;
      }
    }
    return w;
  }
}
