package dev.etlprofiler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The recording core on its own: nesting, recursion, errors, API tokens, the child table. */
class CoreTest {
  private static Node node(String kind, String name, Node parent) {
    return parent.child(OpRegistry.id(kind, name));
  }

  @Test
  void nestedCallsBecomeChildNodesAndAreEachRecorded() {
    int outer = OpRegistry.id(Kind.METHOD, "CoreTest.outer");
    int inner = OpRegistry.id(Kind.METHOD, "CoreTest.inner");
    for (int i = 0; i < 3; i++) {
      ThreadState a = Core.enter(outer);
      ThreadState b = Core.enter(inner);
      Core.exit(b, null, inner);
      Core.exit(a, null, outer);
    }
    Node o = Nodes.ROOT.child(outer);
    Node in = o.child(inner);
    assertSame(o, in.visibleParent());
    assertEquals(3, o.takeIntervalHistogram(Node.newHistogram()).getTotalCount());
    assertEquals(3, in.takeIntervalHistogram(Node.newHistogram()).getTotalCount());
    assertEquals(
        0, o.takeIntervalHistogram(Node.newHistogram()).getTotalCount(), "intervals are deltas");
  }

  @Test
  void aContextFrameAttributesWhatRunsUnderItWithoutACallOfItsOwn() {
    int step = OpRegistry.id(Kind.METHOD, "CoreTest.contextStep");
    int item = OpRegistry.id(Kind.METHOD, "CoreTest.contextItem");
    ThreadState ctx = Core.enterContext(step);
    ThreadState in = Core.enter(item);
    Core.exit(in, null, item);
    Core.exit(ctx, null, step);
    assertEquals(0, ThreadState.CURRENT.get().depth, "both frames closed");
    Node s = Nodes.ROOT.child(step);
    assertEquals(0, s.takeIntervalHistogram(Node.newHistogram()).getTotalCount(), "not timed");
    assertEquals(1, s.child(item).takeIntervalHistogram(Node.newHistogram()).getTotalCount());
  }

  @Test
  void aCallEndedUnrecordedLeavesNoCall() {
    int op = OpRegistry.id(Kind.METHOD, "CoreTest.endOfInput");
    Core.exit(Core.enter(op), null, op);
    Core.exitUnrecorded(Core.enter(op));
    assertEquals(0, ThreadState.CURRENT.get().depth, "the frame is closed");
    assertEquals(
        1, Nodes.ROOT.child(op).takeIntervalHistogram(Node.newHistogram()).getTotalCount());
  }

  @Test
  void anIntervalsTotalOverEveryStripeIsItsCountTimesHdrHistogramsMean() {
    Node node = Nodes.ROOT.child(OpRegistry.id(Kind.METHOD, "CoreTest.striped"));
    long[] values = {90, 1_234, 56_789, 1_000_000, 3_500_000_000L};
    for (int stripe = 0; stripe < ThreadState.STRIPES; stripe++) {
      for (long v : values) {
        node.record(v * (stripe + 1), stripe);
      }
    }
    Histogram h = Node.newHistogram();
    double total = node.takeInterval(h);
    assertEquals(values.length * ThreadState.STRIPES, h.getTotalCount());
    assertEquals(h.getMean(), total / h.getTotalCount(), h.getMean() * 1e-12);
    assertEquals(0, node.takeInterval(h), "the next interval is empty");
  }

  @Test
  void directRecursionIsTimedOnceByTheOutermostCall() {
    int op = OpRegistry.id(Kind.METHOD, "CoreTest.recurse");
    ThreadState a = Core.enter(op);
    ThreadState b = Core.enter(op);
    ThreadState c = Core.enter(op);
    Core.exit(c, null, op);
    Core.exit(b, null, op);
    Core.exit(a, null, op);
    assertEquals(
        1, Nodes.ROOT.child(op).takeIntervalHistogram(Node.newHistogram()).getTotalCount());
    assertEquals(0, ThreadState.CURRENT.get().depth);
  }

  @Test
  void errorsAreCountedByType() {
    int op = OpRegistry.id(Kind.METHOD, "CoreTest.fails");
    for (int i = 0; i < 4; i++) {
      ThreadState ts = Core.enter(op);
      Core.exit(ts, i % 2 == 0 ? new IllegalStateException() : new java.io.IOException(), op);
    }
    Map<String, Long> errors = new HashMap<>();
    Nodes.ROOT.child(op).takeErrors(errors);
    assertEquals(Map.of("java.lang.IllegalStateException", 2L, "java.io.IOException", 2L), errors);
  }

