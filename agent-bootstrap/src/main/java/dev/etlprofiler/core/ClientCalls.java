package dev.etlprofiler.core;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What client-call advice (HTTP, JDBC) calls. A client call becomes a child node of the operation
 * running on the thread, named by {@link Endpoints} (HTTP) or {@link Sql} (JDBC). A call that one
 * client layer makes through another on the same thread is recorded once: only the outermost. The
 * advice extracts everything it needs from the client's own types (which the bootstrap class loader
 * cannot see) and passes JDK types and primitives only. Never throws.
 */
public final class ClientCalls {
  /** Returned for a call inside another client call on the same thread: not recorded. */
  public static final ThreadState NESTED = new ThreadState();

  private static final Map<Object, String> PREPARED =
      Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<Object, Boolean> RECORDED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private ClientCalls() {}

  /** Starts an HTTP call; the state to pass to {@link #exitHttp}. */
  public static ThreadState enterHttp(
      String method, String scheme, String host, int port, String path) {
    ThreadState ts = null;
    try {
      ts = ThreadState.CURRENT.get();
      if (ts.clientDepth++ > 0) {
        return NESTED;
      }
      int op = ts.httpOp(method, scheme, host, port, path);
      ThreadState pushed = pushed(ts, op);
      if (pushed != null && op == ts.lastHttpOp && ts.lastHttpFailed) {
        try {
          // the same request again right after it failed on this thread: a retry
          pushed.stack[pushed.depth - 1].add(Counter.RETRIES, 1);
        } catch (Throwable t) {
          Core.internalError(
              "HTTP retry count", t); // the frame is pushed: return it so exit pops it
        }
      }
      return pushed;
    } catch (Throwable t) {
      Core.internalError("HTTP client call", t);
      undoDepth(ts);
      return null;
    }
  }

  /**
   * Starts an HTTP call whose request gives a URI that may be absolute ({@code
   * scheme://user@host:port/path?query}) or only a path; the target's scheme, host and port (null
   * and -1 when the client gave none) win over the URI's. User-info, query and fragment are
   * dropped.
   */
  public static ThreadState enterHttpUri(
      String method, String scheme, String host, int port, String uri) {
    Object[] parts = uriParts(scheme, host, port, uri);
    return enterHttp(
        method, (String) parts[0], (String) parts[1], (int) parts[2], (String) parts[3]);
  }

  /** {scheme, host, port, path} of a request: the target's where given, else the URI's. */
  static Object[] uriParts(String scheme, String host, int port, String uri) {
    String path = uri;
    try {
      int sep = uri == null || uri.startsWith("/") ? -1 : uri.indexOf("://");
      if (sep > 0) {
        int authorityEnd = indexOfAny(uri, sep + 3, '/', '?', '#');
        String authority = uri.substring(sep + 3, authorityEnd < 0 ? uri.length() : authorityEnd);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        path = authorityEnd < 0 ? "/" : uri.substring(authorityEnd);
        if (host == null) {
          scheme = uri.substring(0, sep);
          int close = authority.indexOf(']');
          int colon = authority.indexOf(':', Math.max(0, close));
          host = colon < 0 ? authority : authority.substring(0, colon);
          port = colon < 0 ? -1 : Integer.parseInt(authority.substring(colon + 1));
        }
      }
    } catch (RuntimeException e) {
      path = "/(unparsed)";
    }
    return new Object[] {scheme, host, port, path};
  }

  private static int indexOfAny(String s, int from, char... chars) {
    for (int i = from; i < s.length(); i++) {
      for (char c : chars) {
        if (s.charAt(i) == c) return i;
      }
    }
    return -1;
  }

  /** After a failed enter that returns null (so no exit will pop): give back the client depth. */
  private static void undoDepth(ThreadState ts) {
    if (ts != null && ts.clientDepth > 0) {
      ts.clientDepth--;
    }
  }

  /**
   * Ends an HTTP call: {@code status} the response status (-1 if none), {@code bytesIn} the
   * response body's length and {@code bytesOut} the request body's (-1 when unknown).
   */
  public static void exitHttp(
      ThreadState ts, Throwable thrown, int status, long bytesIn, long bytesOut) {
    try {
      Node node = pop(ts, thrown);
      if (node == null) {
        return;
      }
      ts.lastHttpOp = node.opId();
      ts.lastHttpFailed = thrown != null || status >= 500 || status == 429 || status == 408;
      if (status >= 100 && status < 600) {
        node.add(Counter.STATUS_1XX + status / 100 - 1, 1);
      }
      if (bytesIn > 0) node.add(Counter.BYTES_IN, bytesIn);
      if (bytesOut > 0) node.add(Counter.BYTES_OUT, bytesOut);
    } catch (Throwable t) {
      Core.internalError("HTTP client call", t);
    }
  }

  /**
   * Ends the synchronous part of {@code sendAsync}: the frame is popped now, and the call is timed
   * to the completion of {@code future} (a {@code CompletableFuture}), or recorded at once if
   * sendAsync itself threw.
   */
  public static void exitHttpAsync(ThreadState ts, Throwable thrown, Object future, long bytesOut) {
    try {
      if (ts == null
          || ts == NESTED
          || thrown != null
          || !(future instanceof java.util.concurrent.CompletableFuture)) {
        exitHttp(ts, thrown, -1, -1, bytesOut);
        return;
      }
      ts.clientDepth--;
      int d = ts.depth - 1;
      if (d < 0) {
        return;
      }
      Node node = ts.stack[d];
      long start = ts.starts[d];
      ts.depth = d;
      asyncStarted(node);
      ((java.util.concurrent.CompletableFuture<?>) future)
          .whenComplete(new AsyncHttpCompletion(node, start, bytesOut));
    } catch (Throwable t) {
      Core.internalError("HTTP async call", t);
    }
  }

