package dev.etlprofiler.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Finds the agent's bridge on the bootstrap class path, where the agent puts its recording core, so
 * that the API reaches the agent from any class loader. Without the agent the lookup fails once,
 * {@link #ACTIVE} is false and nothing else here is called.
 *
 * <p>The bridge takes and returns only JDK types (String, Object, long, int), so this jar never
 * needs to see an agent class. Metric codes are the ones documented in the bridge ({@code
 * dev.etlprofiler.core.ApiBridge}).
 */
final class Backend {
  static final int RECORDS = 0;
  static final int BYTES = 1;
  static final int API_CALLS = 2;
  static final int RETRIES = 3;
  static final int VALID = 4;
  static final int INVALID = 5;

  static final boolean ACTIVE;
  private static final MethodHandle BEGIN_SESSION;
  private static final MethodHandle END_SESSION;
  private static final MethodHandle BEGIN_OPERATION;
  private static final MethodHandle END_OPERATION;
  private static final MethodHandle COUNT;
  private static final MethodHandle ERROR;
  private static final MethodHandle KAFKA_SEND;

  static {
    MethodHandle beginSession = null;
    MethodHandle endSession = null;
    MethodHandle beginOperation = null;
    MethodHandle endOperation = null;
    MethodHandle count = null;
    MethodHandle error = null;
    MethodHandle kafkaSend = null;
    boolean active = false;
    try {
      // null class loader: the bootstrap class path, visible from every class loader.
      Class<?> bridge = Class.forName("dev.etlprofiler.core.ApiBridge", true, null);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodType objectOfTwoStrings =
          MethodType.methodType(Object.class, String.class, String.class);
      MethodType voidOfObject = MethodType.methodType(void.class, Object.class);
      beginSession = lookup.findStatic(bridge, "beginSession", objectOfTwoStrings);
      endSession = lookup.findStatic(bridge, "endSession", voidOfObject);
      beginOperation =
          lookup.findStatic(
              bridge, "beginOperation", MethodType.methodType(Object.class, String.class));
      endOperation = lookup.findStatic(bridge, "endOperation", voidOfObject);
      count =
          lookup.findStatic(
              bridge,
              "count",
              MethodType.methodType(void.class, Object.class, int.class, long.class));
      error =
          lookup.findStatic(
              bridge, "error", MethodType.methodType(void.class, Object.class, String.class));
      kafkaSend =
          lookup.findStatic(
              bridge,
              "kafkaSend",
              MethodType.methodType(void.class, String.class, long.class, long.class));
      active =
          (boolean)
              lookup
                  .findStatic(bridge, "isRecording", MethodType.methodType(boolean.class))
                  .invokeExact();
    } catch (Throwable notAttached) {
      active = false;
    }
    ACTIVE = active;
    BEGIN_SESSION = beginSession;
    END_SESSION = endSession;
    BEGIN_OPERATION = beginOperation;
    END_OPERATION = endOperation;
    COUNT = count;
    ERROR = error;
    KAFKA_SEND = kafkaSend;
  }

  private Backend() {}

  static Object beginSession(String dataset, String source) {
    try {
      return (Object) BEGIN_SESSION.invokeExact(dataset, source);
    } catch (Throwable t) {
      return null;
    }
  }

  static void endSession(Object token) {
    try {
      END_SESSION.invokeExact(token);
    } catch (Throwable ignored) {
      // the bridge never throws; this only guards against a mismatched agent version
    }
  }

  static Object beginOperation(String name) {
    try {
      return (Object) BEGIN_OPERATION.invokeExact(name);
    } catch (Throwable t) {
      return null;
    }
  }

  static void endOperation(Object token) {
    try {
      END_OPERATION.invokeExact(token);
    } catch (Throwable ignored) {
      // see endSession
    }
  }

  static void count(Object token, int metric, long n) {
    try {
      COUNT.invokeExact(token, metric, n);
    } catch (Throwable ignored) {
      // see endSession
    }
  }

  static void error(Object token, String type) {
    try {
      ERROR.invokeExact(token, type);
    } catch (Throwable ignored) {
      // see endSession
    }
  }

  static void kafkaSend(String topic, long records, long bytes) {
    try {
      KAFKA_SEND.invokeExact(topic, records, bytes);
    } catch (Throwable ignored) {
      // see endSession
    }
  }
}
