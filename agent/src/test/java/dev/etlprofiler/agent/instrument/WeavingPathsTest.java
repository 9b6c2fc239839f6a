package dev.etlprofiler.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.etlprofiler.agent.instrument.http.HttpLibrary;
import dev.etlprofiler.agent.instrument.kafka.KafkaLibrary;
import dev.etlprofiler.agent.instrument.spark.SparkLibrary;
import dev.etlprofiler.agent.instrument.weave.AdviceWeaver;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.MethodRule;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * The two weaving paths select the same methods: every rule of every library that matches classes
 * by name, on the real class files of the client libraries it names (the versions the agent is
 * compiled against, and the running JDK's), once as the ASM path reads a class file and once as
 * ByteBuddy describes it.
 */
class WeavingPathsTest {
  @Test
  void asmAndByteBuddySelectTheSameMethodsOfEveryClassALibraryNames() throws Exception {
    List<Library> libraries =
        List.of(new HttpLibrary(null), new KafkaLibrary(), new SparkLibrary());
    int compared = 0;
    for (Library library : libraries) {
      for (Map.Entry<String, List<MethodRule>> e : library.rulesByClass().entrySet()) {
        byte[] bytes = classFile(e.getKey());
        if (bytes == null) {
          // okhttp3/RealCall is OkHttp 3's; the agent is compiled against OkHttp 4
          assertEquals("okhttp3/RealCall", e.getKey(), "only OkHttp 3's call class is absent here");
          continue;
        }
        for (MethodRule rule : e.getValue()) {
          TreeSet<String> byAsm = selectedByAsm(bytes, rule);
          TreeSet<String> byByteBuddy = selectedByByteBuddy(e.getKey(), rule);
          assertFalse(byAsm.isEmpty(), rule + " selects a method of " + e.getKey());
          assertEquals(byAsm, byByteBuddy, rule + " on " + e.getKey());
          compared++;
        }
      }
    }
    assertEquals(16, compared, "rules compared");
  }

  private static byte[] classFile(String internalName) throws Exception {
    String resource = internalName + ".class";
    String module =
        internalName.startsWith("jdk/internal/net/http") ? "java.net.http" : "java.base";
    InputStream fromClassPath =
        WeavingPathsTest.class.getClassLoader().getResourceAsStream(resource);
    try (InputStream in =
        fromClassPath != null
            ? fromClassPath
            : ModuleLayer.boot().findModule(module).orElseThrow().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static TreeSet<String> selectedByAsm(byte[] bytes, MethodRule rule) {
    TreeSet<String> selected = new TreeSet<>();
    new ClassReader(bytes)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String desc, String signature, String[] exceptions) {
                if (rule.matches(access, name, desc)) {
                  selected.add(name + desc);
                }
                return null;
              }
            },
            ClassReader.SKIP_CODE);
    return selected;
  }

  private static TreeSet<String> selectedByByteBuddy(String internalName, MethodRule rule) {
    TypePool pool =
        TypePool.Default.of(
            new ClassFileLocator.Compound(
                ClassFileLocator.ForClassLoader.of(WeavingPathsTest.class.getClassLoader()),
                ClassFileLocator.ForClassLoader.ofBootLoader()));
    var type = pool.describe(internalName.replace('/', '.')).resolve();
    assertNotNull(type);
    TreeSet<String> selected = new TreeSet<>();
    for (MethodDescription m : type.getDeclaredMethods().filter(AdviceWeaver.matcher(rule))) {
      selected.add(m.getInternalName() + m.getDescriptor());
    }
    return selected;
  }
}
