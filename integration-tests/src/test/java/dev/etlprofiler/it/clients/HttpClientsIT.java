package dev.etlprofiler.it.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP client calls against a real JDK HTTP server on 127.0.0.1 that answers /items/* after 20 ms
 * with exactly 1,000 bytes, /slow after 600 ms, /fail with 500 and anything else with 404.
 */
class HttpClientsIT {
  static final int CALLS = 30;
  static final int BODY = 1000;

  /** /slow answers after this; the clients give up after 100 ms. */
  static final int SLOW_MS = 600;

  static HttpServer server;
  static int closedPort;

  @BeforeAll
  static void startServer() throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          if (path.equals("/slow")) {
            try {
              Thread.sleep(SLOW_MS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int status =
              path.startsWith("/items/") || path.equals("/slow")
                  ? 200
                  : path.equals("/fail") ? 500 : 404;
          byte[] body = new byte[status == 200 ? BODY : 10];
          if (status == 200) {
            try {
              Thread.sleep(20);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // closed again: connections are refused
    }
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  private static String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void recordsEveryCallWithStatusBytesAndLatencyAndNoSecrets(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .main(HttpApp.class, base(), Integer.toString(CALLS), Integer.toString(closedPort))
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    Snapshots s = r.snapshots();
    String items = "GET " + base() + "/items/{n}";
    List<JsonNode> ops = s.operations(items);
    assertFalse(ops.isEmpty(), "endpoint named by its template: " + r.stdout());
    assertEquals("http", ops.get(0).path("kind").asText());
    assertEquals(
        3 * CALLS,
        s.calls(items),
        "HttpClient send, sendAsync and HttpURLConnection calls, each once");
    assertEquals(3 * CALLS, s.counter(items, "status2xx"));
    assertEquals(3L * CALLS * BODY, s.counter(items, "bytesIn"));
    Histogram h = s.histogram(items);
    assertTrue(h.getValueAtPercentile(50) >= 19_800_000, "p50 " + h.getValueAtPercentile(50));
    assertTrue(h.getValueAtPercentile(50) < 200_000_000, "p50 " + h.getValueAtPercentile(50));
    assertEquals(6, s.counter("GET " + base() + "/fail", "status5xx"));
    assertEquals(
        2,
        s.counter("GET " + base() + "/fail", "retries"),
        "one request sent 3 times: 2 retries; 3 independent requests to the failing endpoint: none");
    assertEquals(0, s.counter(items, "retries"));
    assertEquals(2, s.counter("GET " + base() + "/missing/{n}", "status4xx"));
    assertEquals(
        0,
        s.errors("GET " + base() + "/missing/{n}"),
        "a 404 read with getResponseCode throws nothing at the application: a status, not an error");
    assertEquals(
        1, s.errors("GET http://127.0.0.1:" + closedPort + "/x", "java.net.ConnectException"));
    String slow = "GET " + base() + "/slow";
    assertEquals(2, s.calls(slow), "both timed-out calls recorded");
    assertEquals(1, s.errors(slow, "java.net.http.HttpTimeoutException"));
    assertEquals(1, s.errors(slow, "java.net.SocketTimeoutException"));
    Histogram timedOut = s.histogram(slow);
    assertTrue(
        timedOut.getMinValue() >= 99_000_000 && timedOut.getMaxValue() < SLOW_MS * 1_000_000L,
        "timed to the 100 ms timeouts: " + timedOut.getMinValue() + ".." + timedOut.getMaxValue());
    for (Path f : s.files()) {
      String text = Files.readString(f);
      assertFalse(
          text.contains("SECRET")
              || text.contains("api_key")
              || text.contains("password")
              || text.contains("user:"),
          "no query string or user-info in " + f);
    }
  }

  @Test
  void theApplicationSeesTheSameResultsAsWithoutTheAgent(@TempDir Path dir) throws Exception {
    Path with = Files.createDirectory(dir.resolve("with"));
    Path without = Files.createDirectory(dir.resolve("without"));
    String[] args = {base(), "5", Integer.toString(closedPort)};
    ForkedJvm.Result a = new ForkedJvm(with).main(HttpApp.class, args).run();
    ForkedJvm.Result b = new ForkedJvm(without).withoutAgent().main(HttpApp.class, args).run();
    assertEquals(b.stdout(), a.stdout());
    assertTrue(a.stdout().contains("closed port: java.net.ConnectException"), a.stdout());
  }

  /** Apps that also POST 5 bodies of 2,048 bytes when given "post" (OkHttp 4+ API for OkHttp). */
  private static final java.util.Set<Class<?>> POSTING =
      java.util.Set.of(OkHttpApp.class, ApacheAsyncApp.class);

  static Path jarOf(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void apacheHttpClient5CallsAreRecordedOnceWithoutTheirQuery(@TempDir Path dir) throws Exception {
    assertLibraryCallsRecorded(
        dir,
        ApacheApp.class,
        "apache",
        org.apache.hc.client5.http.impl.classic.HttpClients.class,
        org.apache.hc.core5.http.HttpHost.class,
        org.apache.hc.core5.http2.HttpVersionPolicy.class,
        org.slf4j.LoggerFactory.class);
  }

  @Test
  void apacheHttpClient5AsyncCallsAreRecordedOnceWithoutTheirQuery(@TempDir Path dir)
      throws Exception {
    assertLibraryCallsRecorded(
        dir,
        ApacheAsyncApp.class,
        "apache-async",
        org.apache.hc.client5.http.impl.async.HttpAsyncClients.class,
        org.apache.hc.core5.http.HttpHost.class,
        org.apache.hc.core5.http2.HttpVersionPolicy.class,
        org.slf4j.LoggerFactory.class);
  }

  @Test
  void apacheHttpClient4CallsAreRecordedOnceWithoutTheirQuery(@TempDir Path dir) throws Exception {
    assertLibraryCallsRecorded(
        dir,
        Apache4App.class,
        "apache4",
        org.apache.http.impl.client.HttpClients.class,
        org.apache.http.HttpHost.class,
        org.apache.commons.logging.LogFactory.class,
        org.apache.commons.codec.binary.Base64.class);
  }

  @Test
  void okHttpAsynchronousCallsAreTimedToTheirCallback(@TempDir Path dir) throws Exception {
    ForkedJvm jvm = new ForkedJvm(dir);
    for (Class<?> c :
        new Class<?>[] {okhttp3.OkHttpClient.class, okio.Buffer.class, kotlin.Unit.class}) {
      jvm.classPath(jarOf(c));
    }
    ForkedJvm.Result r =
        jvm.main(
                OkHttpAsyncApp.class, base(), Integer.toString(CALLS), Integer.toString(closedPort))
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(
        r.stdout()
            .contains(
                "okhttp-async bytes="
                    + CALLS * BODY
                    + " fail status=500 closed port: java.net.ConnectException"),
        r.stdout());
    Snapshots s = r.snapshots();
    String items = "GET " + base() + "/items/{n}";
    assertEquals(CALLS, s.calls(items), "each call once");
    assertEquals(CALLS, s.counter(items, "status2xx"));
    assertEquals((long) CALLS * BODY, s.counter(items, "bytesIn"));
    assertTrue(
        s.histogram(items).getValueAtPercentile(50) >= 19_800_000,
        "the server answers after 20 ms");
    assertEquals(2, s.counter("GET " + base() + "/fail", "status5xx"));
    assertEquals(
        1,
        s.counter("GET " + base() + "/fail", "retries"),
        "the same Request enqueued again after it failed");
    assertEquals(0, s.counter(items, "retries"));
    assertEquals(
        1, s.errors("GET http://127.0.0.1:" + closedPort + "/x", "java.net.ConnectException"));
    for (Path f : s.files()) {
      assertFalse(Files.readString(f).contains("SECRET"), "no query string in " + f);
    }
  }

  @Test
  void okHttpCallsAreRecordedOnceWithoutTheirQuery(@TempDir Path dir) throws Exception {
    assertLibraryCallsRecorded(
        dir,
        OkHttpApp.class,
        "okhttp",
        okhttp3.OkHttpClient.class,
        okio.Buffer.class,
        kotlin.Unit.class);
  }

  @Test
  void okHttp3CallsAreRecordedOnceWithoutTheirQuery(@TempDir Path dir) throws Exception {
    Path libs = Path.of(System.getProperty("it.client.libs"));
    assertLibraryCallsRecorded(
        dir,
        OkHttpApp.class,
        "okhttp",
        List.of(libs.resolve("okhttp-3.14.9.jar"), libs.resolve("okio-1.17.2.jar")));
  }

  /**
   * Runs an app that makes CALLS GETs of /items/{i}?key=SECRET and one of /fail with a client
   * library (whose jars are found from the given classes) and checks what the agent recorded.
   */
  private static void assertLibraryCallsRecorded(
      Path dir, Class<?> app, String label, Class<?>... libraries) throws Exception {
    List<Path> jars = new java.util.ArrayList<>();
    for (Class<?> c : libraries) {
      jars.add(jarOf(c));
    }
    assertLibraryCallsRecorded(dir, app, label, jars);
  }

  private static void assertLibraryCallsRecorded(
      Path dir, Class<?> app, String label, List<Path> jars) throws Exception {
    ForkedJvm jvm = new ForkedJvm(dir);
    for (Path jar : jars) {
      assertTrue(Files.isRegularFile(jar), "library prepared by the build: " + jar);
      jvm.classPath(jar);
    }
    boolean post =
        POSTING.contains(app) && jars.stream().noneMatch(j -> j.toString().contains("okhttp-3"));
    ForkedJvm.Result r =
        post
            ? jvm.main(app, base(), Integer.toString(CALLS), "post").run()
            : jvm.main(app, base(), Integer.toString(CALLS)).run();
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(
        r.stdout().contains(label + " bytes=" + CALLS * BODY + " fail status=500"), r.stdout());
    Snapshots s = r.snapshots();
    if (post) {
      String upload = "POST " + base() + "/upload";
      assertEquals(5, s.calls(upload));
      assertEquals(5 * 2048, s.counter(upload, "bytesOut"), "the request bodies sent");
    }
    String items = "GET " + base() + "/items/{n}";
    assertEquals(CALLS, s.calls(items), "each call once");
    assertEquals(CALLS, s.counter(items, "status2xx"));
    assertEquals((long) CALLS * BODY, s.counter(items, "bytesIn"));
    assertTrue(s.histogram(items).getValueAtPercentile(50) >= 19_800_000);
    assertEquals(1, s.counter("GET " + base() + "/fail", "status5xx"));
    for (Path f : s.files()) {
      assertFalse(Files.readString(f).contains("SECRET"), "no query string in " + f);
    }
  }

  @Test
  void canBeSwitchedOff(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .agentArgs("clients.http.enabled=false")
            .main(HttpApp.class, base(), "3", Integer.toString(closedPort))
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(0, r.snapshots().calls("GET " + base() + "/items/{n}"));
  }
}
