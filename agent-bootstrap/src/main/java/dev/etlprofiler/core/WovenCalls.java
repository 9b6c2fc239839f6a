package dev.etlprofiler.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;

/**
 * What the client-call code woven with ASM alone calls (JDBC drivers, the JDK's HTTP clients): one
 * entry and one exit for every kind of call, with the call's object, its first argument and its
 * boxed return value as plain objects, so that the woven code is the same shape for every kind. The
 * kinds' logic is the one {@link ClientCalls} has for the ByteBuddy advice. Never throws.
 */
public final class WovenCalls {
  /** {@code Statement.execute*(String sql, ...)}. */
  public static final int JDBC_SQL = 1;

  /** {@code PreparedStatement.execute*()}. */
  public static final int JDBC_PREPARED = 2;

  /** {@code executeBatch()}, {@code executeLargeBatch()}. */
  public static final int JDBC_BATCH = 3;

  /**
   * {@code Connection.prepareStatement(sql, ...)}, {@code prepareCall(sql, ...)}: not timed, the
   * statement named.
   */
  public static final int JDBC_PREPARE = 4;

  /** {@code Connection.commit()}. */
  public static final int JDBC_COMMIT = 5;

  /** {@code HttpClient.send(request, handler)}. */
  public static final int HTTP_SEND = 6;

  /** {@code HttpClient.sendAsync(request, handler...)}. */
  public static final int HTTP_SEND_ASYNC = 7;

  /** {@code HttpURLConnection.getInputStream()}; the "return value" passed is the response code. */
  public static final int URL_CONNECTION = 8;

  private static final Class<?> SQL_EXCEPTION;
  private static final MethodHandle SQL_STATE;

  static {
    Class<?> type = null;
    MethodHandle state = null;
    try {
      type = Class.forName("java.sql.SQLException", false, ClassLoader.getPlatformClassLoader());
      state =
          MethodHandles.publicLookup()
              .findVirtual(type, "getSQLState", MethodType.methodType(String.class));
    } catch (Throwable noJavaSql) {
      // no java.sql module: no JDBC driver either
    }
    SQL_EXCEPTION = type;
    SQL_STATE = state;
  }

  private WovenCalls() {}

  public static ThreadState enter(int kind, Object self, Object arg0) {
    try {
      switch (kind) {
        case JDBC_SQL:
          return ClientCalls.enterJdbc(self, arg0 instanceof String ? (String) arg0 : null);
        case JDBC_PREPARED:
        case JDBC_BATCH:
          return ClientCalls.enterJdbc(self, null);
        case JDBC_COMMIT:
          return ClientCalls.enterJdbcNamed("COMMIT");
        case HTTP_SEND:
        case HTTP_SEND_ASYNC:
          {
            URI uri = HttpApi.uri(arg0);
            if (uri == null) {
              return null; // no request, or java.net.http not readable: the call is not recorded
            }
            return ClientCalls.enterHttp(
                HttpApi.method(arg0),
                uri.getScheme(),
                uri.getHost(),
                uri.getPort(),
                uri.getRawPath());
          }
        case URL_CONNECTION:
          {
            HttpURLConnection connection = (HttpURLConnection) self;
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
        default:
          return null; // JDBC_PREPARE: nothing to time
      }
    } catch (Throwable t) {
      Core.internalError("client call", t);
      return null;
    }
  }

  /**
   * @param returned the call's return value, boxed (for {@link #URL_CONNECTION} the response code),
   *     or null
   * @param arg0 what {@link #enter} was given as its first argument (the SQL, the request, the
   *     connection)
   */
  public static void exit(
      Object returned, int kind, Object arg0, ThreadState ts, Throwable thrown) {
    try {
      switch (kind) {
        case JDBC_PREPARE:
          if (thrown == null && arg0 instanceof String) {
            ClientCalls.prepared(returned, (String) arg0);
          }
          return;
        case JDBC_SQL:
        case JDBC_PREPARED:
          if (ts != null) {
            ClientCalls.exitJdbc(
                ts,
                thrown,
                returned instanceof Number ? ((Number) returned).longValue() : -1,
                0,
                sqlState(thrown));
          }
          return;
        case JDBC_BATCH:
          if (ts != null) {
            exitBatch(ts, thrown, returned);
          }
          return;
        case JDBC_COMMIT:
          if (ts != null) {
            ClientCalls.exitJdbc(ts, thrown, -1, 0, sqlState(thrown));
          }
          return;
        case HTTP_SEND:
          if (ts != null) {
            long out = safeBodyLength(arg0);
            ClientCalls.exitHttp(
                ts, thrown, HttpApi.status(returned), HttpApi.contentLength(returned), out);
          }
          return;
        case HTTP_SEND_ASYNC:
          if (ts != null) {
            ClientCalls.exitHttpAsync(ts, thrown, returned, safeBodyLength(arg0));
          }
          return;
        case URL_CONNECTION:
          if (ts != null) {
            int status = returned instanceof Integer ? (Integer) returned : -1;
            long in =
                thrown == null && arg0 instanceof HttpURLConnection
                    ? ((HttpURLConnection) arg0).getContentLengthLong()
                    : -1;
            ClientCalls.exitHttp(ts, thrown, status, in, -1);
          }
          return;
        default:
          return;
      }
    } catch (Throwable t) {
      Core.internalError("client call", t);
    }
  }

  private static long safeBodyLength(Object request) {
    try {
      return HttpApi.requestBodyLength(request);
    } catch (Throwable t) {
      return -1;
    }
  }

  private static void exitBatch(ThreadState ts, Throwable thrown, Object result) {
    long rows = 0;
    int batched = 0;
    if (result instanceof int[]) {
      int[] counts = (int[]) result;
      batched = counts.length;
      for (int c : counts) rows += Math.max(0, c);
    } else if (result instanceof long[]) {
      long[] counts = (long[]) result;
      batched = counts.length;
      for (long c : counts) rows += Math.max(0, c);
    }
    ClientCalls.exitJdbc(ts, thrown, rows, batched, sqlState(thrown));
  }

  private static String sqlState(Throwable thrown) {
    if (thrown == null || SQL_STATE == null || !SQL_EXCEPTION.isInstance(thrown)) {
      return null;
    }
    try {
      return (String) SQL_STATE.invoke(thrown);
    } catch (Throwable t) {
      return null;
    }
  }
}
