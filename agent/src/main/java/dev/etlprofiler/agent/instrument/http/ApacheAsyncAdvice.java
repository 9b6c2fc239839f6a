package dev.etlprofiler.agent.instrument.http;

import dev.etlprofiler.core.http.HttpCalls;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * Inlined into Apache HttpClient 5's async main execs ({@code HttpAsyncMainClientExec} for
 * HTTP/1.1, {@code H2AsyncMainClientExec} for HTTP/2), the last handler of the async exec chain,
 * which sends one request on an established connection: replaces its {@code AsyncExecCallback} with
 * one that records the exchange (to the complete response; a retry or redirect is another exchange)
 * and then calls the client's own. Connection failures happen before this handler and are not seen
 * here. Described from class files, never loaded (see HttpLibrary).
 */
public final class ApacheAsyncAdvice {
  private ApacheAsyncAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.Argument(0) HttpRequest request,
      @Advice.Argument(1) AsyncEntityProducer entity,
      @Advice.Argument(2) AsyncExecChain.Scope scope,
      @Advice.Argument(value = 4, readOnly = false) AsyncExecCallback callback) {
    HttpHost target = scope.route.getTargetHost();
    callback =
        (AsyncExecCallback)
            HttpCalls.wrapHttpCallback(
                AsyncExecCallback.class,
                callback,
                request,
                entity != null ? entity.getContentLength() : -1,
                request.getMethod(),
                target.getSchemeName(),
                target.getHostName(),
                target.getPort(),
                request.getPath());
  }
}
