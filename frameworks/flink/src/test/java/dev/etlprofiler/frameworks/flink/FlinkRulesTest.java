package dev.etlprofiler.frameworks.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.etlprofiler.agent.instrument.flink.FlinkLibrary;
import dev.etlprofiler.agent.instrument.weave.MethodRule;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The library's rules on the real class files of Flink 1.20 and 2.1: every class it names exists,
 * each rule selects exactly one method there, and the class is woven (an operator class gets its
 * op-id field); classes already loaded (retransformed) and other classes are left alone. That the
 * woven classes verify and run is the integration test's part.
 */
class FlinkRulesTest {
  @Test
  void everyRuleSelectsOneMethodInFlink120() throws Exception {
    check("flink120");
  }

  @Test
  void everyRuleSelectsOneMethodInFlink21() throws Exception {
    check("flink21");
  }

  @Test
  void otherClassesAreLeftAlone() {
    FlinkLibrary library = new FlinkLibrary();
    assertNull(library.transform(null, "com/acme/Job", null, new byte[0]));
    assertNull(
        library.transform(
            null, "org/apache/flink/streaming/api/operators/StreamSource", null, new byte[0]));
  }

  private static void check(String version) throws Exception {
    List<JarFile> jars = new ArrayList<>();
    for (String p :
        Files.readString(Path.of(System.getProperty("it." + version + ".classpath")))
            .trim()
            .split(File.pathSeparator)) {
      if (p.endsWith(".jar") && p.contains("/org/apache/flink/")) {
        jars.add(new JarFile(p));
      }
    }
    FlinkLibrary library = new FlinkLibrary();
    Map<String, List<MethodRule>> rules = library.rulesByClass();
    assertEquals(9, rules.size());
    for (Map.Entry<String, List<MethodRule>> e : rules.entrySet()) {
      byte[] bytes = bytes(jars, e.getKey() + ".class");
      assertNotNull(bytes, e.getKey() + " in Flink " + version);
      for (MethodRule rule : e.getValue()) {
        List<String> selected = new ArrayList<>();
        new ClassReader(bytes)
            .accept(
                new ClassVisitor(Opcodes.ASM9) {
                  @Override
                  public MethodVisitor visitMethod(
                      int access, String name, String desc, String sig, String[] exceptions) {
                    if (rule.matches(access, name, desc)) {
                      selected.add(name + desc);
                    }
                    return null;
                  }
                },
                ClassReader.SKIP_CODE);
        assertEquals(1, selected.size(), e.getKey() + ": " + selected);
      }
      byte[] woven = library.transform(null, e.getKey(), null, bytes);
      assertNotNull(woven, e.getKey());
      boolean operator = !e.getKey().endsWith("/AbstractStreamOperator");
      assertEquals(operator, hasOpField(woven), e.getKey() + ": the op-id field");
      assertNull(library.transform(null, e.getKey(), Object.class, bytes), "retransformed");
    }
  }

  private static boolean hasOpField(byte[] woven) {
    boolean[] found = {false};
    new ClassReader(woven)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public FieldVisitor visitField(
                  int access, String name, String desc, String sig, Object value) {
                if (name.startsWith("__etlprofiler")) {
                  found[0] = (access & Opcodes.ACC_TRANSIENT) != 0 && desc.equals("I");
                }
                return null;
              }
            },
            ClassReader.SKIP_CODE);
    return found[0];
  }

  private static byte[] bytes(List<JarFile> jars, String entryName) throws Exception {
    for (JarFile jar : jars) {
      ZipEntry entry = jar.getEntry(entryName);
      if (entry != null) {
        return jar.getInputStream(entry).readAllBytes();
      }
    }
    return null;
  }
}
