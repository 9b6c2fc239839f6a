package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.core.ClientCalls;
import dev.etlprofiler.core.ThreadState;
import java.net.HttpURLConnection;
import java.net.URL;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the JDK's {@code HttpURLConnection.getInputStream} (which {@code getResponseCode}
 * also goes through): times sending the request and receiving the response headers, once per
 * connection.
 */
public final class UrlConnectionAdvice {
  private UrlConnectionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ThreadState enter(@Advice.This HttpURLConnection connection) {
    if (!ClientCalls.firstTime(connection)) {
      return null;
    }
    URL url = connection.getURL();
    return ClientCalls.enterHttp(
        connection.getRequestMethod(),
        url.getProtocol(),
        url.getHost(),
        url.getPort(),
        url.getPath());
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ThreadState ts,
      @Advice.This HttpURLConnection connection,
      @Advice.FieldValue("responseCode") int status,
      @Advice.Thrown Throwable thrown) {
    if (ts == null) {
      return;
    }
    long in = thrown == null ? connection.getContentLengthLong() : -1;
    ClientCalls.exitHttp(ts, thrown, status, in, -1);
  }
}
