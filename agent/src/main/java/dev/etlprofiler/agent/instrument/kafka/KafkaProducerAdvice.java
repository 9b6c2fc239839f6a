package dev.etlprofiler.agent.instrument.kafka;

import dev.etlprofiler.core.kafka.KafkaCalls;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Inlined into {@code KafkaProducer.send(ProducerRecord, Callback)}, which {@code send(record)}
 * also reaches: replaces the callback with one that records the send when the broker acknowledges
 * it (or the producer fails it), then calls the application's. Compiled against the oldest
 * kafka-clients supported (3.0); described from class files, never loaded (see KafkaLibrary).
 */
public final class KafkaProducerAdvice {
  private KafkaProducerAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.Argument(0) ProducerRecord<?, ?> record,
      @Advice.Argument(value = 1, readOnly = false) Callback callback) {
    long headerBytes = 0;
    for (Header h : record.headers()) {
      headerBytes += KafkaCalls.utf8Length(h.key());
      byte[] value = h.value();
      if (value != null) {
        headerBytes += value.length;
      }
    }
    callback =
        (Callback)
            KafkaCalls.wrapSendCallback(Callback.class, callback, record.topic(), headerBytes);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Argument(1) Callback callback, @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      KafkaCalls.sendThrew(callback, thrown);
    }
  }
}
