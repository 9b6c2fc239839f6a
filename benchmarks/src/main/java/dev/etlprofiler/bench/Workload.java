package dev.etlprofiler.bench;

/** Methods the benchmarks' agent configuration instruments (instrument.classes=...Workload). */
public final class Workload {
  private Workload() {}

  /** Almost nothing: the per-call cost of the agent shows undiluted. */
  public static long tiny(long x) {
    return x * 31 + 7;
  }

  /** About 100 ns of work on this machine: a hot per-record method. */
  public static long work(long x) {
    long h = x;
    for (int i = 0; i < 85; i++) {
      h = h * 6364136223846793005L + 1442695040888963407L;
      h ^= h >>> 29;
    }
    return h;
  }
}
