package dev.etlprofiler.core.kafka;

import dev.etlprofiler.core.CallbackProxy;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Node;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * One producer send in flight: the handler of the proxy that stands in for the application's {@code
 * Callback}. When the producer completes the send (acknowledged or failed), it records the latency
 * since {@code send} on the send's node, the record and its bytes (key and value as the producer
 * serialized them, from the {@code RecordMetadata}, plus headers), or the failure by exception type
 * — once — and then calls the application's callback, if it gave one, with the same arguments;
 * whatever that callback throws reaches the producer unchanged.
 */
final class KafkaSend extends CallbackProxy {
  private static final VarHandle DONE;
  private static final ClassValue<MethodHandle[]> SIZES =
      new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
          try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return new MethodHandle[] {
              lookup.findVirtual(type, "serializedKeySize", MethodType.methodType(int.class)),
              lookup.findVirtual(type, "serializedValueSize", MethodType.methodType(int.class)),
            };
          } catch (ReflectiveOperationException e) {
            return null;
          }
        }
      };

  static {
    try {
      DONE = MethodHandles.lookup().findVarHandle(KafkaSend.class, "done", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Node node;
  private final long start;
  private final long headerBytes;

  @SuppressWarnings("unused") // through DONE
  private volatile int done;

  KafkaSend(Node node, long start, long headerBytes, Object userCallback) {
    super(userCallback);
    this.node = node;
    this.start = start;
    this.headerBytes = headerBytes;
  }

  @Override
  protected void observe(String method, Object[] args) {
    if (args.length == 2 && (args[1] == null || args[1] instanceof Throwable)) {
      complete(args[0], (Throwable) args[1]);
    }
  }

  /** Records the send's outcome, the first time only. */
  void complete(Object metadata, Throwable failure) {
    try {
      if (!DONE.compareAndSet(this, 0, 1)) {
        return;
      }
      node.record(System.nanoTime() - start);
      if (failure != null) {
        node.error(failure.getClass().getName());
        return;
      }
      long bytes = headerBytes;
      MethodHandle[] sizes = metadata == null ? null : SIZES.get(metadata.getClass());
      if (sizes != null) {
        bytes +=
            Math.max(0, (int) sizes[0].invoke(metadata))
                + Math.max(0, (int) sizes[1].invoke(metadata));
      }
      node.add(Counter.RECORDS, 1);
      if (bytes > 0) node.add(Counter.BYTES, bytes);
    } catch (Throwable t) {
      Core.internalError("Kafka send completion", t);
    }
  }
}
