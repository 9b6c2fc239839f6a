package dev.etlprofiler.bench;

/**
 * The start-up benchmark's JVM: prints one line and exits, or first stays idle for the number of
 * milliseconds given as its argument (to measure what an agent costs in a job's first seconds).
 */
public final class Hello {
  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0) {
      Thread.sleep(Long.parseLong(args[0]));
    }
    System.out.println("hello");
  }
}
