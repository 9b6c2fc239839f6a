package dev.etlprofiler.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-call cost of an instrumented method. Run once with the agent attached to the forks
 * (-jvmArgsAppend -javaagent:...) and once without, in the same invocation
 * (benchmarks/scripts/jmh.sh); {@link #nanoTime} is the clock-read baseline of that same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CallOverhead {
  private long x;

  @Benchmark
  public long tiny() {
    return Workload.tiny(x++);
  }

  @Benchmark
  public long work() {
    return Workload.work(x++);
  }

  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }
}
