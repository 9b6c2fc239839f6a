package dev.etlprofiler.it.clients;

import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;

/**
 * args: base URL, calls, and "post" to POST 5 bodies of 2,048 bytes to /upload as well. GETs with
 * Apache HttpClient 5's async client, an API key in the query.
 */
public class ApacheAsyncApp {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int calls = Integer.parseInt(args[1]);
    long bytes = 0;
    try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
      client.start();
      for (int i = 0; i < calls; i++) {
        SimpleHttpResponse r =
            client
                .execute(
                    SimpleRequestBuilder.get(base + "/items/" + i + "?token=SECRET" + i).build(),
                    null)
                .get();
        bytes += r.getBodyBytes().length;
      }
      if (args.length > 2 && args[2].equals("post")) {
        for (int i = 0; i < 5; i++) {
          SimpleHttpResponse r =
              client
                  .execute(
                      SimpleRequestBuilder.post(base + "/upload")
                          .setBody(
                              new byte[2048],
                              org.apache.hc.core5.http.ContentType.APPLICATION_OCTET_STREAM)
                          .build(),
                      null)
                  .get();
          System.out.println("upload status " + r.getCode());
        }
      }
      SimpleHttpResponse fail =
          client.execute(SimpleRequestBuilder.get(base + "/fail").build(), null).get();
      System.out.println("apache-async bytes=" + bytes + " fail status=" + fail.getCode());
    }
  }
}
