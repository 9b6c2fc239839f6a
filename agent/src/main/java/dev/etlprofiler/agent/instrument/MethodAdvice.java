package dev.etlprofiler.agent.instrument;

import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.ThreadState;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into every profiled method. Only bootstrap-visible types ({@code dev.etlprofiler.core})
 * appear here, because this code ends up inside the application's classes. Both parts suppress
 * every Throwable: nothing the profiler does can reach the application, and the application's own
 * exception leaves the method unchanged.
 */
public final class MethodAdvice {
  private MethodAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ThreadState enter(@OpId int opId) {
    return Core.enter(opId);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ThreadState ts, @Advice.Thrown Throwable thrown, @OpId int opId) {
    if (ts != null) {
      Core.exit(ts, thrown, opId);
    }
  }
}
