package dev.etlprofiler.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.agent.config.Target;
import dev.etlprofiler.agent.instrument.subject.WeaveSubject;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.Nodes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The ASM-only weaver on real bytecode shapes: the woven class must pass the JVM's verifier (it is
 * defined by an ordinary class loader, which verifies), behave exactly as the original, and record
 * every call on a node whose parent is the caller's.
 */
class FastWeaverTest {
  private static byte[] bytesOf(Class<?> c) throws IOException {
    try (InputStream in =
        c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Defines the woven subject in its own loader; everything else comes from the test's. */
  private static Class<?> defineWoven(byte[] woven) throws ClassNotFoundException {
    String name = WeaveSubject.class.getName();
    ClassLoader loader =
        new ClassLoader(FastWeaverTest.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
            if (n.equals(name)) {
              synchronized (getClassLoadingLock(n)) {
                Class<?> c = findLoadedClass(n);
                return c != null ? c : defineClass(n, woven, 0, woven.length);
              }
            }
            return super.loadClass(n, resolve);
          }
        };
    return Class.forName(name, true, loader);
  }

  private static Target allPublicMethodsOf(Class<?> c) {
    return new Target(
        List.of(c.getName()), List.of(), List.of(), List.of(), List.of(), List.of("finallies"));
  }

  @Test
  void wovenMethodsVerifyBehaveAsBeforeAndRecordEveryCall() throws Exception {
    byte[] woven =
        new FastWeaver(List.of(allPublicMethodsOf(WeaveSubject.class)))
            .weave(
                WeaveSubject.class.getClassLoader(),
                WeaveSubject.class.getName(),
                bytesOf(WeaveSubject.class));
    assertNotNull(woven);
    Class<?> c = defineWoven(woven);
    Object w = c.getConstructor().newInstance();
    WeaveSubject plain = new WeaveSubject();

    assertEquals(WeaveSubject.sumLoop(1000), c.getMethod("sumLoop", int.class).invoke(null, 1000));
    assertEquals(WeaveSubject.spin(7), c.getMethod("spin", int.class).invoke(null, 7));
    Method parse = c.getMethod("parse", String.class);
    assertEquals(plain.parse("42"), parse.invoke(w, "42"));
    assertEquals(plain.parse("x"), parse.invoke(w, "x"));
    assertEquals(2, c.getMethod("finallies").invoke(w), "the method's own finally ran each time");
    InvocationTargetException thrown =
        assertThrows(
            InvocationTargetException.class,
            () -> c.getMethod("fail", String.class).invoke(w, "boom"));
    assertTrue(
        thrown.getCause() instanceof IOException && thrown.getCause().getMessage().equals("boom"),
        "the application's exception leaves the method unchanged: " + thrown.getCause());
    assertEquals(plain.locked("x"), c.getMethod("locked", Object.class).invoke(w, "x"));
    Method pick = c.getMethod("pick", int.class);
    for (int k : new int[] {0, 1, 2, 3, 1000}) {
      assertEquals(plain.pick(k), pick.invoke(w, k));
    }
    assertEquals(plain.outer(10), c.getMethod("outer", int.class).invoke(w, 10));
    Method wide = c.getMethod("wideInTry", long.class);
    assertEquals(plain.wideInTry(21), wide.invoke(w, 21L));
    assertEquals(plain.wideInTry(-5), wide.invoke(w, -5L));

    Map<String, Long> calls = new HashMap<>();
    Map<String, String> parents = new HashMap<>();
    long failErrors = 0;
    Histogram h = Node.newHistogram();
    for (int id = 1; id < Nodes.count(); id++) {
      Node n = Nodes.get(id);
      if (n.isVisible() && n.name().startsWith("WeaveSubject.")) {
        calls.merge(n.name(), n.takeIntervalHistogram(h).getTotalCount(), Long::sum);
        Node p = n.visibleParent();
        parents.put(n.name() + (p == null ? "" : " < " + p.name()), "");
        if (n.name().equals("WeaveSubject.fail")) {
          Map<String, Long> errors = new HashMap<>();
          n.takeErrors(errors);
          failErrors = errors.getOrDefault("java.io.IOException", 0L);
        }
      }
    }
    assertEquals(2, calls.get("WeaveSubject.sumLoop"), "once directly, once from outer");
    assertEquals(2, calls.get("WeaveSubject.parse"));
    assertEquals(1, calls.get("WeaveSubject.fail"));
    assertEquals(1, failErrors, "the exception is counted on the node");
    assertEquals(5, calls.get("WeaveSubject.pick"));
    assertEquals(2, calls.get("WeaveSubject.wideInTry"));
    assertEquals(null, calls.get("WeaveSubject.finallies"), "excluded");
    assertTrue(
        parents.containsKey("WeaveSubject.sumLoop < WeaveSubject.outer"),
        parents.keySet().toString());
    assertTrue(
        parents.containsKey("WeaveSubject.spin < WeaveSubject.outer"), parents.keySet().toString());
    assertTrue(
        parents.containsKey("WeaveSubject.pick"),
        "back at the root after every call: " + parents.keySet());
  }

  @Test
  void aClassWithNothingSelectedIsLeftAlone() throws Exception {
    Target other =
        new Target(
            List.of("com.example.Nothing"), List.of(), List.of(), List.of(), List.of(), List.of());
    assertNull(
        new FastWeaver(List.of(other))
            .weave(
                WeaveSubject.class.getClassLoader(),
                WeaveSubject.class.getName(),
                bytesOf(WeaveSubject.class)));
  }

  @Test
  void subtypesAreFoundThroughTheClassFilesOfTheirSupertypes() throws Exception {
    Target runnables =
        new Target(
            List.of(),
            List.of(),
            List.of("java.lang.Runnable"),
            List.of(),
            List.of("run"),
            List.of());
    byte[] woven =
        new FastWeaver(List.of(runnables))
            .weave(Impl.class.getClassLoader(), Impl.class.getName(), bytesOf(Impl.class));
    assertNotNull(woven, "Impl is a Runnable through its superclass");
    assertNull(
        new FastWeaver(List.of(runnables))
            .weave(
                FastWeaverTest.class.getClassLoader(),
                FastWeaverTest.class.getName(),
                bytesOf(FastWeaverTest.class)));
  }

  @Test
  void aJdkInterfaceAboveAnApplicationClassBringsItsOwnSupertypes() throws Exception {
    // Comparable is nowhere in Task's class file: it comes through the JDK's ScheduledFuture →
    // Delayed
    Target comparables =
        new Target(
            List.of(),
            List.of(),
            List.of("java.lang.Comparable"),
            List.of(),
            List.of("compareTo"),
            List.of());
    assertNotNull(
        new FastWeaver(List.of(comparables))
            .weave(Task.class.getClassLoader(), Task.class.getName(), bytesOf(Task.class)),
        "Task is a Comparable through java.util.concurrent.ScheduledFuture and Delayed");
    Set<String> statement =
        new Supertypes().ofName(ClassLoader.getSystemClassLoader(), "java/sql/CallableStatement");
    assertEquals(
        Set.of(
            "java/sql/CallableStatement",
            "java/sql/PreparedStatement",
            "java/sql/Statement",
            "java/sql/Wrapper",
            "java/lang/AutoCloseable"),
        statement);
    assertEquals(
        Set.of("javax/no/SuchType"),
        new Supertypes().ofName(ClassLoader.getSystemClassLoader(), "javax/no/SuchType"),
        "a JDK name that does not exist has no supertypes");
  }

  abstract static class Task implements java.util.concurrent.ScheduledFuture<String> {
    @Override
    public int compareTo(java.util.concurrent.Delayed other) {
      return 0;
    }
  }

  abstract static class Base implements Runnable {}

  static final class Impl extends Base {
    @Override
    public void run() {}
  }
}
