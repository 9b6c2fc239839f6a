package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.core.ClientCalls;
import dev.etlprofiler.core.ThreadState;
import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;

/**
 * The exit of {@code java.net.http.HttpClient.sendAsync} (its enter is {@link HttpClientAdvice}'s):
 * the call is timed from sendAsync to the completion of the returned future, with the response's
 * status and Content-Length.
 */
public final class HttpClientAsyncAdvice {
  private HttpClientAsyncAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter ThreadState ts, @Advice.Argument(0) HttpRequest request,
      @Advice.Return CompletableFuture<?> future, @Advice.Thrown Throwable thrown) {
    if (ts == null) {
      return;
    }
    long out = -1;
    Optional<HttpRequest.BodyPublisher> body = request.bodyPublisher();
    if (body.isPresent()) {
      out = body.get().contentLength();
    }
    ClientCalls.exitHttpAsync(ts, thrown, future, out);
  }
}
