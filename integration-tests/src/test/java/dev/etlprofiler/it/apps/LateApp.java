package dev.etlprofiler.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For attaching the agent to a running JVM: calls {@link #work} (args: calls before, calls after),
 * prints "ready", waits until the file {@code go} appears in its working directory, then makes the
 * second batch of calls and exits.
 */
public class LateApp {
  static long acc;

  public static long work(long x) {
    return x * 3 + 1;
  }

  public static void main(String[] args) throws Exception {
    long before = Long.parseLong(args[0]);
    long after = Long.parseLong(args[1]);
    long s = 0;
    for (long i = 0; i < before; i++) {
      s += work(i);
    }
    System.out.println("ready");
    System.out.flush();
    while (!Files.exists(Path.of("go"))) {
      Thread.sleep(20);
    }
    for (long i = 0; i < after; i++) {
      s += work(i);
    }
    acc = s;
    System.out.println("done " + s);
  }
}
