package dev.etlprofiler.core.http;

import dev.etlprofiler.core.ClientCalls;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.ThreadState;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.concurrent.CompletableFuture;

/**
 * What HTTP client instrumentation calls: the code woven into the JDK's clients ({@link #enter} and
 * {@link #exit} by kind) and the advice of the libraries ({@link #enterHttp}, {@link #exitHttp},
 * {@link #wrapHttpCallback}). A call becomes a child node of the operation running on the thread,
 * named by {@link Endpoints}. The advice extracts everything it needs from the client's own types
 * (which the bootstrap class loader cannot see) and passes JDK types and primitives only. Never
 * throws.
 */
public final class HttpCalls {
  /** {@code HttpClient.send(request, handler)}. */
  public static final int SEND = 1;

  /** {@code HttpClient.sendAsync(request, handler...)}. */
  public static final int SEND_ASYNC = 2;

  /**
   * {@code HttpURLConnection.getInputStream()}: {@code self} is the connection, {@code arg0} is
   * {@code Boolean.TRUE} when the connection has no response yet (the woven code reads the
   * connection's own fields), and the "return value" passed to exit is the response code.
   */
  public static final int URL_CONNECTION = 3;

  /** Per node: whether the last asynchronous call that completed failed (retry detection). */
  private static final int ASYNC_SLOT = Node.newSlot();

  private HttpCalls() {}

  /** Woven code's entry: the state to pass to {@link #exit}, or null when not recorded. */
  public static ThreadState enter(int kind, Object self, Object arg0) {
    try {
      switch (kind) {
        case SEND:
        case SEND_ASYNC:
          {
            URI uri = HttpApi.uri(arg0);
            if (uri == null) {
              return null; // no request, or java.net.http not readable: the call is not recorded
            }
            return enterHttp(
                arg0,
                HttpApi.method(arg0),
                uri.getScheme(),
                uri.getHost(),
                uri.getPort(),
                uri.getRawPath());
          }
        case URL_CONNECTION:
          {
            if (arg0 != Boolean.TRUE) {
              return null; // the connection already has its response: called again
            }
            HttpURLConnection connection = (HttpURLConnection) self;
            URL url = connection.getURL();
            return enterHttp(
                null, // a new connection per request: no request object to recognise a retry by
                connection.getRequestMethod(),
                url.getProtocol(),
                url.getHost(),
                url.getPort(),
                url.getPath());
          }
        default:
          return null;
      }
    } catch (Throwable t) {
      Core.internalError("HTTP client call", t);
      return null;
    }
  }

  /**
   * Woven code's exit.
   *
   * @param returned the call's return value (for {@link #URL_CONNECTION} the response code), or
   *     null
   * @param arg0 what {@link #enter} was given as its first argument (the request, the connection)
   */
  public static void exit(
      Object returned, int kind, Object arg0, ThreadState ts, Throwable thrown) {
    if (ts == null) {
      return;
    }
    try {
      switch (kind) {
        case SEND:
          exitHttp(
              ts,
              thrown,
              HttpApi.status(returned),
              HttpApi.contentLength(returned),
              safeBodyLength(arg0));
          return;
        case SEND_ASYNC:
          exitHttpAsync(ts, thrown, arg0, returned, safeBodyLength(arg0));
          return;
        case URL_CONNECTION:
          {
            int status = returned instanceof Integer ? (Integer) returned : -1;
            HttpURLConnection connection = (HttpURLConnection) arg0;
            if (thrown != null && status >= 400) {
              // getInputStream throws for an error status, and getResponseCode, which calls it,
              // swallows that: the outcome is the status class, as for the other clients
              thrown = null;
            }
            long in = thrown == null ? connection.getHeaderFieldLong("content-length", -1) : -1;
            exitHttp(ts, thrown, status, in, -1);
            return;
          }
        default:
          return;
      }
    } catch (Throwable t) {
      Core.internalError("HTTP client call", t);
    }
  }

  /**
   * Whether an {@code HttpURLConnection} has no response yet, from its own {@code inputStream} and
   * {@code rememberedException} fields (read by the woven code): {@code getInputStream} is called
   * again by {@code getResponseCode}, {@code getHeaderField} and the application, and only the
   * first call sends the request. Reading the connection's own state needs no map of connections.
   */
  public static Boolean noResponseYet(Object inputStream, Object rememberedException) {
    return inputStream == null && rememberedException == null ? Boolean.TRUE : Boolean.FALSE;
  }

  private static long safeBodyLength(Object request) {
    try {
      return HttpApi.requestBodyLength(request);
    } catch (Throwable t) {
      return -1;
    }
  }

