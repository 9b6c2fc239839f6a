package dev.etlprofiler.core.http;

import dev.etlprofiler.core.CallbackProxy;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One asynchronous HTTP call in flight: the handler of the proxy that stands in for the
 * application's (or the client's own) callback interface. It records the call when the client
 * reports its end, then calls the original callback with the same arguments; whatever that throws
 * reaches the client unchanged.
 *
 * <ul>
 *   <li>OkHttp {@code Callback}: {@code onResponse(call, response)} ends the call at the response
 *       headers (status class, Content-Length); {@code onFailure(call, e)} ends it failed.
 *   <li>Apache HttpClient 5 {@code AsyncExecCallback}: {@code handleResponse(response, entity)}
 *       notes the status and length; {@code completed()} ends the call with the body received;
 *       {@code failed(e)} ends it failed.
 * </ul>
 *
 * The client's objects are read by reflection on their public API (the bootstrap loader cannot link
 * against the libraries), with the methods looked up once per class.
 */
final class AsyncHttpCallback extends CallbackProxy {
  private static final ConcurrentHashMap<String, Method> METHODS = new ConcurrentHashMap<>();
  private static final Method NONE;

  static {
    try {
      NONE = Object.class.getMethod("hashCode");
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Node node;
  private final Object request;
  private final long bytesOut;
  private final long start;
  private volatile int status = -1;
  private volatile long length = -1;
  private volatile boolean done;

  AsyncHttpCallback(Node node, Object request, long bytesOut, long start, Object delegate) {
    super(delegate);
    this.node = node;
    this.request = request;
    this.bytesOut = bytesOut;
    this.start = start;
  }

  @Override
  protected void observe(String method, Object[] args) {
    int n = args.length;
    switch (method) {
      case "onResponse" -> {
        if (n == 2) {
          noteResponse(args[1], "code", "body", "contentLength");
          end(null);
        }
      }
      case "onFailure", "failed" -> {
        if (n >= 1 && args[n - 1] instanceof Throwable t) end(t);
      }
      case "handleResponse" -> {
        if (n == 2) {
          noteResponse(args[0], "getCode", null, null);
          try {
            Object len = args[1] == null ? null : call(args[1], "getContentLength");
            if (len instanceof Long l) length = l;
          } catch (ReflectiveOperationException e) {
            Core.internalError("async HTTP response", e);
          }
        }
      }
      case "completed" -> {
        if (n == 0) end(null);
      }
      default -> {}
    }
  }

  /** Reads the status ({@code statusMethod}) and, if named, the body's length from a response. */
  private void noteResponse(
      Object response, String statusMethod, String bodyMethod, String lengthMethod) {
    try {
      if (response == null) return;
      Object code = call(response, statusMethod);
      if (code instanceof Integer i) status = i;
      if (bodyMethod != null) {
        Object body = call(response, bodyMethod);
        Object len = body == null ? null : call(body, lengthMethod);
        if (len instanceof Long l) length = l;
      }
    } catch (Throwable t) {
      Core.internalError("async HTTP response", t);
    }
  }

  /** Records the call once: its latency since the start, status class, bytes, or the failure. */
  private void end(Throwable failure) {
    try {
      synchronized (this) {
        if (done) return;
        done = true;
      }
      node.record(System.nanoTime() - start);
      HttpCalls.asyncEnded(node, request, failure, status);
      if (failure != null) {
        node.error(failure.getClass().getName());
        return;
      }
      int s = status;
      if (s >= 100 && s < 600) node.add(Counter.STATUS_1XX + s / 100 - 1, 1);
      if (length > 0) node.add(Counter.BYTES_IN, length);
      if (bytesOut > 0) node.add(Counter.BYTES_OUT, bytesOut);
    } catch (Throwable t) {
      Core.internalError("async HTTP completion", t);
    }
  }

  /** Calls a public no-argument method by name, through a public type that declares it. */
  private static Object call(Object target, String name) throws ReflectiveOperationException {
    String key = target.getClass().getName() + '#' + name;
    Method m = METHODS.get(key);
    if (m == null) {
      m = publicMethod(target.getClass(), name);
      METHODS.put(key, m == null ? NONE : m);
    }
    return m == null || m == NONE ? null : m.invoke(target);
  }

  private static Method publicMethod(Class<?> c, String name) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      if (Modifier.isPublic(k.getModifiers())) {
        try {
          return k.getMethod(name);
        } catch (NoSuchMethodException e) {
          return null;
        }
      }
      for (Class<?> i : k.getInterfaces()) {
        Method m = publicMethod(i, name);
        if (m != null) return m;
      }
    }
    return null;
  }
}
