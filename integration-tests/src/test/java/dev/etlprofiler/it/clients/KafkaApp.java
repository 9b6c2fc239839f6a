package dev.etlprofiler.it.clients;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Kafka producer or consumer, run in a forked JVM with the kafka-clients version under test (it
 * uses only API that 3.0 has). Every record has an 8-byte key ({@code key-0001}), a value of the
 * given size and one header {@code source=it} (8 bytes).
 *
 * <pre>
 * produce BOOTSTRAP VALUE_BYTES LINGER_MS TOPIC:N...   N synchronous sends per topic (every other one
 *                                                       with a callback), then one record too large
 * unreachable BOOTSTRAP TOPIC                         one send to a closed port
 * consume BOOTSTRAP GROUP MAX_POLL_RECORDS EXPECTED TOPIC...   polls until EXPECTED records, committing
 *                                                       after each non-empty poll, then two more polls
 * </pre>
 *
 * It prints what it saw; the lines without timings must be the same with and without the agent.
 */
public final class KafkaApp {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("unreachable")) {
      unreachable(args[1], args[2]);
    } else if (args[0].equals("produce")) {
      produce(
          args[1],
          Integer.parseInt(args[2]),
          Integer.parseInt(args[3]),
          Arrays.copyOfRange(args, 4, args.length));
    } else {
      consume(
          args[1],
          args[2],
          Integer.parseInt(args[3]),
          Integer.parseInt(args[4]),
          Arrays.asList(Arrays.copyOfRange(args, 5, args.length)));
    }
  }

  private static void produce(String bootstrap, int valueBytes, int lingerMs, String[] topics)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1500");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    String value = "v".repeat(valueBytes);
    AtomicInteger callbacks = new AtomicInteger();
    List<Long> micros = new ArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (String topicAndCount : topics) {
        String topic = topicAndCount.substring(0, topicAndCount.indexOf(':'));
        int n = Integer.parseInt(topicAndCount.substring(topicAndCount.indexOf(':') + 1));
        for (int i = 0; i < n; i++) {
          ProducerRecord<String, String> record =
              new ProducerRecord<>(topic, String.format("key-%04d", i), value);
          record.headers().add("source", "it".getBytes(StandardCharsets.UTF_8));
          long start = System.nanoTime();
          Future<RecordMetadata> f =
              i % 2 == 0
                  ? producer.send(record, (metadata, e) -> callbacks.incrementAndGet())
                  : producer.send(record);
          f.get();
          micros.add((System.nanoTime() - start) / 1000);
        }
        System.out.println("produced " + topic + " " + n);
      }
      try {
        producer
            .send(
                new ProducerRecord<>(
                    topics[0].substring(0, topics[0].indexOf(':')), "big", "x".repeat(2000)),
                (metadata, e) -> callbacks.incrementAndGet())
            .get();
        System.out.println("too large record accepted");
      } catch (ExecutionException e) {
        System.out.println("too large: " + e.getCause().getClass().getName());
      }
    }
    Collections.sort(micros);
    System.out.println("callbacks=" + callbacks.get());
    System.out.println(
        "timing p50Micros=" + micros.get(micros.size() / 2) + " minMicros=" + micros.get(0));
  }

  /** One send to a broker that does not answer: the producer gives up waiting for metadata. */
  private static void unreachable(String bootstrap, String topic) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get();
      System.out.println("sent to an unreachable broker");
    } catch (ExecutionException e) {
      System.out.println("unreachable: " + e.getCause().getClass().getName());
    }
  }

  private static void consume(
      String bootstrap, String group, int maxPollRecords, int expected, List<String> topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    int records = 0;
    int polls = 0;
    int empty = 0;
    int commits = 0;
    long valueChars = 0;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(topics);
      long deadline = System.nanoTime() + 60_000_000_000L;
      int trailing = 0;
      while (trailing < 2 && System.nanoTime() < deadline) {
        ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(300));
        polls++;
        if (records >= expected) {
          trailing++;
        }
        if (batch.isEmpty()) {
          empty++;
          continue;
        }
        for (ConsumerRecord<String, String> r : batch) {
          records++;
          valueChars += r.value().length();
        }
        consumer.commitSync();
        commits++;
      }
    }
    System.out.println(
        "consumed records=" + records + " valueChars=" + valueChars + " commits=" + commits);
    System.out.println("polls=" + polls + " empty=" + empty);
  }
}
