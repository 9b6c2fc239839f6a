package dev.etlprofiler.it.clients;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * args: base URL (http://127.0.0.1:PORT), calls, closed port. Makes {@code calls} GETs with the JDK
 * HttpClient and as many with HttpURLConnection (with user-info and an API key in the query), 3
 * independent calls answered 500 and one request sent 3 times in a retry loop, 2 answered 404 (only
 * their status read), two that time out after 100 ms (HttpClient's request timeout,
 * HttpURLConnection's read timeout) and one to a closed port; prints what it got.
 */
public class HttpApp {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int calls = Integer.parseInt(args[1]);
    int closedPort = Integer.parseInt(args[2]);
    HttpClient client = HttpClient.newHttpClient();
    long bytes = 0;
    int ok = 0;
    for (int i = 0; i < calls; i++) {
      HttpResponse<byte[]> r =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/items/" + i + "?api_key=SECRET" + i))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      bytes += r.body().length;
      if (r.statusCode() == 200) ok++;
    }
    System.out.println("httpclient ok=" + ok + " bytes=" + bytes);
    long asyncBytes = 0;
    for (int i = 0; i < calls; i++) {
      asyncBytes +=
          client
              .sendAsync(
                  HttpRequest.newBuilder(URI.create(base + "/items/" + i)).build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .join()
              .body()
              .length;
    }
    System.out.println("sendAsync bytes=" + asyncBytes);
    for (int i = 0; i < 3; i++) {
      System.out.println(
          "fail status "
              + client
                  .send(
                      HttpRequest.newBuilder(URI.create(base + "/fail")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode());
    }
    // a retry loop: the same request sent again while it fails (3 sends, 2 retries)
    HttpRequest retried = HttpRequest.newBuilder(URI.create(base + "/fail")).build();
    for (int attempt = 1; attempt <= 3; attempt++) {
      int status = client.send(retried, HttpResponse.BodyHandlers.ofString()).statusCode();
      System.out.println("retry attempt " + attempt + " status " + status);
      if (status < 500) break;
    }
    String withUser = base.replace("http://", "http://user:password@");
    long urlBytes = 0;
    for (int i = 0; i < calls; i++) {
      HttpURLConnection c =
          (HttpURLConnection)
              new URL(withUser + "/items/" + i + "?api_key=SECRET" + i).openConnection();
      int status = c.getResponseCode();
      try (InputStream in = c.getInputStream()) {
        urlBytes += in.readAllBytes().length;
      }
      if (status != 200) throw new IllegalStateException("status " + status);
    }
    System.out.println("urlconnection bytes=" + urlBytes);
    for (int i = 0; i < 2; i++) {
      HttpURLConnection c = (HttpURLConnection) new URL(base + "/missing/" + i).openConnection();
      System.out.println("missing status " + c.getResponseCode());
    }
    try {
      client.send(
          HttpRequest.newBuilder(URI.create(base + "/slow"))
              .timeout(java.time.Duration.ofMillis(100))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      System.out.println("timeout: " + e.getClass().getName());
    }
    HttpURLConnection slow = (HttpURLConnection) new URL(base + "/slow").openConnection();
    slow.setReadTimeout(100);
    try (InputStream in = slow.getInputStream()) {
      System.out.println("read " + in.readAllBytes().length);
    } catch (IOException e) {
      System.out.println("read timeout: " + e.getClass().getName());
    }
    try {
      client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/x")).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      System.out.println("closed port: " + e.getClass().getName());
    }
  }
}
