package dev.etlprofiler.report.read;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a UTF-8 stream into lines as bytes, without making a String of each line: the lines end
 * where {@link java.io.BufferedReader#readLine} ends them ({@code \n}, {@code \r} or {@code \r\n};
 * a last line without one counts). After {@link #next} the line is {@link #bytes} from {@link
 * #start} for {@link #length} bytes, valid until the next call. Memory is one buffer that grows to
 * the longest line, as readLine's StringBuilder did, but never past the limit given: a longer line
 * is read past and reported as {@link #tooLong}.
 */
final class LineReader {
  private static final int SIZE = 64 * 1024;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LF = 0x0a0a0a0a0a0a0a0aL;
  private static final long CR = 0x0d0d0d0d0d0d0d0dL;
  private final InputStream in;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8.newDecoder(); // reports malformed input
  byte[] bytes = new byte[SIZE];
  int start;
  int length;

  /** Whether the current line is all ASCII (no byte >= 0x80). */
  boolean ascii;

  private int limit; // bytes[0, limit) hold read input
  private int next; // where the next line starts
  private boolean eof;
  private boolean skipLf; // the last line ended with \r: a \n right after it belongs to it

  /**
   * Whether the current line is longer than the limit: then only its {@link #length} (in bytes) is
   * known, its bytes were read past and dropped.
   */
  boolean tooLong;

  private final int maxLine;

  LineReader(InputStream in) {
    this(in, Integer.MAX_VALUE - 16);
  }

  /** A reader that holds at most {@code maxLine + 1} bytes of a line. */
  LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  /** Moves to the next line; false at the end of the input. */
  boolean next() throws IOException {
    tooLong = false;
    int from = next;
    int scanned = from; // bytes[from, scanned) hold no line end
    int highBits = 0;
    while (true) {
      if (skipLf) {
        if (from == limit && !fill(from)) {
          return false;
        }
        from = next;
        scanned = from;
        skipLf = false;
        if (bytes[from] == '\n') {
          from++;
          scanned++;
        }
        continue;
      }
      byte[] b = bytes;
      int end = limit;
      int i = scanned;
      // eight bytes at a time while none is a line end; the byte loop below finds which one is
      for (; i <= end - 8; i += 8) {
        long w = (long) LONGS.get(b, i);
        if (hasZeroByte(w ^ LF) || hasZeroByte(w ^ CR)) {
          break;
        }
        highBits |= (int) (w >>> 32) | (int) w;
      }
      for (; i < end; i++) {
        int c = b[i];
        if (c == '\n' || c == '\r') {
          break;
        }
        highBits |= c;
      }
      highBits &= 0x80808080; // a word's bytes: only their top bits tell
      if (i < end) {
        start = from;
        length = i - from;
        ascii = highBits == 0;
        next = i + 1;
        skipLf = b[i] == '\r';
        return length <= maxLine || skipped(length);
      }
      int kept = end - from;
      if (kept > maxLine) {
        return skipRestOfLine(kept);
      }
      if (!fill(from)) {
        if (kept == 0) {
          return false;
        }
        start = next;
        length = kept;
        ascii = highBits == 0;
        next = start + kept;
        return kept <= maxLine || skipped(kept);
      }
      from = next;
      scanned = from + kept;
    }
  }

  /**
   * Drops the current line, {@code seen} bytes of it so far with no end in them, reading on to its
   * end without keeping what is read; reports it as {@link #tooLong}.
   */
  private boolean skipRestOfLine(long seen) throws IOException {
    long total = seen;
    limit = 0;
    while (fill(0)) { // with nothing kept: gives a grown buffer back, then reads
      for (int i = 0; i < limit; i++) {
        byte c = bytes[i];
        if (c == '\n' || c == '\r') {
          next = i + 1;
          skipLf = c == '\r';
          return skipped(total + i);
        }
      }
      total += limit;
      limit = 0;
    }
    return skipped(total);
  }

  private boolean skipped(long total) {
    tooLong = true;
    start = 0;
    length = (int) Math.min(Integer.MAX_VALUE, total);
    ascii = true;
    return true;
  }

  /** Whether some byte of {@code w} is zero (exact; the classic bit trick). */
  private static boolean hasZeroByte(long w) {
    return ((w - 0x0101010101010101L) & ~w & 0x8080808080808080L) != 0;
  }

  /**
   * Moves bytes[from, limit) to the front (growing the buffer when it is full) and reads more after
   * it; false when there is no more input. Sets {@link #next} to where bytes[from] went.
   */
  private boolean fill(int from) throws IOException {
    int kept = limit - from;
    if (from > 0) {
      System.arraycopy(bytes, from, bytes, 0, kept);
    } else if (kept == bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(bytes.length * 2L, maxLine + 1L));
    }
    if (bytes.length > SIZE && kept < SIZE / 2) {
      bytes = Arrays.copyOf(bytes, SIZE); // a long line is over: give its memory back
    }
    next = 0;
    limit = kept;
    if (eof) {
      return false;
    }
    int n = in.read(bytes, kept, bytes.length - kept);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }

  /**
   * The current line as a String, decoded as strictly as BufferedReader did: malformed input throws
   * {@link InvalidUtf8}, which says where.
   */
  String text() throws InvalidUtf8 {
    if (ascii) {
      return new String(bytes, start, length, StandardCharsets.ISO_8859_1);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, start, length);
    CharBuffer out = CharBuffer.allocate(length); // UTF-8 never has more chars than bytes
    utf8.reset();
    CoderResult result = utf8.decode(in, out, true);
    if (!result.isError()) {
      result = utf8.flush(out);
    }
    if (result.isError()) {
      int at = in.position(); // where the malformed sequence starts
      throw new InvalidUtf8(at - start, bytes[at] & 0xff);
    }
    return out.flip().toString();
  }

  /** A line that is not valid UTF-8: the first bad byte and its offset in the line (from 0). */
  static final class InvalidUtf8 extends CharacterCodingException {
    final int offset;
    final int value;

    InvalidUtf8(int offset, int value) {
      this.offset = offset;
      this.value = value;
    }

    @Override
    public String getMessage() {
      return String.format(
          "not valid UTF-8 (byte 0x%02x at byte %d of the line)", value, offset + 1);
    }
  }
}
