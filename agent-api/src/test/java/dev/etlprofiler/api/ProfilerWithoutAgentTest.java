package dev.etlprofiler.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProfilerWithoutAgentTest {
  @Test
  void isInactiveWithoutTheAgent() {
    assertFalse(Profiler.isActive());
  }

  @Test
  void operationsAreASharedNoopWithoutTheAgent() {
    Operation a = Profiler.operation("a");
    Operation b = Profiler.operation("b");
    assertSame(a, b, "no allocation per operation without the agent");
    try (Operation op = a) {
      assertSame(op, op.records(3).bytes(4).apiCalls(1).retries(1).valid(2).invalid(1));
      assertSame(op, op.error(new IllegalStateException()).error("Timeout"));
    }
  }

  @Test
  void sessionKeepsItsLabelsWithoutTheAgent() {
    try (Session s = Profiler.session("orders", "eia")) {
      assertEquals("orders", s.dataset());
      assertEquals("eia", s.dataSource());
    }
  }

  @Test
  void staticCountsAreAcceptedWithoutTheAgent() {
    Profiler.records(10);
    Profiler.bytes(10);
    Profiler.apiCalls(1);
    Profiler.retries(1);
    Profiler.quality(9, 1);
    Profiler.error("X");
    Profiler.error(new RuntimeException());
    Profiler.kafkaSend("t", 1, 10);
    assertFalse(Profiler.isActive());
  }

  @Test
  void nullNamesAreRejectedWithAClearMessage() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> Profiler.operation(null));
    assertEquals("name", e.getMessage());
  }
}
