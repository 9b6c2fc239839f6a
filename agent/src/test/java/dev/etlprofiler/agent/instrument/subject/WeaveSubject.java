package dev.etlprofiler.agent.instrument.subject;

import java.io.IOException;

/**
 * Bytecode shapes the fast weaver must keep valid: loops, wide locals, handlers, switches,
 * monitors.
 */
public class WeaveSubject {
  private int finallies;

  /** long and double locals across a loop: frames with two-slot types. */
  public static long sumLoop(int n) {
    long sum = 0;
    double weight = 1.5;
    for (int i = 0; i < n; i++) {
      sum += (long) (i * weight);
    }
    return sum;
  }

  /** A branch back to the first instruction: a stack-map frame at offset 0. */
  public static int spin(int n) {
    while (n > 0) {
      n--;
    }
    return n;
  }

  /** The method's own handler and finally must still come first. */
  public int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    } finally {
      finallies++;
    }
  }

  public int finallies() {
    return finallies;
  }

  public void fail(String message) throws IOException {
    if (message != null) {
      throw new IOException(message);
    }
  }

  public synchronized String locked(Object o) {
    synchronized (o) {
      return "locked " + o;
    }
  }

  public double pick(int k) {
    switch (k) {
      case 0:
        return 0.5;
      case 1:
        return 1.5;
      case 2:
        return 2.5;
      case 1000:
        return 1000.5;
      default:
        return -1;
    }
  }

  /** Calls another woven method: its node must be a child of this one. */
  public long outer(int n) {
    long a = sumLoop(n);
    long[] wide = {a, a};
    return wide[0] + wide[1] + spin(n);
  }

  /** Returns from inside a try with a wide value on the stack. */
  public long wideInTry(long v) {
    try {
      if (v < 0) {
        throw new IllegalArgumentException("negative");
      }
      return v * 2;
    } catch (IllegalArgumentException e) {
      return -v;
    }
  }
}
