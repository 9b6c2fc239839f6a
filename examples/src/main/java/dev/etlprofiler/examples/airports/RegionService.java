package dev.etlprofiler.examples.airports;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A small local HTTP service the job enriches against, standing in for a real enrichment API:
 * {@code GET /regions/{state}} answers the US census region of a state as JSON. Started by the job
 * itself on 127.0.0.1 on a free port.
 */
public final class RegionService implements AutoCloseable {
  private static final Map<String, String> REGIONS = new HashMap<>();

  static {
    region("Northeast", "CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA");
    region("Midwest", "IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD");
    region(
        "South", "DE", "DC", "FL", "GA", "MD", "NC", "SC", "VA", "WV", "AL", "KY", "MS", "TN", "AR",
        "LA", "OK", "TX");
    region("West", "AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "AK", "CA", "HI", "OR", "WA");
    region("Territories", "PR", "VI", "GU", "AS", "MP", "CQ", "FM", "MH", "PW", "UM");
  }

  private static void region(String name, String... states) {
    for (String s : states) REGIONS.put(s, name);
  }

  private final HttpServer server;

  private RegionService(HttpServer server) {
    this.server = server;
  }

  public static RegionService start() throws IOException {
    // without TCP_NODELAY the JDK server's header and body segments meet delayed ACKs: ~40 ms a
    // call
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/regions/", RegionService::answer);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "region-service");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    return new RegionService(server);
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private static void answer(HttpExchange exchange) throws IOException {
    String state = exchange.getRequestURI().getPath().substring("/regions/".length());
    String region = REGIONS.get(state);
    byte[] body =
        (region == null
                ? "{\"error\":\"unknown state\"}"
                : "{\"state\":\"" + state + "\",\"region\":\"" + region + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(region == null ? 404 : 200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
