package dev.etlprofiler.frameworks.kafkastreams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * A Kafka Streams application written the way users write one: airports (CSV lines keyed by IATA
 * code) are parsed ({@code mapValues}, named {@code parse}), filtered to the USA ({@code filter}, a
 * lambda with the DSL's default name), mapped to their state by a {@code FixedKeyProcessor} ({@code
 * processValues}, named {@code state-of}), grouped by the state's first letter ({@code groupBy})
 * and counted; the counts go to an output topic. It produces its own input, waits until the output
 * holds the counts it computed from the input itself, and prints: the topology's node names ({@code
 * NODE}), the framework's {@code process-total} metrics ({@code METRIC}), how often its own code
 * was called ({@code CALLS}) and the final counts ({@code COUNTS}).
 *
 * <p>Arguments: bootstrap servers, a tag for the topics and application id, the CSV file.
 */
public final class AirportsStreams {
  static final AtomicLong PARSE = new AtomicLong();
  static final AtomicLong FILTER = new AtomicLong();
  static final AtomicLong STATE_OF = new AtomicLong();
  static final AtomicLong GROUP_BY = new AtomicLong();
  static final AtomicLong PUNCTUATIONS = new AtomicLong();

  /** The FixedKeyProcessor: the airport's state as the value. */
  static final class StateOf implements FixedKeyProcessor<String, String[], String> {
    private FixedKeyProcessorContext<String, String> context;

    @Override
    public void init(FixedKeyProcessorContext<String, String> context) {
      this.context = context;
      // a wall-clock punctuation, counted (its number depends on timing: printed apart)
      context.schedule(
          Duration.ofMillis(100),
          PunctuationType.WALL_CLOCK_TIME,
          t -> PUNCTUATIONS.incrementAndGet());
    }

    @Override
    public void process(FixedKeyRecord<String, String[]> record) {
      STATE_OF.incrementAndGet();
      context.forward(record.withValue(record.value()[3]));
    }
  }

  static boolean inUsa(String[] a) {
    return a.length >= 5 && a[4].equals("USA") && !a[3].isEmpty();
  }

  static String region(String state) {
    return state.substring(0, 1);
  }

  /** Records the framework's source node of the input processed, summed over tasks. */
  static long processedAt(KafkaStreams streams, String sourceNode) {
    long n = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      MetricName m = e.getKey();
      if (m.name().equals("process-total")
          && sourceNode.equals(m.tags().get("processor-node-id"))) {
        n += ((Number) e.getValue().metricValue()).longValue();
      }
    }
    return n;
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String tag = args[1];
    List<String> lines = Files.readAllLines(Path.of(args[2]));
    lines = lines.subList(1, lines.size());
    String input = "airports-" + tag;
    String output = "region-counts-" + tag;

    // the counts the topology must produce, computed from the input itself
    Map<String, Long> expected = new TreeMap<>();
    for (String line : lines) {
      String[] a = line.split(",", -1);
      if (inUsa(a)) {
        expected.merge(region(a[3]), 1L, Long::sum);
      }
    }

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(new NewTopic(input, 2, (short) 1), new NewTopic(output, 1, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
      for (String line : lines) {
        producer.send(new ProducerRecord<>(input, line.substring(0, line.indexOf(',')), line));
      }
    }

    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(
            v -> {
              PARSE.incrementAndGet();
              return v.split(",", -1);
            },
            Named.as("parse"))
        .filter(
            (k, a) -> {
              FILTER.incrementAndGet();
              return inUsa(a);
            })
        .processValues(StateOf::new, Named.as("state-of"))
        .groupBy(
            (k, state) -> {
              GROUP_BY.incrementAndGet();
              return region(state);
            },
            Grouped.with(Serdes.String(), Serdes.String()))
        .count()
        .toStream()
        .mapValues(c -> Long.toString(c))
        .to(output, Produced.with(Serdes.String(), Serdes.String()));
    Topology topology = builder.build();
    String inputSource = null;
    for (TopologyDescription.Subtopology st : topology.describe().subtopologies()) {
      for (TopologyDescription.Node n : st.nodes()) {
        System.out.println("NODE " + st.id() + " " + n.name());
        if (n instanceof TopologyDescription.Source src && src.topicSet().contains(input)) {
          inputSource = n.name();
        }
      }
    }

    Properties sp = new Properties();
    sp.put(StreamsConfig.APPLICATION_ID_CONFIG, "airports-" + tag);
    sp.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    sp.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("kstreams").toString());
    sp.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    sp.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "DEBUG");
    sp.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    Map<String, Long> counts = new TreeMap<>();
    KafkaStreams streams = new KafkaStreams(topology, sp);
    try {
      streams.start();
      Properties cp = new Properties();
      cp.put("bootstrap.servers", bootstrap);
      cp.put("group.id", "check-" + tag);
      cp.put("auto.offset.reset", "earliest");
      cp.put("key.deserializer", StringDeserializer.class.getName());
      cp.put("value.deserializer", StringDeserializer.class.getName());
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
        consumer.subscribe(List.of(output));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while ((!counts.equals(expected) || processedAt(streams, inputSource) < lines.size())
            && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            counts.put(r.key(), Long.parseLong(r.value()));
          }
        }
      }
      // the framework's own counts of records processed, per task and per source node
      for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
        MetricName m = e.getKey();
        if (m.name().equals("process-total")) {
          Map<String, String> tags = m.tags();
          String node = tags.get("processor-node-id");
          System.out.println(
              "METRIC "
                  + m.group()
                  + " task="
                  + tags.get("task-id")
                  + (node == null ? "" : " node=" + node)
                  + " process-total="
                  + ((Number) e.getValue().metricValue()).longValue());
        }
      }
    } finally {
      streams.close(Duration.ofSeconds(30));
    }
    System.out.println(
        "CALLS parse="
            + PARSE.get()
            + " filter="
            + FILTER.get()
            + " state-of="
            + STATE_OF.get()
            + " groupBy="
            + GROUP_BY.get());
    System.out.println("COUNTS " + counts);
    System.out.println("PUNCTUATIONS " + PUNCTUATIONS.get());
    System.exit(counts.equals(expected) ? 0 : 1);
  }
}
