package dev.etlprofiler.frameworks.springbatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.etlprofiler.agent.instrument.springbatch.SpringBatchLibrary;
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
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The library's rules on the real class files of Spring Batch 5.2 and 6.0: each rule selects
 * exactly one method of the class it names (6.0's {@code ChunkOrientedStep} exists only in 6.0),
 * and the class is woven (that the woven classes load and run is the integration tests' part).
 */
class SpringBatchRulesTest {
  @Test
  void everyRuleSelectsOneMethodInSpringBatch52() throws Exception {
    assertEquals(7, check("sb52"), "rules checked on 5.2 (all but ChunkOrientedStep's)");
  }

  @Test
  void everyRuleSelectsOneMethodInSpringBatch60() throws Exception {
    assertEquals(11, check("sb60"), "rules checked on 6.0");
  }

  @Test
  void otherClassesAreLeftAlone() {
    SpringBatchLibrary library = new SpringBatchLibrary();
    assertNull(library.transform(null, "com/acme/Job", null, new byte[0]));
    assertNull(
        library.transform(
            null, "org/springframework/batch/core/step/item/SimpleChunk", null, new byte[0]));
  }

  private static int check(String version) throws Exception {
    List<JarFile> jars = new ArrayList<>();
    for (String p :
        Files.readString(Path.of(System.getProperty("it." + version + ".classpath")))
            .trim()
            .split(File.pathSeparator)) {
      if (p.contains("spring-batch-core")) {
        jars.add(new JarFile(p));
      }
    }
    assertEquals(1, jars.size(), "spring-batch-core on the class path of " + version);
    JarFile core = jars.get(0);
    SpringBatchLibrary library = new SpringBatchLibrary();
    int checked = 0;
    for (Map.Entry<String, List<MethodRule>> e : library.rulesByClass().entrySet()) {
      ZipEntry entry = core.getEntry(e.getKey() + ".class");
      if (entry == null) {
        assertEquals(
            "org/springframework/batch/core/step/item/ChunkOrientedStep",
            e.getKey(),
            "only 6.0's chunk-oriented step may be absent");
        continue;
      }
      byte[] bytes = core.getInputStream(entry).readAllBytes();
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
        assertEquals(1, selected.size(), rule + " on " + e.getKey() + ": " + selected);
        checked++;
      }
      byte[] woven = library.transform(null, e.getKey(), null, bytes);
      assertNotNull(woven, e.getKey());
    }
    core.close();
    return checked;
  }
}
