package dev.etlprofiler.agent.instrument.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.bytebuddy.jar.asm.ClassReader;
import org.apache.spark.scheduler.SparkListener;
import org.junit.jupiter.api.Test;

class SparkLibraryTest {
  @Test
  void weavesOnlyTheListenerBus() {
    SparkLibrary library = new SparkLibrary();
    byte[] any = new byte[] {1, 2, 3};
    assertNull(library.transform(null, "org/apache/spark/SparkContext", null, any));
    assertNull(library.transform(null, "org/apache/spark/scheduler/DAGScheduler", null, any));
    assertEquals(java.util.Set.of(SparkLibrary.LISTENER_BUS), library.rulesByClass().keySet());
  }

  @Test
  void theListenerIsTheTemplateRenamedIntoSparksSchedulerPackage() throws Exception {
    byte[] bytes = new ListenerDefiner().listenerBytes();
    ClassReader reader = new ClassReader(bytes);
    assertEquals("org/apache/spark/scheduler/EtlProfilerListener", reader.getClassName());
    assertEquals("org/apache/spark/scheduler/SparkListener", reader.getSuperName());
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertFalse(text.contains("instrument/spark/ProfilerListener"), "no reference to the template");
    // only this class file is defined: the template must have no nested or anonymous class
    assertNull(ListenerDefiner.class.getResource("ProfilerListener$1.class"), "an anonymous class");
  }

  @Test
  void definesOneListenerClassPerLoaderAndANewListenerPerContext() {
    ListenerDefiner definer = new ListenerDefiner();
    Object first = definer.apply(SparkListener.class);
    Object second = definer.apply(SparkListener.class);
    assertTrue(first instanceof SparkListener, String.valueOf(first));
    assertEquals(ListenerDefiner.LISTENER, first.getClass().getName());
    assertSame(SparkListener.class.getClassLoader(), first.getClass().getClassLoader());
    assertSame(first.getClass(), second.getClass());
    assertFalse(first == second);
  }
}
