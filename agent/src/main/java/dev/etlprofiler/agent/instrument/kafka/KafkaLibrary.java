package dev.etlprofiler.agent.instrument.kafka;

import dev.etlprofiler.agent.instrument.weave.AdviceWeaver;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.MethodRule;
import java.util.List;

/**
 * Kafka producer sends ({@code KafkaProducer.send(ProducerRecord, Callback)}, which {@code
 * send(record)} also reaches) and consumer polls and synchronous commits, on kafka-clients 3.0 and
 * later. The advice reads the client's own types and is woven with ByteBuddy ({@link
 * AdviceWeaver}); it is compiled against the oldest kafka-clients supported. Recording: {@code
 * dev.etlprofiler.core.kafka}.
 */
public final class KafkaLibrary implements Library {
  static final String PRODUCER = "org/apache/kafka/clients/producer/KafkaProducer";
  static final String CONSUMER = "org/apache/kafka/clients/consumer/KafkaConsumer";

  private static final List<AdviceWeaver.Plan> PRODUCER_PLANS =
      List.of(
          new AdviceWeaver.Plan(
              MethodRule.named("send")
                  .args(2)
                  .arg(0, "org.apache.kafka.clients.producer.ProducerRecord")
                  .arg(1, "org.apache.kafka.clients.producer.Callback"),
              KafkaProducerAdvice.class));

  private static final List<AdviceWeaver.Plan> CONSUMER_PLANS =
      List.of(
          new AdviceWeaver.Plan(
              MethodRule.named("poll").publicOnly().args(1), KafkaConsumerAdvice.Poll.class),
          new AdviceWeaver.Plan(
              MethodRule.named("commitSync").publicOnly(), KafkaConsumerAdvice.Commit.class));

  private volatile AdviceWeaver weaver;

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
    if (internalName.equals(PRODUCER)) {
      return weaver().weave(loader, internalName, bytes, PRODUCER_PLANS);
    }
    if (internalName.equals(CONSUMER)) {
      return weaver().weave(loader, internalName, bytes, CONSUMER_PLANS);
    }
    return null;
  }

  @Override
  public java.util.Map<String, List<MethodRule>> rulesByClass() {
    return java.util.Map.of(
        PRODUCER, AdviceWeaver.rules(PRODUCER_PLANS), CONSUMER, AdviceWeaver.rules(CONSUMER_PLANS));
  }

  /** Made at the first Kafka client class, not at start-up: it loads ByteBuddy. */
  private AdviceWeaver weaver() {
    AdviceWeaver w = weaver;
    if (w == null) {
      synchronized (this) {
        if (weaver == null) {
          weaver = new AdviceWeaver();
        }
        w = weaver;
      }
    }
    return w;
  }
}
