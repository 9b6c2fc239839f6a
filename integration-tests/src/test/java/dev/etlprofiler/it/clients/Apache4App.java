package dev.etlprofiler.it.clients;

import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/** args: base URL, calls. GETs with Apache HttpClient 4.5, an API key in the query. */
public class Apache4App {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int calls = Integer.parseInt(args[1]);
    long bytes = 0;
    try (CloseableHttpClient client = HttpClients.createDefault()) {
      for (int i = 0; i < calls; i++) {
        try (CloseableHttpResponse r =
            client.execute(new HttpGet(base + "/items/" + i + "?api_key=SECRET" + i))) {
          bytes += EntityUtils.toByteArray(r.getEntity()).length;
        }
      }
      try (CloseableHttpResponse r = client.execute(new HttpGet(base + "/fail"))) {
        EntityUtils.consume(r.getEntity());
        System.out.println(
            "apache4 bytes=" + bytes + " fail status=" + r.getStatusLine().getStatusCode());
      }
    }
  }
}
