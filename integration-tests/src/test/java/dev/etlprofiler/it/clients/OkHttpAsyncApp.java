package dev.etlprofiler.it.clients;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * args: base URL, calls, closed port. Asynchronous GETs (enqueue) with OkHttp, an API key in the
 * query.
 */
public class OkHttpAsyncApp {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int calls = Integer.parseInt(args[1]);
    OkHttpClient client = new OkHttpClient();
    AtomicLong bytes = new AtomicLong();
    AtomicReference<String> failStatus = new AtomicReference<>();
    AtomicReference<String> closedPort = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(calls + 2);
    for (int i = 0; i < calls; i++) {
      client
          .newCall(new Request.Builder().url(base + "/items/" + i + "?key=SECRET" + i).build())
          .enqueue(
              new Callback() {
                @Override
                public void onResponse(Call call, Response response) throws IOException {
                  try (Response r = response) {
                    bytes.addAndGet(r.body().bytes().length);
                  }
                  done.countDown();
                }

                @Override
                public void onFailure(Call call, IOException e) {
                  done.countDown();
                }
              });
    }
    // one /fail first, on its own; the same Request enqueued again below is a retry
    Request failing = new Request.Builder().url(base + "/fail").build();
    CountDownLatch firstFail = new CountDownLatch(1);
    client
        .newCall(failing)
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) {
                response.close();
                firstFail.countDown();
              }

              @Override
              public void onFailure(Call call, IOException e) {
                firstFail.countDown();
              }
            });
    firstFail.await(60, TimeUnit.SECONDS);
    client
        .newCall(failing)
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) {
                failStatus.set(Integer.toString(response.code()));
                response.close();
                done.countDown();
              }

              @Override
              public void onFailure(Call call, IOException e) {
                done.countDown();
              }
            });
    client
        .newCall(new Request.Builder().url("http://127.0.0.1:" + args[2] + "/x").build())
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) {
                response.close();
                done.countDown();
              }

              @Override
              public void onFailure(Call call, IOException e) {
                closedPort.set(e.getClass().getName());
                done.countDown();
              }
            });
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("calls did not complete");
    }
    System.out.println(
        "okhttp-async bytes="
            + bytes.get()
            + " fail status="
            + failStatus.get()
            + " closed port: "
            + closedPort.get());
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
