package dev.etlprofiler.report.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The byte-based line splitting and parsing must see exactly what BufferedReader + String parsing
 * saw: the same lines, and the same fields from every line the byte parser accepts.
 */
class LineReaderTest {
  private static List<String> viaBufferedReader(byte[] input) throws IOException {
    List<String> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new ByteArrayInputStream(input), StandardCharsets.UTF_8.newDecoder()))) {
      for (String l; (l = r.readLine()) != null; ) out.add(l);
    }
    return out;
  }

  private static List<String> viaLineReader(byte[] input, int chunk) throws IOException {
    InputStream in =
        new ByteArrayInputStream(input) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(
                b, off, Math.min(len, chunk)); // short reads split lines and \r\n pairs
          }
        };
    LineReader r = new LineReader(in);
    List<String> out = new ArrayList<>();
    while (r.next()) out.add(r.text());
    return out;
  }

  @Test
  void splitsLinesAsBufferedReaderDoes() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    String alphabet = "ab{}\"\n\r\r\n é€😀";
    for (int round = 0; round < 2000; round++) {
      StringBuilder s = new StringBuilder();
      int n = random.nextInt(0, round < 1000 ? 30 : 200_000);
      for (int i = 0; i < n; i++) {
        int c =
            alphabet.codePointAt(
                alphabet.offsetByCodePoints(
                    0, random.nextInt(alphabet.codePointCount(0, alphabet.length()))));
        s.appendCodePoint(c);
      }
      byte[] input = s.toString().getBytes(StandardCharsets.UTF_8);
      int chunk = random.nextInt(1, 5) == 1 ? random.nextInt(1, 8) : Integer.MAX_VALUE;
      assertEquals(viaBufferedReader(input), viaLineReader(input, chunk), s.toString());
      if (round >= 1000) round += 100; // a few long ones only
    }
  }

  @Test
  void aLineLongerThanTheLimitIsReportedByItsLengthAndTheNextLinesAreIntact() throws IOException {
    String input = "short\n" + "x".repeat(100) + "\r\n" + "after\r" + "y".repeat(50);
    for (int chunk : new int[] {1, 3, 7, Integer.MAX_VALUE}) {
      InputStream in =
          new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
              return super.read(b, off, Math.min(len, chunk));
            }
          };
      LineReader r = new LineReader(in, 10);
      List<String> out = new ArrayList<>();
      while (r.next()) out.add(r.tooLong ? "too long: " + r.length : r.text());
      assertEquals(
          List.of("short", "too long: 100", "after", "too long: 50"), out, "chunk " + chunk);
      assertTrue(r.bytes.length <= 64 << 10, "buffer " + r.bytes.length);
    }
  }

  @Test
  void malformedUtf8StillFailsTheRead() {
    byte[] input = "{\"a\":1}\n{\"b\":\"\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
    input[input.length - 4] = (byte) 0xff;
    assertThrows(CharacterCodingException.class, () -> viaBufferedReader(input));
    assertThrows(CharacterCodingException.class, () -> viaLineReader(input, Integer.MAX_VALUE));
  }

  /** What a parse gives, as text: the fields read, or the error message. */
  private static String outcome(ParseCall call) {
    try {
      LineParser.Line l = call.parse();
      StringBuilder s =
          new StringBuilder()
              .append(l.object)
              .append(l.format)
              .append(l.versionText)
              .append(l.version)
              .append(l.runId)
              .append(l.host)
              .append(l.pid)
              .append(l.startMillis)
              .append(l.endMillis)
              .append(l.jvmStartMillis)
              .append(l.isFinal);
      for (LineParser.Op op : l.operations) {
        s.append('|')
            .append(op.kind)
            .append(op.name)
            .append(op.path)
            .append(op.dataset)
            .append(op.source)
            .append(op.calls)
            .append(op.sampled)
            .append(op.timedCalls)
            .append(op.totalNanos)
            .append(op.maxNanos)
            .append(op.errors)
            .append(op.counters)
            .append(op.gauges)
            .append(op.histogram);
      }
      LineParser.Resources r = l.resources;
      if (r != null) {
        s.append('|')
            .append(r.cpuNanos)
            .append(r.cpuUserNanos)
            .append(r.cpuSystemNanos)
            .append(r.heapUsedPeakBytes)
            .append(r.heapMaxBytes)
            .append(r.rssPeakBytes)
            .append(r.threadsPeak)
            .append(r.availableProcessors)
            .append(r.diskReadBytes)
            .append(r.diskWriteBytes)
            .append(r.netRxBytes)
            .append(r.netTxBytes);
        r.gc.forEach(g -> s.append(List.of(g)));
      }
      return s.toString();
    } catch (JsonProcessingException e) {
      return "error: " + e.getOriginalMessage();
    } catch (IOException e) {
      return "io: " + e;
    }
  }

  interface ParseCall {
    LineParser.Line parse() throws IOException;
  }

  @Test
  void bytesParseAsTheirStringForEveryPrefixAndCorruptionOfARealLine() throws Exception {
    Path fixture = Path.of(getClass().getResource("/snapshots/v1/hello-1-jvm.jsonl").toURI());
    LineParser parser = new LineParser(new JsonFactory());
    SplittableRandom random = new SplittableRandom(11);
    String junk = "{}[]\",:0-1.5e9 tfnxul\\\t";
    for (String line : Files.readAllLines(fixture)) {
      List<String> variants = new ArrayList<>();
      for (int i = 0; i <= line.length(); i++) variants.add(line.substring(0, i));
      for (int i = 0; i < line.length(); i++) {
        variants.add(
            line.substring(0, i)
                + junk.charAt(random.nextInt(junk.length()))
                + line.substring(i + 1));
        variants.add(line.substring(0, i) + line.substring(i + 1));
      }
      for (String v : variants) {
        byte[] b = ("xx" + v).getBytes(StandardCharsets.US_ASCII);
        String fromBytes = outcome(() -> parser.parse(b, 2, b.length - 2));
        String fromText = outcome(() -> parser.parse(v));
        // the reader re-parses a line the byte parser rejects as a String, for the exact message
        if (fromBytes.startsWith("error: ")) {
          assertTrue(fromText.startsWith("error: "), v + " -> " + fromText);
        } else {
          assertEquals(fromText, fromBytes, v);
        }
      }
    }
  }
}
