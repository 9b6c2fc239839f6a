package dev.etlprofiler.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Method handles on the public {@code java.net.http} interfaces, which live in the platform
 * class loader's module and which the bootstrap class loader's code cannot link against. Null
 * when the module is absent; every use tolerates that.
 */
final class HttpApi {
  static final MethodHandle REQUEST_URI;
  static final MethodHandle REQUEST_METHOD;
  static final MethodHandle REQUEST_BODY;
  static final MethodHandle BODY_LENGTH;
  static final MethodHandle RESPONSE_STATUS;
  static final MethodHandle RESPONSE_HEADERS;
  static final MethodHandle HEADER_LONG;

  static {
    MethodHandle[] h = new MethodHandle[7];
    try {
      ClassLoader platform = ClassLoader.getPlatformClassLoader();
      Class<?> request = Class.forName("java.net.http.HttpRequest", false, platform);
      Class<?> publisher = Class.forName("java.net.http.HttpRequest$BodyPublisher", false, platform);
      Class<?> response = Class.forName("java.net.http.HttpResponse", false, platform);
      Class<?> headers = Class.forName("java.net.http.HttpHeaders", false, platform);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      h[0] = lookup.findVirtual(request, "uri", MethodType.methodType(URI.class));
      h[1] = lookup.findVirtual(request, "method", MethodType.methodType(String.class));
      h[2] = lookup.findVirtual(request, "bodyPublisher", MethodType.methodType(Optional.class));
      h[3] = lookup.findVirtual(publisher, "contentLength", MethodType.methodType(long.class));
      h[4] = lookup.findVirtual(response, "statusCode", MethodType.methodType(int.class));
      h[5] = lookup.findVirtual(response, "headers", MethodType.methodType(headers));
      h[6] = lookup.findVirtual(headers, "firstValueAsLong", MethodType.methodType(OptionalLong.class, String.class));
    } catch (Throwable t) {
      Core.internalError("java.net.http access", t);
    }
    REQUEST_URI = h[0];
    REQUEST_METHOD = h[1];
    REQUEST_BODY = h[2];
    BODY_LENGTH = h[3];
    RESPONSE_STATUS = h[4];
    RESPONSE_HEADERS = h[5];
    HEADER_LONG = h[6];
  }

  private HttpApi() {}

  /** The request body's length, or -1 (none, unknown, or unreadable). */
  static long requestBodyLength(Object request) throws Throwable {
    if (request == null || REQUEST_BODY == null) return -1;
    Optional<?> body = (Optional<?>) REQUEST_BODY.invoke(request);
    return body.isPresent() ? (long) BODY_LENGTH.invoke(body.get()) : -1;
  }

  /** A response's status code, or -1. */
  static int status(Object response) throws Throwable {
    return response == null || RESPONSE_STATUS == null ? -1 : (int) RESPONSE_STATUS.invoke(response);
  }

  /** A response's Content-Length header, or -1. */
  static long contentLength(Object response) throws Throwable {
    if (response == null || RESPONSE_HEADERS == null) return -1;
    OptionalLong length = (OptionalLong) HEADER_LONG.invoke(RESPONSE_HEADERS.invoke(response), "content-length");
    return length.isPresent() ? length.getAsLong() : -1;
  }
}
