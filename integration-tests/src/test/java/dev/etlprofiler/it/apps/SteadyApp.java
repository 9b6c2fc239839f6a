package dev.etlprofiler.it.apps;

import dev.etlprofiler.api.ProfiledOperation;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job that works at a steady pace until told to stop: calls {@link #step} about once a
 * millisecond, prints "ready" after the first 100 calls, and when a file named {@code stop} appears
 * in the working directory prints "steps=N" (every call it made) and returns.
 */
public class SteadyApp {
  @ProfiledOperation("step")
  static void step() throws InterruptedException {
    Thread.sleep(1);
  }

  public static void main(String[] args) throws Exception {
    Path stop = Path.of("stop");
    long steps = 0;
    while (true) {
      step();
      steps++;
      if (steps == 100) {
        System.out.println("ready");
        System.out.flush();
      }
      if (steps % 50 == 0 && Files.exists(stop)) {
        break;
      }
    }
    System.out.println("steps=" + steps);
  }
}
