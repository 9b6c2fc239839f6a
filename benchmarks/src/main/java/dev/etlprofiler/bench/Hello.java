package dev.etlprofiler.bench;

/** The start-up benchmark's JVM: prints one line and exits. */
public final class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
