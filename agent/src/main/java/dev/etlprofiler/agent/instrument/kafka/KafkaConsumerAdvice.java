package dev.etlprofiler.agent.instrument.kafka;

import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.ThreadState;
import dev.etlprofiler.core.kafka.KafkaCalls;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Inlined into {@code KafkaConsumer}: {@link Poll} into the public {@code poll} methods, {@link
 * Commit} into {@code commitSync}. Compiled against the oldest kafka-clients supported (3.0: {@code
 * currentLag} is from 3.0); described from class files, never loaded (see KafkaLibrary).
 */
public final class KafkaConsumerAdvice {
  private KafkaConsumerAdvice() {}

  /** Times a poll; counts what it returned per partition, and the lag after it. */
  public static final class Poll {
    private Poll() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter(@Advice.This KafkaConsumer<?, ?> consumer) {
      Set<String> topics = consumer.subscription();
      if (topics.isEmpty()) {
        topics = new HashSet<>();
        for (TopicPartition tp : consumer.assignment()) {
          topics.add(tp.topic());
        }
      }
      return KafkaCalls.enterPoll(topics);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter ThreadState ts,
        @Advice.This KafkaConsumer<?, ?> consumer,
        @Advice.Return ConsumerRecords<?, ?> records,
        @Advice.Thrown Throwable thrown) {
      if (ts == null) {
        return;
      }
      Node poll = KafkaCalls.exitPoll(ts, thrown, records == null ? -1 : records.count());
      if (poll == null || records == null) {
        return;
      }
      for (TopicPartition tp : records.partitions()) {
        List<? extends ConsumerRecord<?, ?>> list = records.records(tp);
        long bytes = 0;
        for (ConsumerRecord<?, ?> r : list) {
          bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
          for (Header h : r.headers()) {
            bytes += KafkaCalls.utf8Length(h.key());
            byte[] value = h.value();
            if (value != null) {
              bytes += value.length;
            }
          }
        }
        OptionalLong lag = consumer.currentLag(tp);
        KafkaCalls.partitionPolled(
            poll, tp.topic(), list.size(), bytes, lag.isPresent() ? lag.getAsLong() : -1);
      }
    }
  }

  /** Times a synchronous offset commit. */
  public static final class Commit {
    private Commit() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter() {
      return KafkaCalls.enterCommit();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ThreadState ts, @Advice.Thrown Throwable thrown) {
      KafkaCalls.exitCommit(ts, thrown);
    }
  }
}
