package dev.etlprofiler.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.core.Kind;
import dev.etlprofiler.core.OpRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTP endpoint names: templates, the parts of request URIs, the per-thread table of targets. */
class HttpNamingTest {
  @Test
  void theThreadsHttpTargetCacheGivesTheSameOpAsNamingTheEndpoint() {
    HttpThread ts = new HttpThread();
    int users = ts.op("GET", "http", "api.test", 8080, "/users/17");
    assertEquals(OpRegistry.id(Kind.HTTP, "GET http://api.test:8080/users/{n}"), users);
    assertEquals(users, ts.op("GET", "http", "api.test", 8080, "/users/17"), "a repeated target");
    assertEquals(users, ts.op("GET", "http", "api.test", 8080, "/users/18"), "the same template");
    int post = ts.op("POST", "http", "api.test", 8080, "/users/17");
    assertTrue(users != post);
    assertEquals(
        OpRegistry.id(Kind.HTTP, "POST http://api.test:8080/users/{n}"),
        post,
        "the method is part of the key");
    assertEquals(
        OpRegistry.id(Kind.HTTP, "GET http://api.test:9090/users/{n}"),
        ts.op("GET", "http", "api.test", 9090, "/users/17"),
        "so is the port");
    for (int i = 0; i < 200; i++) { // far more targets than entries: evictions
      ts.op("GET", "http", "h" + i + ".test", 80, "/a");
    }
    assertEquals(
        users, ts.op("GET", "http", "api.test", 8080, "/users/17"), "still right after evictions");
    assertEquals(
        OpRegistry.id(Kind.HTTP, "GET http://h7.test:80/a"),
        ts.op("GET", "http", "h7.test", 80, "/a"));
  }

  @Test
  void theThreadsHttpTargetTableKeepsEveryTargetUpToItsSize() {
    HttpThread ts = new HttpThread();
    // 67 paths under one host, like the example job's region service: all kept after the first
    // round
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 67; i++) {
        ts.op("GET", "http", "127.0.0.1", 8089, "/regions/S" + i);
      }
    }
    assertEquals(67, ts.misses, "each target is named once");
    for (int i = 0; i < HttpThread.MAX - 67; i++) {
      ts.op("GET", "http", "127.0.0.1", 8089, "/other/x" + i);
    }
    assertEquals(HttpThread.MAX, ts.misses);
    ts.op("GET", "http", "127.0.0.1", 8089, "/regions/S0");
    assertEquals(HttpThread.MAX, ts.misses, "a full table still finds its targets");
    ts.op("GET", "http", "127.0.0.1", 8089, "/one/more");
    assertEquals(HttpThread.MAX + 1, ts.misses);
    assertEquals(
        OpRegistry.id(Kind.HTTP, "GET http://127.0.0.1:8089/regions/S5"),
        ts.op("GET", "http", "127.0.0.1", 8089, "/regions/S5"),
        "right after the table was emptied");
    assertEquals(HttpThread.MAX + 2, ts.misses, "an emptied table fills again");
  }

  @Test
  void aContentLengthHeaderIsReadAsANonNegativeNumberOrMinusOne() {
    assertEquals(0, HttpApi.parseLength("0"));
    assertEquals(1234567890123L, HttpApi.parseLength("1234567890123"));
    assertEquals(-1, HttpApi.parseLength(""));
    assertEquals(-1, HttpApi.parseLength("-5"));
    assertEquals(-1, HttpApi.parseLength("12a"));
    assertEquals(-1, HttpApi.parseLength(" 12"));
    assertEquals(-1, HttpApi.parseLength("9999999999999999999"), "longer than a long holds");
  }

  @Test
  void endpointsDropQueryFragmentAndTemplateIds() {
    Endpoints.configure(100, List.of());
    assertEquals(
        "GET https://api.example.com:443/v1/items/{n}",
        Endpoints.name("GET", "HTTPS", "API.example.com", -1, "/v1/items/42?api_key=SECRET#frag"));
    assertEquals(
        "POST http://h:8080/orders/{uuid}/lines/{hex}",
        Endpoints.name(
            "POST",
            "http",
            "h",
            8080,
            "/orders/123e4567-e89b-12d3-a456-426614174000/lines/0123456789abcdef0123"));
    assertEquals("GET http://h:80/", Endpoints.name("GET", "http", "h", -1, ""));
    assertEquals(
        "GET http://h:80/a",
        Endpoints.name("GET", "http", "h", -1, "/a;jsessionid=XYZ"),
        "path parameters dropped");
  }

  @Test
  void requestUrisYieldTheirPartsWithoutUserInfo() {
    assertEquals(
        List.of("https", "api.x.com", 8443, "/v1/items/7?api_key=SECRET"),
        List.of(
            HttpCalls.uriParts(
                null, null, -1, "https://user:password@api.x.com:8443/v1/items/7?api_key=SECRET")));
    assertEquals(
        List.of("http", "h", -1, "/"), List.of(HttpCalls.uriParts(null, null, -1, "http://h")));
    assertEquals(
        List.of("http", "[::1]", 8080, "/a"),
        List.of(HttpCalls.uriParts(null, null, -1, "http://[::1]:8080/a")));
    assertEquals(
        List.of("https", "t", 443, "/p?u=http://x"),
        List.of(HttpCalls.uriParts("https", "t", 443, "/p?u=http://x")),
        "a path stays a path; the target wins");
    assertEquals(
        List.of("https", "t", 443, "/q"),
        List.of(HttpCalls.uriParts("https", "t", 443, "http://u:p@other/q")),
        "the target wins over the URI's host");
    assertEquals(
        "GET https://api.x.com:8443/v1/items/{n}",
        Endpoints.name(
            "GET",
            "https",
            "api.x.com",
            8443,
            (String)
                HttpCalls.uriParts(
                    null,
                    null,
                    -1,
                    "https://user:password@api.x.com:8443/v1/items/7?api_key=SECRET")[3]));
  }

  @Test
  void configuredTemplatesNameFamiliesOfPaths() {
    Endpoints.configure(100, List.of("/regions/{state}", "/v1/customers/{id}/orders"));
    assertEquals(
        "GET http://r:80/regions/{state}", Endpoints.name("GET", "http", "r", 80, "/regions/CA"));
    assertEquals(
        "GET http://r:80/v1/customers/{id}/orders",
        Endpoints.name("GET", "http", "r", 80, "/v1/customers/abc/orders"));
    assertEquals(
        "GET http://r:80/regions/CA/x", Endpoints.name("GET", "http", "r", 80, "/regions/CA/x"));
    Endpoints.configure(100, List.of());
  }

  @Test
  void endpointsPerHostAreCapped() {
    Endpoints.configure(3, List.of());
    for (String p : List.of("/a", "/b", "/c")) {
      assertEquals("GET http://capped:80" + p, Endpoints.name("GET", "http", "capped", 80, p));
    }
    assertEquals("GET http://capped:80/(other)", Endpoints.name("GET", "http", "capped", 80, "/d"));
    assertEquals(
        "GET http://capped:80/a",
        Endpoints.name("GET", "http", "capped", 80, "/a"),
        "known names stay");
    Endpoints.configure(100, List.of());
  }
}
