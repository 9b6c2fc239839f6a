package dev.etlprofiler.bench;

import com.sun.net.httpserver.HttpServer;
import dev.etlprofiler.api.Operation;
import dev.etlprofiler.api.Profiler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;

/**
 * Creates OPERATIONS distinct profiled operations (through the API) and ENDPOINTS distinct HTTP
 * endpoints (calls to a local JDK HTTP server), each used a few times with varied latencies, then
 * prints "ready" and sleeps so that a heap histogram can be taken after a full GC. args:
 * operations, endpoints, sleep-ms.
 */
public final class MemoryWorkload {
  public static void main(String[] args) throws Exception {
    int operations = Integer.parseInt(args[0]);
    int endpoints = Integer.parseInt(args[1]);
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < operations; i++) {
        try (Operation op = Profiler.operation("operation-" + i)) {
          op.records(1);
          for (int k = 0; k < 200 * (1 + i % 9); k++) sink += Workload.tiny(k);
        }
      }
      for (int i = 0; i < endpoints; i++) {
        HttpURLConnection c =
            (HttpURLConnection)
                new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/endpoint-" + i)
                    .openConnection();
        try (InputStream in = c.getInputStream()) {
          sink += in.readAllBytes().length;
        }
      }
    }
    server.stop(0);
    System.out.println("ready " + (sink & 1));
    System.out.flush();
    Thread.sleep(Long.parseLong(args[2]));
  }
}
