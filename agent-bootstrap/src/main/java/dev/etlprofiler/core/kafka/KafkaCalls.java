package dev.etlprofiler.core.kafka;

import dev.etlprofiler.core.ClientCalls;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Kind;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.OpRegistry;
import dev.etlprofiler.core.ThreadState;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * What the Kafka client advice calls. A producer send becomes a {@code kafka-send} node named by
 * its topic, timed from {@code send} to the broker's acknowledgement (the application's callback is
 * wrapped); a consumer poll becomes a {@code kafka-poll} node named by the consumer's topics, with
 * records, bytes, empty polls, partitions and the largest lag seen; a synchronous commit becomes a
 * {@code kafka-commit} node. The advice reads the client's own types and passes JDK types and
 * primitives only. Never throws.
 */
public final class KafkaCalls {
  /** Poll names by topic set: a consumer's subscription rarely changes. Bounded. */
  private static final ConcurrentHashMap<Set<String>, Integer> POLL_OPS = new ConcurrentHashMap<>();

  private static final int MAX_POLL_NAMES = 1_000;

  /** Topics named in a poll's name; more are summarised as {@code (+N)}. */
  private static final int MAX_TOPICS_IN_NAME = 5;

  private KafkaCalls() {}

  /**
   * Starts timing a producer send of a record with {@code headerBytes} of headers to {@code topic};
   * returns the callback to hand to the producer instead of {@code userCallback} (a proxy
   * implementing {@code callbackType}, which calls the application's callback after recording), or
   * {@code userCallback} itself if anything goes wrong.
   */
  public static Object wrapSendCallback(
      Class<?> callbackType, Object userCallback, String topic, long headerBytes) {
    try {
      if (topic == null || callbackType == null) {
        return userCallback;
      }
      Node node =
          ThreadState.ofCurrentThread().currentNode().child(OpRegistry.id(Kind.KAFKA_SEND, topic));
      return new KafkaSend(node, System.nanoTime(), headerBytes, userCallback).proxy(callbackType);
    } catch (Throwable t) {
      Core.internalError("Kafka send", t);
      return userCallback;
    }
  }

  /**
   * After {@code send} threw instead of handing the record over: records the failure on the send's
   * node, unless the producer already reported it through the callback.
   */
  public static void sendThrew(Object callback, Throwable thrown) {
    try {
      if (thrown != null
          && callback != null
          && Proxy.isProxyClass(callback.getClass())
          && Proxy.getInvocationHandler(callback) instanceof KafkaSend) {
        ((KafkaSend) Proxy.getInvocationHandler(callback)).complete(null, thrown);
      }
    } catch (Throwable t) {
      Core.internalError("Kafka send", t);
    }
  }

  /**
   * Starts a consumer poll on {@code topics} (the subscription, or the assigned partitions'
   * topics); the state to pass to {@link #exitPoll}.
   */
  public static ThreadState enterPoll(Collection<String> topics) {
    try {
      Set<String> key = topics instanceof Set ? (Set<String>) topics : Set.copyOf(topics);
      Integer op = POLL_OPS.get(key);
      if (op == null) {
        op = OpRegistry.id(Kind.KAFKA_POLL, pollName(key));
        if (POLL_OPS.size() < MAX_POLL_NAMES) {
          POLL_OPS.put(Set.copyOf(key), op);
        }
      }
      return ClientCalls.enterNamed(Kind.KAFKA_POLL, OpRegistry.name(op));
    } catch (Throwable t) {
      Core.internalError("Kafka poll", t);
      return null;
    }
  }

  /**
   * {@code orders}, {@code orders,payments} (sorted), {@code a,b,c,d,e,(+3)}, or {@code
   * (unassigned)}.
   */
  static String pollName(Set<String> topics) {
    if (topics.isEmpty()) {
      return "(unassigned)";
    }
    List<String> sorted = new ArrayList<>(topics);
    Collections.sort(sorted);
    if (sorted.size() <= MAX_TOPICS_IN_NAME) {
      return String.join(",", sorted);
    }
    return String.join(",", sorted.subList(0, MAX_TOPICS_IN_NAME))
        + ",(+"
        + (sorted.size() - MAX_TOPICS_IN_NAME)
        + ")";
  }

  /**
   * Ends a poll that returned {@code records} records (-1 if it threw); returns the poll's node for
   * {@link #partitionPolled}, or null when the poll is not recorded.
   */
  public static Node exitPoll(ThreadState ts, Throwable thrown, int records) {
    try {
      Node node = ClientCalls.pop(ts, thrown);
      if (node != null && thrown == null && records == 0) {
        node.add(Counter.EMPTY_POLLS, 1);
      }
      return node;
    } catch (Throwable t) {
      Core.internalError("Kafka poll", t);
      return null;
    }
  }

  /**
   * One partition's share of a poll that ended: {@code records} records of {@code bytes} (keys,
   * values and headers as serialized), and the consumer's lag on it after the poll (-1 when the
   * client does not know it). A poll on several topics also counts each topic on a child node.
   */
  public static void partitionPolled(Node poll, String topic, int records, long bytes, long lag) {
    try {
      if (poll == null) {
        return;
      }
      count(poll, records, bytes, lag);
      if (topic != null && poll.name().indexOf(',') >= 0) { // topic names cannot contain ','
        count(poll.child(OpRegistry.id(Kind.KAFKA_TOPIC, topic)), records, bytes, lag);
      }
    } catch (Throwable t) {
      Core.internalError("Kafka poll", t);
    }
  }

  private static void count(Node node, int records, long bytes, long lag) {
    node.add(Counter.RECORDS, records);
    if (bytes > 0) node.add(Counter.BYTES, bytes);
    node.add(Counter.PARTITIONS, 1);
    if (lag >= 0) lag(node, lag);
  }

  /** Per node: the largest consumer lag seen in the interval. */
  private static final int LAG_SLOT = Node.newSlot();

  /** Notes a consumer lag (records behind the partition's end) seen in this interval. */
  private static void lag(Node node, long records) {
    Object a = node.libraryState(LAG_SLOT);
    if (a == null) {
      a = node.libraryState(LAG_SLOT, new LongAccumulator(Math::max, -1));
    }
    ((LongAccumulator) a).accumulate(records);
  }

  /** The largest lag noted on a node since the last call, or -1 if none (snapshot thread only). */
  public static long takeLagMax(Node node) {
    Object a = node.libraryState(LAG_SLOT);
    return a == null ? -1 : ((LongAccumulator) a).getThenReset();
  }

  /** Starts a synchronous offset commit. */
  public static ThreadState enterCommit() {
    return ClientCalls.enterNamed(Kind.KAFKA_COMMIT, "commitSync");
  }

  public static void exitCommit(ThreadState ts, Throwable thrown) {
    try {
      ClientCalls.pop(ts, thrown);
    } catch (Throwable t) {
      Core.internalError("Kafka commit", t);
    }
  }

  /** UTF-8 length of a header key, without encoding it. */
  public static int utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
