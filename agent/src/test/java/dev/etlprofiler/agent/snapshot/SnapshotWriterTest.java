package dev.etlprofiler.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {
  private static RunInfo run(String runId, String host) {
    return new RunInfo(runId, host, 4242, "17", "test", "0.1.0", Map.of(), 0L);
  }

  @Test
  void theFileIsAlwaysInsideTheOutputDirectory(@TempDir Path dir) {
    Path out = dir.resolve("out");
    for (String[] idAndHost :
        List.of(
            new String[] {"..", "etl-7"},
            new String[] {".", "etl-7"},
            new String[] {"../..", "etl-7"},
            new String[] {"/abs", "etl-7"},
            new String[] {"", "etl-7"},
            new String[] {"run", "../../etc"},
            new String[] {"run", ".."},
            new String[] {"run", "h".repeat(1000)},
            new String[] {"a\u0000b", "h\nx"})) {
      Path file = new SnapshotWriter(run(idAndHost[0], idAndHost[1]), out, null, 0).file();
      String what = String.join(" / ", idAndHost) + " -> " + file;
      assertEquals(out, file.getParent().getParent(), what);
      String runDir = file.getParent().getFileName().toString();
      String name = file.getFileName().toString();
      for (String part : List.of(runDir, name)) {
        assertTrue(part.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}"), what);
        assertTrue(!part.contains(".."), what);
      }
      assertTrue(name.endsWith("-4242.jsonl"), what);
    }
    Path kept = new SnapshotWriter(run("nightly-7", "etl-7.example.com"), out, null, 0).file();
    assertEquals(out.resolve("nightly-7").resolve("etl-7.example.com-4242.jsonl"), kept);
  }

  /** A disk with {@link #free} bytes left: a write that does not fit writes what fits, fails. */
  static final class Disk implements SnapshotWriter.Opener {
    long free = Long.MAX_VALUE;
    boolean truncateFails;

    @Override
    public RandomAccessFile open(File file) throws IOException {
      return new DiskFile(file, this);
    }
  }

  static final class DiskFile extends RandomAccessFile {
    private final Disk disk;

    DiskFile(File file, Disk disk) throws FileNotFoundException {
      super(file, "rw");
      this.disk = disk;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > disk.free) {
        super.write(b, off, (int) disk.free);
        disk.free = 0;
        throw new IOException("No space left on device");
      }
      super.write(b, off, len);
      disk.free -= len;
    }

    @Override
    public void write(byte[] b) throws IOException {
      write(b, 0, b.length);
    }

    @Override
    public void setLength(long newLength) throws IOException {
      if (disk.truncateFails) {
        throw new IOException("cannot truncate");
      }
      super.setLength(newLength);
    }
  }

  private static SnapshotWriter writer(Path dir, Disk disk, long maxUnwritten) {
    return new SnapshotWriter(run("r", "h"), dir, null, 0, disk, maxUnwritten);
  }

  /** The file's lines, each checked to be one complete JSON object; fails on anything else. */
  private static List<String> lines(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(text.isEmpty() || text.endsWith("\n"), "ends with a complete line: " + text);
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      try (JsonParser p = new JsonFactory().createParser(line)) {
        assertEquals(JsonToken.START_OBJECT, p.nextToken(), line);
        p.skipChildren();
        assertEquals(null, p.nextToken(), "one object on the line: " + line);
      }
      out.add(line);
    }
    return out;
  }

  private static List<Integer> seqs(List<String> lines) {
    List<Integer> out = new ArrayList<>();
    for (String line : lines) {
      int at = line.indexOf("\"seq\":") + 6;
      int end = at;
      while (Character.isDigit(line.charAt(end))) end++;
      out.add(Integer.parseInt(line.substring(at, end)));
    }
    return out;
  }

  @Test
  void aWriteThatFailsHalfwayLeavesNoPartialLineAndEveryIntervalIsWrittenOnceSpaceReturns(
      @TempDir Path dir) throws Exception {
    Disk disk = new Disk();
    SnapshotWriter w = writer(dir, disk, 1 << 20);
    assertTrue(w.writeInterval(false));
    assertTrue(w.writeInterval(false));
    long complete = Files.size(w.file());
    disk.free = 100; // less than a line
    assertFalse(w.writeInterval(false), "interval 2 did not fit");
    assertEquals(complete, Files.size(w.file()), "the part of interval 2 that fit is removed");
    disk.free = 0;
    assertFalse(w.writeInterval(false));
    assertFalse(w.writeInterval(false));
    assertEquals(List.of(0, 1), seqs(lines(w.file())));
    disk.free = Long.MAX_VALUE;
    assertTrue(w.writeInterval(true));
    assertEquals(List.of(0, 1, 2, 3, 4, 5), seqs(lines(w.file())));
  }

  @Test
  void aPartialLineThatCouldNotBeTruncatedIsRemovedBeforeTheNextWrite(@TempDir Path dir)
      throws Exception {
    Disk disk = new Disk();
    SnapshotWriter w = writer(dir, disk, 1 << 20);
    assertTrue(w.writeInterval(false));
    disk.free = 50;
    disk.truncateFails = true;
    assertFalse(w.writeInterval(false));
    disk.free = Long.MAX_VALUE;
    disk.truncateFails = false;
    assertTrue(w.writeInterval(false));
    assertEquals(List.of(0, 1, 2), seqs(lines(w.file())));
  }

  @Test
  void intervalsThatCannotBeWrittenAreKeptUpToTheLimitAndTheDroppedOnesCounted(@TempDir Path dir)
      throws Exception {
    Disk disk = new Disk();
    SnapshotWriter probe = writer(dir.resolve("probe"), disk, 1 << 20);
    probe.writeInterval(false);
    long lineBytes = Files.size(probe.file());
    SnapshotWriter w = writer(dir.resolve("out"), disk, 3 * lineBytes + lineBytes / 2);
    disk.free = 0;
    for (int i = 0; i < 10; i++) {
      assertFalse(w.writeInterval(false));
    }
    disk.free = Long.MAX_VALUE;
    assertTrue(w.writeInterval(false));
    List<String> lines = lines(w.file());
    // the newest three intervals (3.5 lines fit), 10 the one just added; 0 to 7 were dropped
    assertEquals(List.of(8, 9, 10), seqs(lines));
    assertTrue(lines.get(0).contains("\"droppedIntervals\":8}}"), lines.get(0));
    assertFalse(lines.get(1).contains("droppedIntervals"), lines.get(1));
    assertTrue(w.writeInterval(false));
    assertFalse(lines(w.file()).get(3).contains("droppedIntervals"));
  }

  @Test
  void aFileEndingInAPartialLineIsContinuedOnANewLine(@TempDir Path dir) throws Exception {
    SnapshotWriter w = writer(dir, new Disk(), 1 << 20);
    Files.createDirectories(w.file().getParent());
    Files.writeString(w.file(), "{\"seq\":99,\"partial");
    assertTrue(w.writeInterval(false));
    String text = Files.readString(w.file());
    assertTrue(text.startsWith("{\"seq\":99,\"partial\n{\"format\""), text);
    assertTrue(text.endsWith("}\n"), text);
  }

  /**
   * Two JVMs can share a file name (one host name, both pid 1 in their containers, one run id on a
   * shared volume): what the other writes is kept, as it was when lines were appended.
   */
  @Test
  void linesAnotherProcessAppendsToTheSameFileAreKept(@TempDir Path dir) throws Exception {
    SnapshotWriter w = writer(dir, new Disk(), 1 << 20);
    assertTrue(w.writeInterval(false));
    String other = "{\"format\":\"etl-profiler-snapshot\",\"seq\":70}\n";
    Files.writeString(w.file(), other, java.nio.file.StandardOpenOption.APPEND);
    assertTrue(w.writeInterval(false));
    assertEquals(List.of(0, 70, 1), seqs(lines(w.file())));
    Files.writeString(w.file(), "{\"seq\":71", java.nio.file.StandardOpenOption.APPEND);
    assertTrue(w.writeInterval(false));
    String text = Files.readString(w.file());
    assertTrue(text.contains("\n{\"seq\":71\n{\"format\""), "its partial line is left: " + text);
  }

  @Test
  void aFileRemovedWhileTheJobRunsIsStartedAgainWithoutAHole(@TempDir Path dir) throws Exception {
    SnapshotWriter w = writer(dir, new Disk(), 1 << 20);
    assertTrue(w.writeInterval(false));
    assertTrue(w.writeInterval(false));
    Files.delete(w.file());
    assertTrue(w.writeInterval(false));
    byte[] bytes = Files.readAllBytes(w.file());
    assertEquals('{', bytes[0], "no hole of zeros where the old lines were");
    assertEquals(List.of(2), seqs(lines(w.file())));
  }
}
