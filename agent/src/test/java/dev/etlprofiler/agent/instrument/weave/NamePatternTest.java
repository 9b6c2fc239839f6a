package dev.etlprofiler.agent.instrument.weave;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamePatternTest {
  @Test
  void singleStarStaysWithinOnePackageSegment() {
    assertTrue(NamePattern.matches("com.acme.*Stage", "com.acme.ParseStage"));
    assertFalse(NamePattern.matches("com.acme.*Stage", "com.acme.sub.ParseStage"));
  }

  @Test
  void doubleStarCrossesSegments() {
    assertTrue(NamePattern.matches("com.acme.**", "com.acme.sub.ParseStage"));
    assertTrue(NamePattern.matches("**.Job$*", "com.acme.Job$Step"));
    assertFalse(NamePattern.matches("com.acme.**", "com.acmex.Job"));
  }

  @Test
  void aClassPatternWithoutADotNamesTheSimpleNameInAnyPackage() {
    assertTrue(NamePattern.matchesClass("*Test", "com.acme.etl.ParseTest"));
    assertTrue(NamePattern.matchesClass("*Test", "ParseTest"));
    assertTrue(NamePattern.matchesClass("Job$*", "com.acme.Job$Step"));
    assertFalse(NamePattern.matchesClass("*Test", "com.acme.TestData"));
    assertFalse(NamePattern.matchesClass("*Test", "com.acme.ParseTest$Fixture"));
    assertFalse(NamePattern.matchesClass("Parse", "com.acme.Parser"));
    // with a dot, the pattern is the whole name, as before
    assertFalse(NamePattern.matchesClass("acme.*Test", "com.acme.ParseTest"));
    assertTrue(NamePattern.matchesClass("com.acme.*Test", "com.acme.ParseTest"));
    // method patterns have no packages: the plain form
    assertFalse(NamePattern.matches("*Test", "com.acme.ParseTest"));
  }

  @Test
  void otherCharactersAreLiteral() {
    assertTrue(NamePattern.matches("a.B$C", "a.B$C"));
    assertFalse(NamePattern.matches("a.B", "aXB"));
    assertTrue(NamePattern.matches("read?", "readX"));
    assertFalse(NamePattern.matches("read?", "read"));
  }

  @Test
  void aSingleStarInAClassPatternStaysWithinOneNestingLevel() {
    assertTrue(NamePattern.matchesClass("Job$*", "com.acme.Job$Parse"));
    assertFalse(
        NamePattern.matchesClass("Job$*", "com.acme.Job$Parse$DoFnInvoker$ByteBuddy$abc"),
        "classes a framework generates inside the user's are not the user's");
    assertTrue(NamePattern.matchesClass("Job$**", "com.acme.Job$Parse$Inner"));
    assertTrue(NamePattern.matchesClass("com.acme.Job$*", "com.acme.Job$Parse"));
    assertFalse(NamePattern.matchesClass("com.acme.Job$*", "com.acme.Job$Parse$Gen"));
    assertTrue(
        NamePattern.matchesClass("*Stage", "com.acme.Job$ParseStage"),
        "a pattern without a dot names the simple name, nested too");
    assertTrue(NamePattern.matchesClass("*Stage", "com.acme.ParseStage"));
    assertFalse(NamePattern.matchesClass("*Stage", "com.acme.ParseStage$1"));
  }
}
