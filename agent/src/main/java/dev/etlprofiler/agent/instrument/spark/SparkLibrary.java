package dev.etlprofiler.agent.instrument.spark;

import dev.etlprofiler.agent.instrument.weave.AdviceWeaver;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.MethodRule;
import dev.etlprofiler.core.spark.SparkCalls;
import java.util.List;
import java.util.Map;

/**
 * Apache Spark (3.x and 4.x, Scala 2.12 and 2.13), switched on by the {@code spark} preset: Spark's
 * own jobs, stages and tasks, and SQL query executions, from a {@code SparkListener} the agent
 * registers on every SparkContext, with no change to the job.
 *
 * <p>One method is woven: {@code LiveListenerBus.start}, where the context's listener bus starts
 * ({@link ListenerBusAdvice}); the listener itself ({@link ProfilerListener}) is defined in Spark's
 * class loader by {@link ListenerDefiner}. Why a listener rather than weaving the scheduler: it is
 * Spark's public, stable interface to exactly these events ({@code SparkListener} is a developer
 * API that the Spark UI, the history server and sparkMeasure use), its events carry the aggregated
 * task metrics of each stage, and Spark delivers them on a listener-bus thread of its own,
 * asynchronously: nothing runs on a task thread and nothing per record. Weaving {@code
 * LiveListenerBus.post} or the DAGScheduler instead would run on the scheduler's thread and depend
 * on private methods that change between versions. Recording: {@code dev.etlprofiler.core.spark}.
 */
public final class SparkLibrary implements Library {
  static final String LISTENER_BUS = "org/apache/spark/scheduler/LiveListenerBus";

  private static final List<AdviceWeaver.Plan> BUS_PLANS =
      List.of(
          new AdviceWeaver.Plan(
              MethodRule.named("start").args(2).arg(0, "org.apache.spark.SparkContext"),
              ListenerBusAdvice.class));

  private volatile AdviceWeaver weaver;

  public SparkLibrary() {
    SparkCalls.listenerFactory(new ListenerDefiner());
  }

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
    if (internalName.equals(LISTENER_BUS)) {
      return weaver().weave(loader, internalName, bytes, BUS_PLANS);
    }
    return null;
  }

  @Override
  public Map<String, List<MethodRule>> rulesByClass() {
    return Map.of(LISTENER_BUS, AdviceWeaver.rules(BUS_PLANS));
  }

  /** Made at the first Spark class woven, not at start-up: it loads ByteBuddy. */
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
