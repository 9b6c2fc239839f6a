package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.core.ThreadState;
import dev.etlprofiler.core.WovenCalls;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code java.net.http.HttpClient.send} (the JDK's {@code HttpClientFacade}) when the
 * ASM weaver could not weave it: times the call to the complete response, with status, response and
 * request body lengths. It calls the same {@link WovenCalls} methods as the woven code, so both
 * paths record a call alike; those read the response without throwing (a malformed Content-Length
 * is no length), and the frame pushed at enter is always popped.
 */
public final class HttpClientAdvice {
  private HttpClientAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ThreadState enter(@Advice.Argument(0) Object request) {
    return WovenCalls.enter(WovenCalls.HTTP_SEND, null, request);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ThreadState ts,
      @Advice.Argument(0) Object request,
      @Advice.Return Object response,
      @Advice.Thrown Throwable thrown) {
    WovenCalls.exit(response, WovenCalls.HTTP_SEND, request, ts, thrown);
  }
}
