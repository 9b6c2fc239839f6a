package dev.etlprofiler.agent.instrument;

import dev.etlprofiler.agent.config.Presets;
import dev.etlprofiler.agent.config.ProfilerConfig;
import dev.etlprofiler.agent.instrument.camel.CamelLibrary;
import dev.etlprofiler.agent.instrument.etl.EtlLibrary;
import dev.etlprofiler.agent.instrument.flink.FlinkLibrary;
import dev.etlprofiler.agent.instrument.http.HttpLibrary;
import dev.etlprofiler.agent.instrument.jdbc.JdbcLibrary;
import dev.etlprofiler.agent.instrument.kafka.KafkaLibrary;
import dev.etlprofiler.agent.instrument.kafkastreams.KafkaStreamsLibrary;
import dev.etlprofiler.agent.instrument.spark.SparkLibrary;
import dev.etlprofiler.agent.instrument.springbatch.SpringBatchLibrary;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.Transformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry of instrumented libraries: one line per library, each a package of its own beside
 * this class (its class names, weave plan and advice) with its recording state in the matching
 * {@code dev.etlprofiler.core} package. Adding a library means adding its package and a line here.
 */
public final class Libraries {
  private Libraries() {}

  /** The libraries a configuration switches on, in the order they see each class. */
  public static List<Library> enabled(ProfilerConfig config, Instrumentation inst) {
    List<Library> libraries = new ArrayList<>();
    add(libraries, EtlLibrary.create(config));
    add(libraries, config.jdbcClients() ? new JdbcLibrary() : null);
    add(libraries, config.httpClients() ? new HttpLibrary(inst) : null);
    add(libraries, config.kafkaClients() ? new KafkaLibrary() : null);
    // frameworks: each switched on by its preset (instrument.presets)
    add(libraries, preset(config, "spark") ? new SparkLibrary() : null);
    add(libraries, preset(config, "spring-batch") ? new SpringBatchLibrary() : null);
    add(
        libraries,
        preset(config, "camel")
            ? new CamelLibrary(config.targets().containsAll(Presets.internals("camel")))
            : null);
    add(libraries, preset(config, "kafka-streams") ? new KafkaStreamsLibrary() : null);
    add(libraries, preset(config, "flink") ? new FlinkLibrary() : null);
    return libraries;
  }

  /** Whether {@code instrument.presets} lists a framework's preset. */
  static boolean preset(ProfilerConfig config, String name) {
    return config.presets().contains(name);
  }

  /**
   * Registers one transformer for the enabled libraries, then lets each retransform what it needs
   * of the classes already loaded.
   *
   * @param attached true when the agent was attached to a running JVM
   */
  public static void install(Instrumentation inst, ProfilerConfig config, boolean attached) {
    List<Library> libraries = enabled(config, inst);
    if (libraries.isEmpty()) {
      return;
    }
    inst.addTransformer(new Transformer(libraries), true);
    for (Library library : libraries) {
      library.installed(inst, attached);
    }
  }

  private static void add(List<Library> libraries, Library library) {
    if (library != null) {
      libraries.add(library);
    }
  }

  /**
   * Loads the weaving path's classes ahead of the first class woven (see {@link
   * EtlLibrary#warmUp}).
   */
  public static void warmUp() {
    EtlLibrary.warmUp();
  }
}
