package dev.etlprofiler.report.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The last line of defence: a command that runs out of memory ends with a message, not a trace. */
class MainGuardTest {
  @Test
  void runningOutOfMemoryEndsWithAMessageAndExitCodeTwo() {
    PrintStream err = System.err;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(e, true));
      int code =
          Main.guarded(
              () -> {
                throw new OutOfMemoryError("Java heap space");
              });
      assertEquals(Main.BAD_INPUT, code);
    } finally {
      System.setErr(err);
    }
    assertEquals(
        "error: out of memory (Java heap space); give the report tool more heap, e.g. java"
            + " -Xmx1g -jar report-tool.jar ...\n",
        e.toString());
  }
}
