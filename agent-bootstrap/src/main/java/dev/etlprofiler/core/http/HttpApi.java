package dev.etlprofiler.core.http;

import dev.etlprofiler.core.Core;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Method handles on the public {@code java.net.http} interfaces, which live in the platform class
 * loader's module and which the bootstrap class loader's code cannot link against. Null when the
 * module is absent; every use tolerates that.
 *
 * <p>Each handle is adapted once to erased types ({@code Object} for the {@code java.net.http}
 * types) and called with {@code invokeExact}. A plain {@code invoke} adapts the handle's type at
 * every call until C2 has compiled the caller; the example job, 8 × its rows (27 k requests), spent
 * about 4 µs per request there, most of its calls being made before C2 got to them. The
 * Content-Length is looked up in {@code headers().map()}: {@code firstValueAsLong} goes through a
 * stream and was half of that.
 */
final class HttpApi {
  private static final MethodHandle REQUEST_URI;
  private static final MethodHandle REQUEST_METHOD;
  private static final MethodHandle REQUEST_BODY;
  private static final MethodHandle BODY_LENGTH;
  private static final MethodHandle RESPONSE_STATUS;
  private static final MethodHandle RESPONSE_HEADERS;
  private static final MethodHandle HEADER_MAP;

  static {
    MethodHandle[] h = new MethodHandle[7];
    try {
      ClassLoader platform = ClassLoader.getPlatformClassLoader();
      Class<?> request = Class.forName("java.net.http.HttpRequest", false, platform);
      Class<?> publisher =
          Class.forName("java.net.http.HttpRequest$BodyPublisher", false, platform);
      Class<?> response = Class.forName("java.net.http.HttpResponse", false, platform);
      Class<?> headers = Class.forName("java.net.http.HttpHeaders", false, platform);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      h[0] =
          lookup
              .findVirtual(request, "uri", MethodType.methodType(URI.class))
              .asType(MethodType.methodType(URI.class, Object.class));
      h[1] =
          lookup
              .findVirtual(request, "method", MethodType.methodType(String.class))
              .asType(MethodType.methodType(String.class, Object.class));
      h[2] =
          lookup
              .findVirtual(request, "bodyPublisher", MethodType.methodType(Optional.class))
              .asType(MethodType.methodType(Optional.class, Object.class));
      h[3] =
          lookup
              .findVirtual(publisher, "contentLength", MethodType.methodType(long.class))
              .asType(MethodType.methodType(long.class, Object.class));
      h[4] =
          lookup
              .findVirtual(response, "statusCode", MethodType.methodType(int.class))
              .asType(MethodType.methodType(int.class, Object.class));
      h[5] =
          lookup
              .findVirtual(response, "headers", MethodType.methodType(headers))
              .asType(MethodType.methodType(Object.class, Object.class));
      h[6] =
          lookup
              .findVirtual(headers, "map", MethodType.methodType(Map.class))
              .asType(MethodType.methodType(Map.class, Object.class));
    } catch (Throwable t) {
      Core.internalError("java.net.http access", t);
      java.util.Arrays.fill(h, null);
    }
    REQUEST_URI = h[0];
    REQUEST_METHOD = h[1];
    REQUEST_BODY = h[2];
    BODY_LENGTH = h[3];
    RESPONSE_STATUS = h[4];
    RESPONSE_HEADERS = h[5];
    HEADER_MAP = h[6];
  }

  private HttpApi() {}

  /** The request's URI, or null. */
  static URI uri(Object request) throws Throwable {
    return request == null || REQUEST_URI == null ? null : (URI) REQUEST_URI.invokeExact(request);
  }

  /** The request's method, or null. */
  static String method(Object request) throws Throwable {
    return request == null || REQUEST_METHOD == null
        ? null
        : (String) REQUEST_METHOD.invokeExact(request);
  }

  /** The request body's length, or -1 (none, unknown, or unreadable). */
  static long requestBodyLength(Object request) throws Throwable {
    if (request == null || REQUEST_BODY == null) return -1;
    Optional<?> body = (Optional<?>) REQUEST_BODY.invokeExact(request);
    return body.isPresent() ? (long) BODY_LENGTH.invokeExact((Object) body.get()) : -1;
  }

  /** A response's status code, or -1. */
  static int status(Object response) throws Throwable {
    return response == null || RESPONSE_STATUS == null
        ? -1
        : (int) RESPONSE_STATUS.invokeExact(response);
  }

  /**
   * A response's Content-Length header, or -1 (absent or not a number). The header map's keys
   * compare case-insensitively (the {@code HttpHeaders} contract).
   */
  static long contentLength(Object response) throws Throwable {
    if (response == null || RESPONSE_HEADERS == null) return -1;
    Object headers = (Object) RESPONSE_HEADERS.invokeExact(response);
    if (headers == null) return -1;
    Map<?, ?> map = (Map<?, ?>) HEADER_MAP.invokeExact(headers);
    Object values = map == null ? null : map.get("content-length");
    if (!(values instanceof List<?> list)
        || list.isEmpty()
        || !(list.get(0) instanceof String first)) {
      return -1;
    }
    return parseLength(first);
  }

  /** A non-negative decimal length, or -1; no exception for a malformed header. */
  static long parseLength(String s) {
    int n = s.length();
    if (n == 0 || n > 18) return -1;
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