  /**
   * Starts an HTTP call of {@code request} (the client's request object, or null); the state to
   * pass to {@link #exitHttp}. A retry is the same request object sent again after it failed on
   * this thread (a client's own retry, or an application's retry loop that resends its request);
   * independent requests to a failing endpoint are not retries.
   */
  public static ThreadState enterHttp(
      Object request, String method, String scheme, String host, int port, String path) {
    ThreadState ts = null;
    try {
      ts = ThreadState.ofCurrentThread();
      if (!ClientCalls.outermost(ts)) {
        return ClientCalls.NESTED;
      }
      HttpThread http = HttpThread.of(ts);
      int op = http.op(method, scheme, host, port, path);
      ThreadState pushed = ClientCalls.push(ts, op);
      if (pushed != null) {
        http.current = request;
        if (request != null && http.lastFailed != null && http.lastFailed.get() == request) {
          pushed.currentNode().add(Counter.RETRIES, 1);
        }
      }
      return pushed;
    } catch (Throwable t) {
      Core.internalError("HTTP client call", t);
      ClientCalls.undoDepth(ts);
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
      Object request, String method, String scheme, String host, int port, String uri) {
    Object[] parts = uriParts(scheme, host, port, uri);
    return enterHttp(
        request, method, (String) parts[0], (String) parts[1], (int) parts[2], (String) parts[3]);
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

  /**
   * Ends an HTTP call: {@code status} the response status (-1 if none), {@code bytesIn} the
   * response body's length and {@code bytesOut} the request body's (-1 when unknown).
   */
  public static void exitHttp(
      ThreadState ts, Throwable thrown, int status, long bytesIn, long bytesOut) {
    try {
      Node node = ClientCalls.pop(ts, thrown);
      if (node == null) {
        return;
      }
      HttpThread http = HttpThread.of(ts);
      Object request = http.current;
      http.current = null;
      http.lastFailed =
          request != null && failed(thrown, status)
              ? new java.lang.ref.WeakReference<>(request)
              : null;
      if (status >= 100 && status < 600) {
        node.add(Counter.STATUS_1XX + status / 100 - 1, 1);
      }
      if (bytesIn > 0) node.add(Counter.BYTES_IN, bytesIn);
      if (bytesOut > 0) node.add(Counter.BYTES_OUT, bytesOut);
    } catch (Throwable t) {
      Core.internalError("HTTP client call", t);
    }
  }

  private static boolean failed(Throwable thrown, int status) {
    return thrown != null || status >= 500 || status == 429 || status == 408;
  }

  /**
   * Ends the synchronous part of {@code sendAsync}: the frame is popped now, and the call is timed
   * to the completion of {@code future} (a {@code CompletableFuture}), or recorded at once if
   * sendAsync itself threw.
   */
  static void exitHttpAsync(
      ThreadState ts, Throwable thrown, Object request, Object future, long bytesOut) {
    if (ts == ClientCalls.NESTED
        || thrown != null
        || !(future instanceof CompletableFuture<?> completable)) {
      exitHttp(ts, thrown, -1, -1, bytesOut);
      return;
    }
    long start = ClientCalls.frameStart(ts);
    HttpThread.of(ts).current = null;
    Node node = ClientCalls.popAsync(ts);
    if (node == null) {
      return;
    }
    asyncStarted(node, request);
    completable.whenComplete(new AsyncHttpCompletion(node, request, start, bytesOut));
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
      Object request,
      long bytesOut,
      String method,
      String scheme,
      String host,
      int port,
      String path) {
    try {
      if (callback == null || callbackType == null) {
        return callback;
      }
      ThreadState ts = ThreadState.ofCurrentThread();
      Node node = ts.currentNode().child(HttpThread.of(ts).op(method, scheme, host, port, path));
      asyncStarted(node, request);
      return new AsyncHttpCallback(node, request, bytesOut, System.nanoTime(), callback)
          .proxy(callbackType);
    } catch (Throwable t) {
      Core.internalError("asynchronous HTTP call", t);
      return callback;
    }
  }

  /** An endpoint's last asynchronous call that failed: its request. */
  private static final class AsyncOutcome {
    volatile java.lang.ref.WeakReference<Object> lastFailed;
  }

  /** An asynchronous call starts: a retry if its request is the last one that failed there. */
  static void asyncStarted(Node node, Object request) {
    Object outcome = request == null ? null : node.libraryState(ASYNC_SLOT);
    if (outcome != null) {
      java.lang.ref.WeakReference<Object> failed = ((AsyncOutcome) outcome).lastFailed;
      if (failed != null && failed.get() == request) {
        node.add(Counter.RETRIES, 1);
      }
    }
  }

  /**
   * An asynchronous call completed: remember its request if it failed, for {@link #asyncStarted}.
   */
  static void asyncEnded(Node node, Object request, Throwable failure, int status) {
    if (request == null) {
      return;
    }
    AsyncOutcome outcome = (AsyncOutcome) node.libraryState(ASYNC_SLOT);
    if (outcome == null) {
      outcome = (AsyncOutcome) node.libraryState(ASYNC_SLOT, new AsyncOutcome());
    }
    outcome.lastFailed =
        failed(failure, status) ? new java.lang.ref.WeakReference<>(request) : null;
  }
}
