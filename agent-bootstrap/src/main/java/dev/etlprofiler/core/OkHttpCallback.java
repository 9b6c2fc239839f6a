package dev.etlprofiler.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * One OkHttp {@code Call.enqueue} in flight: the handler of the proxy that stands in for the
 * application's {@code okhttp3.Callback}. On {@code onResponse} it records the call's latency
 * since {@code enqueue} (to the response headers), the status class and the Content-Length; on
 * {@code onFailure} the failure by exception type; then it calls the application's callback with
 * the same arguments, and whatever that throws reaches OkHttp unchanged. The response is read
 * by reflection on OkHttp's public API (the bootstrap loader cannot link against it), cached per
 * class.
 */
final class OkHttpCallback implements InvocationHandler {
  private static final ClassValue<Method[]> ACCESS = new ClassValue<>() {
    @Override
    protected Method[] computeValue(Class<?> response) {
      try {
        Method code = response.getMethod("code");
        Method body = response.getMethod("body");
        Method length = body.getReturnType().getMethod("contentLength");
        return new Method[] {code, body, length};
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  };

  private final Node node;
  private final long start;
  private final Object userCallback;

  OkHttpCallback(Node node, long start, Object userCallback) {
    this.node = node;
    this.start = start;
    this.userCallback = userCallback;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "equals":
        if (method.getDeclaringClass() == Object.class) return proxy == args[0];
        break;
      case "hashCode":
        if (method.getDeclaringClass() == Object.class) return System.identityHashCode(proxy);
        break;
      case "toString":
        if (method.getDeclaringClass() == Object.class) return "etl-profiler callback for " + userCallback;
        break;
      case "onResponse":
        if (args != null && args.length == 2) responded(args[1]);
        break;
      case "onFailure":
        if (args != null && args.length == 2 && args[1] instanceof Throwable) failed((Throwable) args[1]);
        break;
      default:
        break;
    }
    try {
      return method.invoke(userCallback, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void responded(Object response) {
    try {
      node.record(System.nanoTime() - start, ThreadState.CURRENT.get().stripe);
      Method[] access = response == null ? null : ACCESS.get(response.getClass());
      if (access == null) {
        return;
      }
      int status = (int) access[0].invoke(response);
      if (status >= 100 && status < 600) {
        node.add(Counter.STATUS_1XX + status / 100 - 1, 1);
      }
      Object body = access[1].invoke(response);
      long length = body == null ? -1 : (long) access[2].invoke(body);
      if (length > 0) {
        node.add(Counter.BYTES_IN, length);
      }
    } catch (Throwable t) {
      Core.internalError("OkHttp async completion", t);
    }
  }

  private void failed(Throwable failure) {
    try {
      node.record(System.nanoTime() - start, ThreadState.CURRENT.get().stripe);
      node.error(failure.getClass().getName());
    } catch (Throwable t) {
      Core.internalError("OkHttp async completion", t);
    }
  }
}
