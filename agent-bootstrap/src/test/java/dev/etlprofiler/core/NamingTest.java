package dev.etlprofiler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Endpoint and SQL names: safe (no secrets, no literals) and of bounded cardinality. */
class NamingTest {
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
  void batchSizesFallInDecades() {
    assertEquals(
        List.of(
            "batchSize1",
            "batchSize2to10",
            "batchSize2to10",
            "batchSize11to100",
            "batchSize11to100",
            "batchSize101to1000",
            "batchSize101to1000",
            "batchSizeOver1000"),
        java.util.stream.IntStream.of(1, 2, 10, 11, 100, 101, 1000, 1001)
            .mapToObj(n -> Counter.name(Counter.batchSize(n)))
            .toList());
  }

  @Test
  void requestUrisYieldTheirPartsWithoutUserInfo() {
    assertEquals(
        List.of("https", "api.x.com", 8443, "/v1/items/7?api_key=SECRET"),
        List.of(
            ClientCalls.uriParts(
                null, null, -1, "https://user:password@api.x.com:8443/v1/items/7?api_key=SECRET")));
    assertEquals(
        List.of("http", "h", -1, "/"), List.of(ClientCalls.uriParts(null, null, -1, "http://h")));
    assertEquals(
        List.of("http", "[::1]", 8080, "/a"),
        List.of(ClientCalls.uriParts(null, null, -1, "http://[::1]:8080/a")));
    assertEquals(
        List.of("https", "t", 443, "/p?u=http://x"),
        List.of(ClientCalls.uriParts("https", "t", 443, "/p?u=http://x")),
        "a path stays a path; the target wins");
    assertEquals(
        List.of("https", "t", 443, "/q"),
        List.of(ClientCalls.uriParts("https", "t", 443, "http://u:p@other/q")),
        "the target wins over the URI's host");
    assertEquals(
        "GET https://api.x.com:8443/v1/items/{n}",
        Endpoints.name(
            "GET",
            "https",
            "api.x.com",
            8443,
            (String)
                ClientCalls.uriParts(
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

  @Test
  void sqlIsNamedByKindAndTableOnly() {
    assertEquals("SELECT orders", Sql.name("select id from orders where customer = 'SECRET'"));
    assertEquals(
        "INSERT public.orders", Sql.name("  /* hint */ INSERT INTO public.orders (id) VALUES (1)"));
    assertEquals(
        "UPDATE accounts",
        Sql.name("-- comment\nUPDATE \"accounts\" SET balance = 100 WHERE id = 7"));
    assertEquals("DELETE orders", Sql.name("DELETE FROM orders WHERE id = 3"));
    assertEquals("DROP airports", Sql.name("DROP TABLE IF EXISTS airports"));
    assertEquals("CREATE orders", Sql.name("CREATE TABLE orders (id INT)"));
    assertEquals("MERGE t", Sql.name("MERGE INTO t USING s ON (1=1)"));
    assertEquals("WITH", Sql.name("WITH x AS (SELECT 1) SELECT * FROM x"));
    assertEquals("OTHER", Sql.name("VACUUM"));
  }
}
