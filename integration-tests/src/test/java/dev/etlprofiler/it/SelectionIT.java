package dev.etlprofiler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.etlprofiler.it.apps.selection.SelectionApp;
import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.Snapshots;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing what to profile: interfaces (also indirect), annotations, class patterns, exclusions.
 */
class SelectionIT {
  @Test
  void selectsByInterfaceAnnotationAndPatternAndHonoursExclusions(@TempDir Path dir)
      throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .config(
                """
            instrument:
              targets:
                - subtypes-of: [dev.etlprofiler.it.apps.selection.ItemProcessor]
                  methods: [process]
                - annotated-with: [dev.etlprofiler.it.apps.selection.SelectionApp$EtlStep]
                - classes: ["dev.etlprofiler.it.apps.selection.SelectionApp$*Sink"]
                  exclude-methods: [flush]
              exclude:
                classes: ["**.SelectionApp$Ignored*"]
            """)
            .main(SelectionApp.class)
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    Snapshots s = r.snapshots();
    assertEquals(10, s.calls("SelectionApp$UpperProcessor.process"));
    assertEquals(
        10,
        s.calls("SelectionApp$TrimProcessor.process"),
        "implements the interface through a base class");
    assertEquals(0, s.calls("SelectionApp$TrimProcessor.helper"), "not in methods:");
    assertEquals(10, s.calls("SelectionApp$Deduplicate.run"));
    assertEquals(10, s.calls("SelectionApp$FileSink.run"));
    assertEquals(0, s.calls("SelectionApp$FileSink.flush"), "exclude-methods");
    assertEquals(0, s.calls("SelectionApp$IgnoredSink.run"), "exclude.classes");
    assertEquals(0, s.calls("SelectionApp.main"));
  }

  @Test
  void aPatternWithoutADotNamesClassesByTheirSimpleNameInAnyPackage(@TempDir Path dir)
      throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .config(
                """
            instrument:
              annotations: false
              targets:
                - classes: ["SelectionApp$*Sink"]
                  methods: [run]
              exclude:
                classes: ["*$IgnoredSink"]
            """)
            .main(SelectionApp.class)
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    Snapshots s = r.snapshots();
    assertEquals(
        10,
        s.calls("SelectionApp$FileSink.run"),
        "dev.etlprofiler.it.apps.selection.SelectionApp$FileSink");
    assertEquals(0, s.calls("SelectionApp$IgnoredSink.run"), "excluded by its simple name");
    assertEquals(0, s.calls("SelectionApp$Deduplicate.run"), "not a *Sink");
  }
}
