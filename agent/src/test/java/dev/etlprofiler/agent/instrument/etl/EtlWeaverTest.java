package dev.etlprofiler.agent.instrument.etl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.agent.config.Target;
import dev.etlprofiler.agent.instrument.subject.WeaveSubject;
import dev.etlprofiler.agent.instrument.weave.Supertypes;
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
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ETL weaver on real bytecode shapes: the woven class must pass the JVM's verifier (it is
 * defined by an ordinary class loader, which verifies), behave exactly as the original, and record
 * every call on a node whose parent is the caller's; for class files of every version.
 */
class EtlWeaverTest {
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
        new ClassLoader(EtlWeaverTest.class.getClassLoader()) {
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

  /** Calls recorded on the subject's nodes and not yet taken (taking them). */
  private static Map<String, Long> callsByName() {
    Map<String, Long> calls = new HashMap<>();
    Histogram h = Node.newHistogram();
    for (int id = 1; id < Nodes.count(); id++) {
      Node n = Nodes.get(id);
      if (n.isVisible() && n.name().startsWith("WeaveSubject.")) {
        long count = n.takeIntervalHistogram(h).getTotalCount();
        if (count > 0) calls.merge(n.name(), count, Long::sum);
        n.takeErrors(new HashMap<>());
      }
    }
    return calls;
  }

  private static Target allPublicMethodsOf(Class<?> c) {
    return new Target(
        List.of(c.getName()), List.of(), List.of(), List.of(), List.of(), List.of("finallies"));
  }

  /**
   * The subject's class file as compiled (version 61), or rewritten to an older version without its
   * stack maps, as compilers before Java 6 wrote them (49) and as Java 6 class files may be (50).
   */
  private static byte[] subjectOfVersion(int version) throws IOException {
    byte[] original = bytesOf(WeaveSubject.class);
    if (version == 0) {
      return original;
    }
    ClassReader reader = new ClassReader(original);
    ClassWriter writer = new ClassWriter(0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int v, int access, String name, String signature, String superName, String[] itfs) {
            super.visit(version, access, name, signature, superName, itfs);
          }
        },
        ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }

  @ParameterizedTest(name = "class file version {0} (0: as compiled)")
  @ValueSource(ints = {0, Opcodes.V1_5, Opcodes.V1_6})
  void wovenMethodsVerifyBehaveAsBeforeAndRecordEveryCall(int version) throws Exception {
    callsByName(); // a run for another version recorded on the same nodes: start from zero
    byte[] subject = subjectOfVersion(version);
    assertEquals(
        version == 0 ? Opcodes.V17 : version, new ClassReader(subject).readUnsignedShort(6));
    byte[] woven =
        new EtlWeaver(List.of(allPublicMethodsOf(WeaveSubject.class)))
            .weave(WeaveSubject.class.getClassLoader(), WeaveSubject.class.getName(), subject);
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
        new EtlWeaver(List.of(other))
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
        new EtlWeaver(List.of(runnables))
            .weave(Impl.class.getClassLoader(), Impl.class.getName(), bytesOf(Impl.class));
    assertNotNull(woven, "Impl is a Runnable through its superclass");
    assertNull(
        new EtlWeaver(List.of(runnables))
            .weave(
                EtlWeaverTest.class.getClassLoader(),
                EtlWeaverTest.class.getName(),
                bytesOf(EtlWeaverTest.class)));
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
        new EtlWeaver(List.of(comparables))
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

  @Test
  void aJavaxClassOfTheApplicationHasItsSupertypesReadFromItsClassFile() {
    assertEquals(
        Set.of("javax/etlprofilertest/AppBase", "java/lang/Runnable", "java/lang/Object"),
        new Supertypes()
            .ofName(EtlWeaverTest.class.getClassLoader(), "javax/etlprofilertest/AppBase"));
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
