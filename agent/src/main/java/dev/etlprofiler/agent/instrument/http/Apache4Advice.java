package dev.etlprofiler.agent.instrument.http;

import dev.etlprofiler.core.ThreadState;
import dev.etlprofiler.core.http.HttpCalls;
import net.bytebuddy.asm.Advice;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.methods.CloseableHttpResponse;

/**
 * Inlined into Apache HttpClient 4's clients ({@code InternalHttpClient}, {@code MinimalHttpClient}
 * and the deprecated {@code AbstractHttpClient}) at {@code doExecute(HttpHost, HttpRequest,
 * HttpContext)}, which every {@code execute} overload reaches: times the call to the response
 * headers. The request line's URI may be absolute (user-info included) or a path; {@link
 * HttpCalls#enterHttpUri} keeps only the parts an endpoint name needs. Described from its class
 * file, never loaded (see HttpLibrary).
 */
public final class Apache4Advice {
  private Apache4Advice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ThreadState enter(
      @Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
    return HttpCalls.enterHttpUri(
        request,
        request.getRequestLine().getMethod(),
        target != null ? target.getSchemeName() : null,
        target != null ? target.getHostName() : null,
        target != null ? target.getPort() : -1,
        request.getRequestLine().getUri());
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ThreadState ts,
      @Advice.Argument(1) HttpRequest request,
      @Advice.Return CloseableHttpResponse response,
      @Advice.Thrown Throwable thrown) {
    if (ts == null) {
      return;
    }
    int status =
        response != null && response.getStatusLine() != null
            ? response.getStatusLine().getStatusCode()
            : -1;
    HttpEntity in = response != null ? response.getEntity() : null;
    HttpEntity out =
        request instanceof HttpEntityEnclosingRequest
            ? ((HttpEntityEnclosingRequest) request).getEntity()
            : null;
    HttpCalls.exitHttp(
        ts,
        thrown,
        status,
        in != null ? in.getContentLength() : -1,
        out != null ? out.getContentLength() : -1);
  }
}
