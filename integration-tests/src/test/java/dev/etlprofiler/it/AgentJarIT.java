package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.harness.ForkedJvm;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * Pins what an application could load from the agent jar: only our own classes at the root (the
 * bootstrap part and relocated HdrHistogram); every third-party class hidden under inst/ (or in the
 * nested inst/lib.jar) as .classdata.
 */
class AgentJarIT {
  /** Loadable by every class loader: the premain, the recording core and relocated HdrHistogram. */
  private static final Set<String> ROOT_PACKAGES =
      Set.of(
          "dev/etlprofiler/bootstrap",
          "dev/etlprofiler/core",
          "dev/etlprofiler/core/camel",
          "dev/etlprofiler/core/flink",
          "dev/etlprofiler/core/http",
          "dev/etlprofiler/core/jdbc",
          "dev/etlprofiler/core/kafka",
          "dev/etlprofiler/core/kafkastreams",
          "dev/etlprofiler/core/spark",
          "dev/etlprofiler/core/springbatch",
          "dev/etlprofiler/shaded/hdrhistogram",
          "dev/etlprofiler/shaded/hdrhistogram/packedarray");

  /** Hidden under inst/, loaded at start-up: the agent's own packages and ASM. */
  private static final Set<String> INST_PACKAGES =
      Set.of(
          "dev/etlprofiler/agent",
          "dev/etlprofiler/agent/budget",
          "dev/etlprofiler/agent/config",
          "dev/etlprofiler/agent/instrument",
          "dev/etlprofiler/agent/instrument/camel",
          "dev/etlprofiler/agent/instrument/etl",
          "dev/etlprofiler/agent/instrument/flink",
          "dev/etlprofiler/agent/instrument/http",
          "dev/etlprofiler/agent/instrument/jdbc",
          "dev/etlprofiler/agent/instrument/kafka",
          "dev/etlprofiler/agent/instrument/kafkastreams",
          "dev/etlprofiler/agent/instrument/spark",
          "dev/etlprofiler/agent/instrument/springbatch",
          "dev/etlprofiler/agent/instrument/weave",
          "dev/etlprofiler/agent/resources",
          "dev/etlprofiler/agent/snapshot",
          "net/bytebuddy/jar/asm",
          "net/bytebuddy/jar/asm/commons",
          "net/bytebuddy/jar/asm/signature");

  /**
   * Hidden in inst/lib.jar, loaded on demand: the libraries the agent is built from, by the root of
   * their packages (multi-release classes under META-INF/versions).
   */
  private static final Set<String> LIB_ROOTS =
      Set.of(
          "com/fasterxml/jackson/",
          "com/sun/jna/",
          "net/bytebuddy/",
          "org/slf4j/",
          "org/yaml/snakeyaml/",
          "oshi/",
          "META-INF/versions/");

  @Test
  void holdsNoLoadableThirdPartyClass() throws Exception {
    Set<String> rootPackages = new TreeSet<>();
    Set<String> instPackages = new TreeSet<>();
    try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      for (String name : names) {
        if (name.endsWith(".class")) {
          assertTrue(
              name.startsWith("dev/etlprofiler/"),
              "loadable class outside dev/etlprofiler: " + name);
          rootPackages.add(name.substring(0, name.lastIndexOf('/')));
        }
        if (name.startsWith("inst/")) {
          assertTrue(!name.endsWith(".class"), "hidden classes must be .classdata: " + name);
          if (name.endsWith(".classdata")) {
            instPackages.add(name.substring("inst/".length(), name.lastIndexOf('/')));
          }
        }
      }
      assertTrue(names.contains("inst/dev/etlprofiler/agent/AgentInstaller.classdata"));
      assertTrue(
          names.contains("inst/net/bytebuddy/jar/asm/ClassReader.classdata"),
          "ASM, for start-up weaving");
      assertTrue(
          names.size() < 500,
          "few entries: every JVM reads the whole directory at start-up; " + names.size());
      // the libraries not needed at start-up, in one nested jar, also as .classdata only
      Set<String> lib = new TreeSet<>();
      try (java.util.zip.ZipInputStream in =
          new java.util.zip.ZipInputStream(jar.getInputStream(jar.getEntry("inst/lib.jar")))) {
        for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
          assertTrue(
              !e.getName().endsWith(".class"), "hidden classes must be .classdata: " + e.getName());
          lib.add(e.getName());
          if (e.getName().endsWith(".classdata")) {
            assertTrue(
                LIB_ROOTS.stream().anyMatch(e.getName()::startsWith),
                "a class of a library the agent does not declare: " + e.getName());
          }
        }
      }
      for (String root : LIB_ROOTS) {
        assertTrue(
            lib.stream().anyMatch(n -> n.startsWith(root) && n.endsWith(".classdata")),
            "classes under " + root);
      }
      assertTrue(lib.contains("net/bytebuddy/ByteBuddy.classdata"));
      assertTrue(lib.contains("com/fasterxml/jackson/core/JsonFactory.classdata"));
      assertTrue(lib.contains("oshi/SystemInfo.classdata"));
      assertTrue(lib.contains("com/sun/jna/Native.classdata"));
      Manifest m = jar.getManifest();
      assertEquals(
          "dev.etlprofiler.bootstrap.AgentPremain",
          m.getMainAttributes().getValue("Premain-Class"));
      assertEquals(
          "dev.etlprofiler.bootstrap.AgentPremain", m.getMainAttributes().getValue("Agent-Class"));
      assertEquals("profiler-agent.jar", m.getMainAttributes().getValue("Boot-Class-Path"));
    }
    assertEquals(ROOT_PACKAGES, rootPackages);
    assertEquals(INST_PACKAGES, instPackages);
  }
}
