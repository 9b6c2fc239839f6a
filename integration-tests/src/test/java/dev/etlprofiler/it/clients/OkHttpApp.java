package dev.etlprofiler.it.clients;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * args: base URL, calls, and "post" to POST 5 bodies of 2,048 bytes to /upload as well (OkHttp 4+
 * API). Synchronous GETs with OkHttp, an API key in the query.
 */
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
    if (args.length > 2 && args[2].equals("post")) {
      for (int i = 0; i < 5; i++) {
        okhttp3.RequestBody body =
            okhttp3.RequestBody.create(
                new byte[2048], okhttp3.MediaType.get("application/octet-stream"));
        try (Response r =
            client
                .newCall(new Request.Builder().url(base + "/upload").post(body).build())
                .execute()) {
          System.out.println("upload status " + r.code());
        }
      }
    }
    try (Response r = client.newCall(new Request.Builder().url(base + "/fail").build()).execute()) {
      System.out.println("okhttp bytes=" + bytes + " fail status=" + r.code());
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
