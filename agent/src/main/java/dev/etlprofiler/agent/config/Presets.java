package dev.etlprofiler.agent.config;

import java.util.List;
import java.util.Map;

/**
 * Canned targets for well-known frameworks: the user-written classes that implement the framework's
 * processing interfaces. Names are matched, nothing is loaded, so a preset for a framework that is
 * not on the class path costs nothing.
 */
public final class Presets {
  private static Target subtypes(List<String> types, List<String> methods) {
    return new Target(List.of(), List.of(), types, List.of(), methods, List.of());
  }

  static final Map<String, List<Target>> ALL =
      Map.of(
          "spring-batch",
          // the framework's own call sites, woven by instrument.springbatch.SpringBatchLibrary
          List.of(),
          "flink",
          // the operators' own call sites, woven by instrument.flink.FlinkLibrary
          List.of(),
          // no targets: the preset switches on instrument/spark (jobs, stages, tasks)
          "spark",
          List.of(),
          "beam",
          List.of(
              new Target(
                  List.of(),
                  List.of(),
                  List.of("org.apache.beam.sdk.transforms.DoFn"),
                  List.of(),
                  List.of("processElement", "process*"),
                  List.of())),
          // camel: its own library (instrument.camel), by route and node id; no class targets
          "camel",
          List.of(),
          // the framework's own call sites, woven by instrument.kafkastreams.KafkaStreamsLibrary
          "kafka-streams",
          List.of());

  /**
   * With {@code instrument.framework-internals: true}, the methods of the framework's own classes a
   * preset adds besides its call sites: e.g. which built-in reader or writer a step's {@code read}
   * and {@code write} spend their time in ({@code FlatFileItemReader.read}), or Camel's {@code
   * DelegateSyncProcessor} and the user's processors, each under its node.
   */
  static final Map<String, List<Target>> INTERNALS =
      Map.of(
          "flink",
          List.of(
              subtypes(
                  List.of("org.apache.flink.api.common.functions.MapFunction"), List.of("map")),
              subtypes(
                  List.of("org.apache.flink.api.common.functions.FlatMapFunction"),
                  List.of("flatMap")),
              subtypes(
                  List.of("org.apache.flink.api.common.functions.FilterFunction"),
                  List.of("filter")),
              subtypes(
                  List.of("org.apache.flink.api.common.functions.ReduceFunction"),
                  List.of("reduce")),
              subtypes(
                  List.of(
                      "org.apache.flink.streaming.api.functions.ProcessFunction",
                      "org.apache.flink.streaming.api.functions.KeyedProcessFunction"),
                  List.of("processElement")),
              subtypes(
                  List.of(
                      "org.apache.flink.streaming.api.functions.sink.SinkFunction",
                      "org.apache.flink.streaming.api.functions.sink.legacy.SinkFunction",
                      "org.apache.flink.api.connector.sink2.SinkWriter"),
                  List.of("invoke", "write"))),
          "spring-batch",
          List.of(
              subtypes(
                  List.of(
                      "org.springframework.batch.item.ItemReader",
                      "org.springframework.batch.infrastructure.item.ItemReader"),
                  List.of("read")),
              subtypes(
                  List.of(
                      "org.springframework.batch.item.ItemProcessor",
                      "org.springframework.batch.infrastructure.item.ItemProcessor"),
                  List.of("process")),
              subtypes(
                  List.of(
                      "org.springframework.batch.item.ItemWriter",
                      "org.springframework.batch.infrastructure.item.ItemWriter"),
                  List.of("write")),
              subtypes(
                  List.of("org.springframework.batch.core.step.tasklet.Tasklet"),
                  List.of("execute"))),
          "camel",
          List.of(subtypes(List.of("org.apache.camel.Processor"), List.of("process"))),
          "kafka-streams",
          List.of(
              subtypes(
                  List.of(
                      "org.apache.kafka.streams.processor.api.Processor",
                      "org.apache.kafka.streams.processor.api.FixedKeyProcessor"),
                  List.of("process")),
              subtypes(
                  List.of(
                      "org.apache.kafka.streams.kstream.ValueMapper",
                      "org.apache.kafka.streams.kstream.KeyValueMapper",
                      "org.apache.kafka.streams.kstream.Predicate"),
                  List.of("apply", "test"))));

  /** The framework-internal targets of a preset (empty when it has none). */
  public static List<Target> internals(String name) {
    return INTERNALS.getOrDefault(name, List.of());
  }

  private Presets() {}

  public static List<Target> get(String name) {
    return ALL.get(name);
  }

  public static java.util.Set<String> names() {
    return new java.util.TreeSet<>(ALL.keySet());
  }
}
