package dev.etlprofiler.report.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Gaps and repeats in a JVM's interval numbers, from lines in any order. */
class SequencesTest {
  private static List<String> of(long... seqs) {
    Sequences s = new Sequences("f");
    for (int i = 0; i < seqs.length; i++) s.add(seqs[i], i + 1);
    return s.warnings();
  }

  @Test
  void aCompleteSequenceInAnyOrderHasNoWarning() {
    assertEquals(List.of(), of(0, 1, 2, 3));
    assertEquals(List.of(), of(3, 1, 0, 2), "ranges joined from both sides");
    assertEquals(List.of(), of());
  }

  @Test
  void gapsAreListedFromZeroWithSingleNumbersAndRanges() {
    assertEquals(
        List.of("f: 4 interval(s) missing, seq 0, 2–3, 5; the report lacks their figures"),
        of(6, 1, 4));
  }

  @Test
  void repeatsAreCountedAndTheFirstNamed() {
    assertEquals(
        List.of(
            "f: 2 interval(s) read more than once (seq 1 again at line 3);"
                + " the report counts them each time"),
        of(0, 1, 1, 0));
  }

  @Test
  void aWarningListsTenGapsAndCountsTheRest() {
    long[] odd = new long[13];
    for (int i = 0; i < odd.length; i++) odd[i] = 2 * i + 1;
    assertEquals(
        List.of(
            "f: 13 interval(s) missing, seq 0, 2, 4, 6, 8, 10, 12, 14, 16, 18 and 3 more gap(s);"
                + " the report lacks their figures"),
        of(odd));
  }

  @Test
  void tooScatteredNumbersStopBeingTracked() {
    Sequences s = new Sequences("f");
    for (int i = 0; i <= Sequences.MAX_RANGES; i++) s.add(2L * i, i + 1);
    assertEquals(
        List.of(
            "f: its interval numbers (seq) are too scattered to list the missing ones (more than"
                + " 10000 gaps)"),
        s.warnings());
  }
}
