package dev.etlprofiler.flinkapp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.legacy.SinkFunction;
import org.apache.flink.util.CloseableIterator;

/**
 * A bounded Flink job written with lambdas, the way users write one: airports rows parsed ({@code
 * .name("parse")}), filtered (states A to L), counted by state ({@code keyBy} and {@code reduce}),
 * written to a sink of the job's own ({@code addSink}) and collected ({@code executeAndCollect}).
 * Runs in a local MiniCluster with parallelism 2. It counts the calls of its own functions itself
 * (static counters: the MiniCluster runs in this JVM) and prints them, then the counts by state.
 */
public final class AirportsJob {
  static final AtomicLong PARSE = new AtomicLong();
  static final AtomicLong FILTER = new AtomicLong();
  static final AtomicLong PASSED = new AtomicLong();
  static final AtomicLong REDUCE = new AtomicLong();
  static final AtomicLong SINK = new AtomicLong();

  private AirportsJob() {}

  /** The job's own sink: a legacy SinkFunction (not a lambda: its methods are all default). */
  static final class CountingSink implements SinkFunction<Tuple2<String, Long>> {
    private static final long serialVersionUID = 1L;

    @Override
    public void invoke(Tuple2<String, Long> value, Context context) {
      SINK.incrementAndGet();
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    List<String> rows = lines.subList(1, lines.size());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    DataStream<Tuple2<String, Long>> parsed =
        env.fromData(rows)
            .map(
                line -> {
                  PARSE.incrementAndGet();
                  String[] f = line.split(",", -1);
                  return Tuple2.of(f[3], 1L);
                })
            .returns(Types.TUPLE(Types.STRING, Types.LONG))
            .name("parse");
    DataStream<Tuple2<String, Long>> counts =
        parsed
            .filter(
                t -> {
                  FILTER.incrementAndGet();
                  boolean keep = !t.f0.isEmpty() && t.f0.compareTo("M") < 0; // states A to L
                  if (keep) {
                    PASSED.incrementAndGet();
                  }
                  return keep;
                })
            .keyBy(t -> t.f0)
            .reduce(
                (a, b) -> {
                  REDUCE.incrementAndGet();
                  return Tuple2.of(a.f0, a.f1 + b.f1);
                });
    counts.addSink(new CountingSink()).name("count-sink");
    Map<String, Long> byState = new TreeMap<>();
    long collected = 0;
    try (CloseableIterator<Tuple2<String, Long>> it =
        counts.executeAndCollect("airports-by-state")) {
      while (it.hasNext()) {
        Tuple2<String, Long> t = it.next();
        byState.merge(t.f0, t.f1, Math::max);
        collected++;
      }
    }
    System.out.println("COUNT parse=" + PARSE.get());
    System.out.println("COUNT filter=" + FILTER.get());
    System.out.println("COUNT passed=" + PASSED.get());
    System.out.println("COUNT reduce=" + REDUCE.get());
    System.out.println("COUNT sink=" + SINK.get());
    System.out.println("COUNT collected=" + collected);
    byState.forEach((k, v) -> System.out.println("STATE " + k + " " + v));
  }
}
