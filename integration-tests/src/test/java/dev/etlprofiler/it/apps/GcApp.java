package dev.etlprofiler.it.apps;

/**
 * args: waitMillis collections. Waits (so that the agent has set up its GC beans), then calls
 * System.gc() {@code collections} times: with G1 each is one full collection, counted by the "G1
 * Old Generation" collector and by nothing else in a job this small.
 */
public class GcApp {
  public static void main(String[] args) throws Exception {
    Thread.sleep(Long.parseLong(args[0]));
    int n = Integer.parseInt(args[1]);
    for (int i = 0; i < n; i++) {
      System.gc();
    }
    System.out.println("collected " + n);
  }
}
