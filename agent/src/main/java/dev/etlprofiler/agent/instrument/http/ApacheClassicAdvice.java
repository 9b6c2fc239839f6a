package dev.etlprofiler.agent.instrument.http;

import dev.etlprofiler.core.ThreadState;
import dev.etlprofiler.core.http.HttpCalls;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;

/**
 * Inlined into Apache HttpClient 5's classic clients ({@code InternalHttpClient} and {@code
 * MinimalHttpClient}), at {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)}, which every
 * {@code execute} overload reaches: times the call to the response headers. This class refers to
 * Apache types, which the agent's class loader cannot load: it is described from its class file
 * together with the application's class path, never loaded (see HttpLibrary).
 */
public final class ApacheClassicAdvice {
  private ApacheClassicAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ThreadState enter(
      @Advice.Argument(0) HttpHost target, @Advice.Argument(1) ClassicHttpRequest request) {
    String scheme = target != null ? target.getSchemeName() : request.getScheme();
    String host =
        target != null
            ? target.getHostName()
            : request.getAuthority() != null ? request.getAuthority().getHostName() : null;
    int port =
        target != null
            ? target.getPort()
            : request.getAuthority() != null ? request.getAuthority().getPort() : -1;
    return HttpCalls.enterHttp(request, request.getMethod(), scheme, host, port, request.getPath());
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ThreadState ts,
      @Advice.Argument(1) ClassicHttpRequest request,
      @Advice.Return CloseableHttpResponse response,
      @Advice.Thrown Throwable thrown) {
    if (ts == null) {
      return;
    }
    int status = response != null ? response.getCode() : -1;
    HttpEntity in = response != null ? response.getEntity() : null;
    HttpEntity out = request.getEntity();
    HttpCalls.exitHttp(
        ts,
        thrown,
        status,
        in != null ? in.getContentLength() : -1,
        out != null ? out.getContentLength() : -1);
  }
}
