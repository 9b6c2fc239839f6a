package dev.etlprofiler.it.apps;

import dev.etlprofiler.api.ProfiledOperation;

/**
 * args: mode calls. Calls {@link #tick} {@code calls} times, then: "normal" returns from main,
 * "exit" calls System.exit(3), "wait" prints "ready" and keeps ticking until killed, "exit-inside"
 * calls System.exit(3) from inside the profiled method {@code runJob} after 200 ms in it.
 */
public class ExitApp {
  @ProfiledOperation("tick")
  static void tick() throws InterruptedException {
    Thread.sleep(1);
  }

  @ProfiledOperation("runJob")
  static void runJob() throws InterruptedException {
    Thread.sleep(200);
    System.exit(3);
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int calls = Integer.parseInt(args[1]);
    for (int i = 0; i < calls; i++) {
      tick();
    }
    System.out.println("ticked " + calls);
    System.out.flush();
    switch (mode) {
      case "exit" -> System.exit(3);
      case "exit-inside" -> runJob();
      case "wait" -> {
        System.out.println("ready");
        System.out.flush();
        while (true) {
          Thread.sleep(50);
        }
      }
      default -> {}
    }
  }
}
