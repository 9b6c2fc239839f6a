package dev.etlprofiler.core.http;

import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import java.util.function.BiConsumer;

/**
 * Completes the timing of an {@code HttpClient.sendAsync} call when its future completes, on
 * whatever thread completes it. The response is read through {@link HttpApi}.
 */
final class AsyncHttpCompletion implements BiConsumer<Object, Throwable> {
  private final Node node;
  private final Object request;
  private final long start;
  private final long bytesOut;

  AsyncHttpCompletion(Node node, Object request, long start, long bytesOut) {
    this.node = node;
    this.request = request;
    this.start = start;
    this.bytesOut = bytesOut;
  }

  @Override
  public void accept(Object response, Throwable failure) {
    try {
      long end = System.nanoTime();
      node.record(end - start);
      if (failure != null) {
        Throwable cause =
            failure instanceof java.util.concurrent.CompletionException
                    && failure.getCause() != null
                ? failure.getCause()
                : failure;
        node.error(cause.getClass().getName());
        HttpCalls.asyncEnded(node, request, cause, -1);
      } else if (response != null) {
        int status = HttpApi.status(response);
        HttpCalls.asyncEnded(node, request, null, status);
        if (status >= 100 && status < 600) {
          node.add(Counter.STATUS_1XX + status / 100 - 1, 1);
        }
        long length = HttpApi.contentLength(response);
        if (length > 0) {
          node.add(Counter.BYTES_IN, length);
        }
      }
      if (bytesOut > 0) {
        node.add(Counter.BYTES_OUT, bytesOut);
      }
    } catch (Throwable t) {
      Core.internalError("HTTP async completion", t);
    }
  }
}
