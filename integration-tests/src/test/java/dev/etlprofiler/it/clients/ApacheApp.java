package dev.etlprofiler.it.clients;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** args: base URL, calls. GETs with Apache HttpClient 5 (classic), an API key in the query. */
public class ApacheApp {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int calls = Integer.parseInt(args[1]);
    long bytes = 0;
    try (CloseableHttpClient client = HttpClients.createDefault()) {
      for (int i = 0; i < calls; i++) {
        bytes +=
            client.execute(
                new HttpGet(base + "/items/" + i + "?token=SECRET" + i),
                response -> EntityUtils.toByteArray(response.getEntity()).length);
      }
      int status = client.execute(new HttpGet(base + "/fail"), response -> response.getCode());
      System.out.println("apache bytes=" + bytes + " fail status=" + status);
    }
  }
}