  @Test
  void apiSessionsLabelTheOperationsInsideThem() {
    Object session = ApiBridge.beginSession("orders", "eia");
    Object op = ApiBridge.beginOperation("CoreTest.transform");
    ApiBridge.count(op, Counter.RECORDS, 10);
    ApiBridge.count(null, Counter.RECORDS, 5); // innermost running operation
    ApiBridge.endOperation(op);
    ApiBridge.endOperation(op); // closing twice records once
    ApiBridge.endSession(session);
    assertEquals(0, ThreadState.CURRENT.get().depth);
    Node sessionNode = Nodes.ROOT.child(Nodes.sessionOp("orders", "eia"));
    Node transform = node(Kind.API, "CoreTest.transform", sessionNode);
    assertEquals("orders", transform.dataset());
    assertEquals("eia", transform.source());
    assertNull(transform.visibleParent(), "the session boundary itself is not a visible node");
    assertEquals(15, transform.takeCounter(Counter.RECORDS));
    Histogram h = transform.takeIntervalHistogram(Node.newHistogram());
    assertEquals(1, h.getTotalCount());
  }

  @Test
  void childTableFindsEveryInsertedKeyAcrossGrowth() {
    Node.ChildTable t = Node.ChildTable.EMPTY;
    Node[] nodes = new Node[100];
    for (int i = 0; i < 100; i++) {
      nodes[i] = new Node(1000 + i, null, i * 7919, null, false);
      t = t.with(i * 7919, nodes[i]);
    }
    for (int i = 0; i < 100; i++) {
      assertSame(nodes[i], t.get(i * 7919));
    }
    assertNull(t.get(-5));
    assertNotSame(Node.ChildTable.EMPTY, t);
  }

  @Test
  void nodesBeyondTheCapFoldIntoOneOtherNodePerParent() {
    Node parent = node(Kind.METHOD, "CoreTest.capParent", Nodes.ROOT);
    Nodes.takeDropped();
    Nodes.maxNodes(Nodes.count() + 2);
    try {
      Node a = node(Kind.METHOD, "CoreTest.cap1", parent);
      Node b = node(Kind.METHOD, "CoreTest.cap2", parent);
      Node c = node(Kind.METHOD, "CoreTest.cap3", parent);
      Node d = node(Kind.METHOD, "CoreTest.cap4", parent);
      assertNotSame(a, b);
      assertEquals("(other)", c.name());
      assertEquals(Kind.OTHER, c.kind());
      assertSame(c, d);
      assertSame(
          c,
          node(Kind.METHOD, "CoreTest.cap3", parent),
          "a folded op keeps mapping to the same node");
      assertEquals(2, Nodes.takeDropped());
    } finally {
      Nodes.maxNodes(1_000_000);
    }
  }

  @Test
  void aSampledOperationTimesOneCallInTwoToTheShiftAndCountsEveryCall() {
    int op = OpRegistry.id(Kind.METHOD, "CoreTest.hot");
    assertEquals(true, CallSampling.set(op, 3)); // one in 8
    int ticksBefore = CallSampling.ticks(op);
    try {
      for (int i = 0; i < 800; i++) {
        ThreadState ts = Core.enter(op);
        Core.exit(ts, i == 5 ? new IllegalStateException() : null, op);
      }
      assertEquals(
          800, CallSampling.between(ticksBefore, CallSampling.ticks(op)), "every call ticks");
      assertEquals(8, CallSampling.takeOneIn(op), "the snapshot learns it was sampled one in 8");
      Node node = Nodes.ROOT.child(op);
      assertEquals(
          100, node.takeIntervalHistogram(Node.newHistogram()).getTotalCount(), "one in 8 timed");
      Map<String, Long> errors = new HashMap<>();
      node.takeErrors(errors);
      assertEquals(
          Map.of("java.lang.IllegalStateException", 1L),
          errors,
          "errors of untimed calls count too");
      assertEquals(0, ThreadState.CURRENT.get().depth);
    } finally {
      CallSampling.set(op, 0);
    }
    assertEquals(0, CallSampling.shift(op));
    assertEquals(
        8, CallSampling.takeOneIn(op), "sampled during the interval, though not at its end");
    assertEquals(1, CallSampling.takeOneIn(op), "not sampled since");
  }

  @Test
  void aLibraryCounterIsRegisteredOnceByNameAndCountedOnANode() {
    int filtered = Counter.register("testItemsFiltered");
    assertEquals(filtered, Counter.register("testItemsFiltered"), "the same name, the same code");
    assertTrue(filtered >= Counter.BUILT_IN && filtered < Counter.count());
    assertEquals("testItemsFiltered", Counter.name(filtered));
    assertEquals(Counter.RECORDS, Counter.register("records"), "a built-in name is its own code");
    Node node = Nodes.ROOT.child(OpRegistry.id(Kind.METHOD, "CoreTest.counted"));
    node.add(filtered, 7);
    assertEquals(7, node.takeCounter(filtered));
    assertEquals(0, node.takeCounter(filtered), "taken");
  }
}
