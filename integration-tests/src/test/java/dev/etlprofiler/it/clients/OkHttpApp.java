package dev.etlprofiler.it.clients;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** args: base URL, calls. Synchronous GETs with OkHttp 5, an API key in the query. */
public class OkHttpApp {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int calls = Integer.parseInt(args[1]);
    OkHttpClient client = new OkHttpClient();
    long bytes = 0;
    for (int i = 0; i < calls; i++) {
      try (Response r =
          client
              .newCall(new Request.Builder().url(base + "/items/" + i + "?key=SECRET" + i).build())
              .execute()) {
        bytes += r.body().bytes().length;
      }
    }
    try (Response r = client.newCall(new Request.Builder().url(base + "/fail").build()).execute()) {
      System.out.println("okhttp bytes=" + bytes + " fail status=" + r.code());
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
