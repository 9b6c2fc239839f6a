package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.core.ThreadState;
import dev.etlprofiler.core.WovenCalls;
import net.bytebuddy.asm.Advice;

/**
 * The exit of {@code java.net.http.HttpClient.sendAsync} (its enter is {@link HttpClientAdvice}'s):
 * the call is timed from sendAsync to the completion of the returned future, with the response's
 * status and Content-Length, as the woven code records it ({@link WovenCalls}).
 */
public final class HttpClientAsyncAdvice {
  private HttpClientAsyncAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ThreadState ts,
      @Advice.Argument(0) Object request,
      @Advice.Return Object future,
      @Advice.Thrown Throwable thrown) {
    WovenCalls.exit(future, WovenCalls.HTTP_SEND_ASYNC, request, ts, thrown);
  }
}
