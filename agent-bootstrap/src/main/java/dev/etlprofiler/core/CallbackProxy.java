package dev.etlprofiler.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The handler of a proxy the agent hands a client in place of a callback (a Kafka producer's {@code
 * Callback}, OkHttp's {@code Callback}, Apache HttpClient's {@code AsyncExecCallback}): {@link
 * #observe} sees each call first, then the original callback (if any) gets it with the same
 * arguments, and whatever the original returns or throws reaches the client unchanged. A proxy of
 * the client's own interface, because no agent class can implement an interface of a library the
 * agent's class loader cannot see.
 */
public abstract class CallbackProxy implements InvocationHandler {
  private static final Object[] NO_ARGS = {};

  /**
   * The proxy class's constructor per callback interface, looked up once: a Kafka producer may send
   * a million records a second, and {@code Proxy.newProxyInstance} looks the proxy class up and
   * checks access on every call.
   */
  private static final ClassValue<java.lang.reflect.Constructor<?>> CONSTRUCTORS =
      new ClassValue<>() {
        @Override
        protected java.lang.reflect.Constructor<?> computeValue(Class<?> callbackType) {
          try {
            Object sample =
                java.lang.reflect.Proxy.newProxyInstance(
                    callbackType.getClassLoader(),
                    new Class<?>[] {callbackType},
                    (proxy, method, args) -> null);
            return sample.getClass().getConstructor(InvocationHandler.class);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  private final Object delegate;

  protected CallbackProxy(Object delegate) {
    this.delegate = delegate;
  }

  /** What the agent records on a callback method call; never throws into the client. */
  protected abstract void observe(String method, Object[] args);

  @Override
  public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          return "etl-profiler callback for " + delegate;
      }
    }
    try {
      observe(method.getName(), args == null ? NO_ARGS : args);
    } catch (Throwable t) {
      Core.internalError("client callback", t);
    }
    if (delegate == null) {
      return null;
    }
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  protected Object delegate() {
    return delegate;
  }

  /** A proxy implementing {@code callbackType} (a public interface) with this handler. */
  public final Object proxy(Class<?> callbackType) throws ReflectiveOperationException {
    return CONSTRUCTORS.get(callbackType).newInstance(this);
  }
}