  /**
   * Starts an asynchronous HTTP call completed through a callback (OkHttp {@code enqueue}, Apache
   * HttpClient 5's async exec): returns the callback to hand to the client instead of {@code
   * callback} — a proxy implementing {@code callbackType} that records the call when the client
   * reports its end (see {@link AsyncHttpCallback}) — or {@code callback} itself if anything goes
   * wrong.
   */
  public static Object wrapHttpCallback(
      Class<?> callbackType,
      Object callback,
      String method,
      String scheme,
      String host,
      int port,
      String path) {
    try {
      if (callback == null || callbackType == null) {
        return callback;
      }
      ThreadState ts = ThreadState.CURRENT.get();
      Node node = ts.current().child(ts.httpOp(method, scheme, host, port, path));
      asyncStarted(node);
      return new AsyncHttpCallback(node, System.nanoTime(), callback).proxy(callbackType);
    } catch (Throwable t) {
      Core.internalError("asynchronous HTTP call", t);
      return callback;
    }
  }

  /** An asynchronous call starts: a retry if the last one to its endpoint that completed failed. */
  static void asyncStarted(Node node) {
    if (node.lastAsyncFailed) {
      node.add(Counter.RETRIES, 1);
    }
  }

  /** An asynchronous call completed: remember whether it failed, for {@link #asyncStarted}. */
  static void asyncEnded(Node node, Throwable failure, int status) {
    node.lastAsyncFailed = failure != null || status >= 500 || status == 429 || status == 408;
  }

  /** True the first time it is asked about this object (a connection answers once). */
  public static boolean firstTime(Object connection) {
    try {
      return RECORDED.putIfAbsent(connection, Boolean.TRUE) == null;
    } catch (Throwable t) {
      return false;
    }
  }

  /** Remembers the statement name of a prepared statement (from its SQL, literals never kept). */
  public static void prepared(Object statement, String sql) {
    try {
      if (statement != null && sql != null) {
        PREPARED.put(statement, Sql.name(sql));
      }
    } catch (Throwable t) {
      Core.internalError("JDBC prepare", t);
    }
  }

  /** Starts a JDBC execution of {@code sql}, or of the prepared statement when sql is null. */
  public static ThreadState enterJdbc(Object statement, String sql) {
    try {
      String name = sql != null ? Sql.name(sql) : PREPARED.get(statement);
      return enterJdbcNamed(name == null ? "STATEMENT" : name);
    } catch (Throwable t) {
      Core.internalError("JDBC call", t);
      return null;
    }
  }

  /** Starts a JDBC call with a given name (e.g. COMMIT). */
  public static ThreadState enterJdbcNamed(String name) {
    return enterNamed(Kind.JDBC, name);
  }

  /** Starts a client call of a kind with a given name; the state to pass to a matching exit. */
  static ThreadState enterNamed(String kind, String name) {
    ThreadState ts = null;
    try {
      ts = ThreadState.CURRENT.get();
      if (ts.clientDepth++ > 0) {
        return NESTED;
      }
      return pushed(ts, OpRegistry.id(kind, name));
    } catch (Throwable t) {
      Core.internalError(kind + " call", t);
      undoDepth(ts);
      return null;
    }
  }

  /**
   * Ends a JDBC call: {@code rows} affected (-1 unknown), {@code batched} statements in an executed
   * batch (0 when not a batch), {@code sqlState} of a failure or null.
   */
  public static void exitJdbc(
      ThreadState ts, Throwable thrown, long rows, int batched, String sqlState) {
    try {
      Node node = pop(ts, thrown);
      if (node == null) {
        return;
      }
      if (thrown != null && sqlState != null && sqlState.length() >= 2) {
        node.error("SQLState class " + sqlState.substring(0, 2));
      }
      if (rows > 0) node.add(Counter.ROWS, rows);
      if (batched > 0) {
        node.add(Counter.BATCHED_STATEMENTS, batched);
        node.add(Counter.batchSize(batched), 1);
      }
    } catch (Throwable t) {
      Core.internalError("JDBC call", t);
    }
  }

  private static ThreadState pushed(ThreadState ts, int opId) {
    ThreadState pushed = Core.push(opId);
    if (pushed == null) {
      ts.clientDepth--; // too deep: not recorded, and nothing to pop
      return null;
    }
    return pushed;
  }

  /** Pops the client frame and records its duration; the node, or null if nothing to record. */
  static Node pop(ThreadState ts, Throwable thrown) {
    if (ts == null) {
      return null;
    }
    if (ts == NESTED) {
      ThreadState.CURRENT.get().clientDepth--;
      return null;
    }
    ts.clientDepth--;
    int d = ts.depth - 1;
    if (d < 0) {
      return null;
    }
    Node node = ts.stack[d];
    Core.exit(ts, thrown, node.opId());
    return node;
  }
}
