package dev.etlprofiler.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.OptionalLong;
import java.util.function.BiConsumer;

/**
 * Completes the timing of an {@code HttpClient.sendAsync} call when its future completes, on
 * whatever thread completes it. The response is read through method handles on the public
 * {@code java.net.http} interfaces, which the bootstrap class loader cannot link against.
 */
final class AsyncHttpCompletion implements BiConsumer<Object, Throwable> {
  private static final MethodHandle STATUS;
  private static final MethodHandle HEADERS;
  private static final MethodHandle FIRST_LONG;

  static {
    MethodHandle status = null;
    MethodHandle headers = null;
    MethodHandle firstLong = null;
    try {
      ClassLoader platform = ClassLoader.getPlatformClassLoader();
      Class<?> response = Class.forName("java.net.http.HttpResponse", false, platform);
      Class<?> httpHeaders = Class.forName("java.net.http.HttpHeaders", false, platform);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      status = lookup.findVirtual(response, "statusCode", MethodType.methodType(int.class));
      headers = lookup.findVirtual(response, "headers", MethodType.methodType(httpHeaders));
      firstLong = lookup.findVirtual(httpHeaders, "firstValueAsLong", MethodType.methodType(OptionalLong.class, String.class));
    } catch (Throwable t) {
      Core.internalError("HTTP async response access", t);
    }
    STATUS = status;
    HEADERS = headers;
    FIRST_LONG = firstLong;
  }

  private final Node node;
  private final long start;
  private final long bytesOut;

  AsyncHttpCompletion(Node node, long start, long bytesOut) {
    this.node = node;
    this.start = start;
    this.bytesOut = bytesOut;
  }

  @Override
  public void accept(Object response, Throwable failure) {
    try {
      long end = System.nanoTime();
      node.record(end - start, ThreadState.CURRENT.get().stripe);
      if (failure != null) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        node.error(cause.getClass().getName());
      } else if (response != null && STATUS != null) {
        int status = (int) STATUS.invoke(response);
        if (status >= 100 && status < 600) {
          node.add(Counter.STATUS_1XX + status / 100 - 1, 1);
        }
        OptionalLong length = (OptionalLong) FIRST_LONG.invoke(HEADERS.invoke(response), "content-length");
        if (length.isPresent() && length.getAsLong() > 0) {
          node.add(Counter.BYTES_IN, length.getAsLong());
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
