package dev.etlprofiler.agent.instrument.spark;

import dev.etlprofiler.core.spark.SparkCalls;
import net.bytebuddy.asm.Advice;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.LiveListenerBus;
import org.apache.spark.scheduler.SparkListenerInterface;

/**
 * Inlined at the start of {@code LiveListenerBus.start(SparkContext, MetricsSystem)}, which every
 * SparkContext calls once, after the listeners of {@code spark.extraListeners} are added and before
 * any event is delivered: registers the agent's listener on the context's shared listener queue
 * with the public {@code SparkContext.addSparkListener}. Described from its class file, never
 * loaded (see SparkLibrary).
 */
public final class ListenerBusAdvice {
  private ListenerBusAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(0) SparkContext context) {
    Object listener = SparkCalls.newListener(LiveListenerBus.class);
    if (listener != null && context != null) {
      context.addSparkListener((SparkListenerInterface) listener);
    }
  }
}
