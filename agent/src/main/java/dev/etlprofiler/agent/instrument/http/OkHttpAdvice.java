package dev.etlprofiler.agent.instrument.http;

import dev.etlprofiler.core.ThreadState;
import dev.etlprofiler.core.http.HttpCalls;
import net.bytebuddy.asm.Advice;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Inlined into OkHttp's {@code RealCall.execute()} (OkHttp 4 and 5; {@code okhttp3.RealCall} in
 * OkHttp 3): times a synchronous call to the response headers; {@link Enqueue} into {@code
 * RealCall.enqueue(Callback)}. Described from class files, never loaded by the agent (see
 * HttpLibrary).
 */
public final class OkHttpAdvice {
  private OkHttpAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ThreadState enter(@Advice.This Call call) {
    Request request = call.request();
    HttpUrl url = request.url();
    return HttpCalls.enterHttp(
        request, request.method(), url.scheme(), url.host(), url.port(), url.encodedPath());
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ThreadState ts,
      @Advice.This Call call,
      @Advice.Return Response response,
      @Advice.Thrown Throwable thrown)
      throws java.io.IOException {
    if (ts == null) {
      return;
    }
    int status = response != null ? response.code() : -1;
    ResponseBody body = response != null ? response.body() : null;
    RequestBody sent = call.request().body();
    HttpCalls.exitHttp(
        ts,
        thrown,
        status,
        body != null ? body.contentLength() : -1,
        sent != null ? sent.contentLength() : -1);
  }

  /**
   * Replaces the callback of an asynchronous call with one that records the call (from enqueue to
   * the response headers, or the failure) and then calls the application's.
   */
  public static final class Enqueue {
    private Enqueue() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This Call call, @Advice.Argument(value = 0, readOnly = false) Callback callback)
        throws java.io.IOException {
      Request request = call.request();
      HttpUrl url = request.url();
      RequestBody sent = request.body();
      callback =
          (Callback)
              HttpCalls.wrapHttpCallback(
                  Callback.class,
                  callback,
                  request,
                  sent != null ? sent.contentLength() : -1,
                  request.method(),
                  url.scheme(),
                  url.host(),
                  url.port(),
                  url.encodedPath());
    }
  }
}
