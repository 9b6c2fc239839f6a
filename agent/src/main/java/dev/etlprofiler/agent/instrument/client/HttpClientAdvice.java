package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.core.ClientCalls;
import dev.etlprofiler.core.ThreadState;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code java.net.http.HttpClient.send} (the JDK's {@code HttpClientFacade}): times
 * the call to the complete response, with status, response and request body lengths.
 */
public final class HttpClientAdvice {
  private HttpClientAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ThreadState enter(@Advice.Argument(0) HttpRequest request) {
    URI uri = request.uri();
    return ClientCalls.enterHttp(request.method(), uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter ThreadState ts, @Advice.Argument(0) HttpRequest request,
      @Advice.Return HttpResponse<?> response, @Advice.Thrown Throwable thrown) {
    if (ts == null) {
      return;
    }
    int status = -1;
    long in = -1;
    if (response != null) {
      status = response.statusCode();
      in = response.headers().firstValueAsLong("content-length").orElse(-1L);
    }
    long out = -1;
    Optional<HttpRequest.BodyPublisher> body = request.bodyPublisher();
    if (body.isPresent()) {
      out = body.get().contentLength();
    }
    ClientCalls.exitHttp(ts, thrown, status, in, out);
  }
}
