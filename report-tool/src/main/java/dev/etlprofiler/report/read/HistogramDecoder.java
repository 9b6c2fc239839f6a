package dev.etlprofiler.report.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;

/**
 * Decodes an HdrHistogram in its compressed V2 encoding (the snapshots' {@code histogram} field)
 * into a list of non-zero buckets, without building an intermediate histogram. HdrHistogram's own
 * {@code decodeFromCompressedByteBuffer} allocates and zeroes a full histogram per call and {@code
 * add} walks all its buckets: profiled with JFR, the two took most of the report tool's time (33
 * MB/s of snapshots). Here the cost is proportional to the non-zero buckets. Reuses one Inflater
 * and buffer: one decoder per thread.
 *
 * <p>The target must have the snapshots' layout (1 ns unit, 2 significant digits); an encoding with
 * another layout is decoded through HdrHistogram itself.
 */
final class HistogramDecoder {
  private static final int V2_COMPRESSED_COOKIE = 0x1c849304;
  private static final int V2_ENCODING_COOKIE = 0x1c849303;
  private static final int HEADER =
      40; // cookie, payload length, offset, digits, lowest, highest, ratio
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * Counts in the snapshots' layout (1 ns … 1 h, 2 significant digits): 36 half-buckets of 128
   * sub-buckets, so values up to 2^42 - 1 ns. A bucket at or beyond this index cannot be added to
   * the merged histogram (HdrHistogram would throw halfway through a merge).
   */
  static final int COUNTS_LENGTH = 36 * 128;

  /** One more than the largest value the merged histograms hold: valueAt(COUNTS_LENGTH). */
  static final long VALUE_LIMIT = 1L << 42;

  /**
   * The most a histogram of the snapshots' layout inflates to: the 40-byte header and 9 bytes (the
   * longest ZigZag LEB128 word) for each of its {@link #COUNTS_LENGTH} counts. It is HdrHistogram's
   * own {@code getNeededByteBufferCapacity()} for that layout; a stream that inflates to more is
   * not a histogram (a deflate bomb of a few hundred KB inflates to gigabytes) and is not inflated
   * further.
   */
  static final int MAX_INFLATED = HEADER + 9 * COUNTS_LENGTH;

  /**
   * The same bound for the largest other layout read (up to 3 significant digits over 1 ns … 2^42
   * ns: 33,792 counts).
   */
  static final int MAX_INFLATED_OTHER_LAYOUT = HEADER + 9 * 33_792;

  private final Inflater inflater = new Inflater();
  private byte[] buffer = new byte[8192];
  private final byte[] probe = new byte[1];

  /**
   * The buckets of one decoded histogram, as the lowest value of each non-zero bucket and its
   * count: decoded first and added later, so that a line is merged only when all of it is good.
   */
  static final class Counts {
    long[] values = new long[64];
    long[] counts = new long[64];
    int[] owners = new int[64];
    int size;

    /** Whose buckets are being added: an index of the caller's (the line's operations). */
    int owner;

    /** Empties the list, giving back the memory of a large one. */
    void clear() {
      size = 0;
      if (values.length > 1 << 16) {
        values = new long[64];
        counts = new long[64];
        owners = new int[64];
      }
    }

    void add(long value, long count) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
        counts = java.util.Arrays.copyOf(counts, size * 2);
        owners = java.util.Arrays.copyOf(owners, size * 2);
      }
      values[size] = value;
      counts[size] = count;
      owners[size] = owner;
      size++;
    }

    /** Adds these counts to {@code into}, whoever they belong to. */
    void addTo(Histogram into) {
      for (int i = 0; i < size; i++) {
        into.recordValueWithCount(values[i], counts[i]);
      }
    }
  }

  private final Counts scratch = new Counts();

  /** Adds the encoded histogram's counts to {@code into}. */
  void addTo(String base64, Histogram into) throws DataFormatException {
    scratch.clear();
    decode(base64, scratch);
    scratch.addTo(into);
  }

  /**
   * Appends the encoded histogram's non-zero buckets to {@code out}. Inflates at most {@link
   * #MAX_INFLATED} bytes ({@link #MAX_INFLATED_OTHER_LAYOUT} for another layout): anything that is
   * not a histogram this tool can merge throws DataFormatException, with what is wrong in words.
   */
  void decode(String base64, Counts out) throws DataFormatException {
    byte[] compressed;
    try {
      compressed = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new DataFormatException("not base64 (" + e.getMessage() + ")");
    }
    // big-endian fields read straight from the arrays (two ByteBuffers per histogram showed in
    // the profile)
    if (compressed.length < 8
        || ((int) INT.get(compressed, 0) & ~0xf0) != (V2_COMPRESSED_COOKIE & ~0xf0)) {
      throw new DataFormatException("not an HdrHistogram in its compressed V2 encoding");
    }
    int length = (int) INT.get(compressed, 4);
    if (length < 0 || length > compressed.length - 8) {
      throw new DataFormatException(
          "its compressed length says "
              + length
              + " bytes where "
              + (compressed.length - 8)
              + " follow");
    }
    inflater.reset();
    inflater.setInput(compressed, 8, length);
    int n = inflate(0, HEADER);
    if (n < HEADER) {
      throw new DataFormatException("it inflates to " + n + " bytes, less than its header");
    }
    int encodingCookie = (int) INT.get(buffer, 0);
    int payloadLength = (int) INT.get(buffer, 4);
    int normalizingOffset = (int) INT.get(buffer, 8);
    int digits = (int) INT.get(buffer, 12);
    long lowest = (long) LONG.get(buffer, 16);
    long highest = (long) LONG.get(buffer, 24);
    // then the integer-to-double ratio (double)
    if ((encodingCookie & ~0xf0) != (V2_ENCODING_COOKIE & ~0xf0)) {
      throw new DataFormatException("not an HdrHistogram V2 encoding inside");
    }
    boolean ours = normalizingOffset == 0 && digits == 2 && lowest == 1;
    if (!ours
        && (digits < 0
            || digits > 3
            || lowest < 1
            || highest / 2 < lowest
            || highest >= VALUE_LIMIT)) {
      throw new DataFormatException(
          "its layout ("
              + digits
              + " significant digits, "
              + lowest
              + " … "
              + highest
              + ") is not one this tool reads: at most 3 digits within 1 … 2^42 - 1");
    }
    int limit = ours ? MAX_INFLATED : MAX_INFLATED_OTHER_LAYOUT;
    n = inflate(n, limit);
    if (payloadLength < 0 || payloadLength > n - HEADER) {
      throw new DataFormatException(
          "its payload length says " + payloadLength + " bytes where " + (n - HEADER) + " follow");
    }
    if (ours) {
      addCounts(buffer, HEADER, HEADER + payloadLength, n, out);
    } else {
      other(ByteBuffer.wrap(buffer, 0, n), out);
    }
  }

  /**
   * Inflates into {@code buffer[n, limit)} until the stream ends; returns the inflated length.
   * Throws when the stream is cut short, or would inflate to more than {@code limit} bytes.
   */
  private int inflate(int n, int limit) throws DataFormatException {
    if (buffer.length < limit) {
      buffer = java.util.Arrays.copyOf(buffer, limit);
    }
    while (!inflater.finished()) {
      if (n == limit) {
        if (limit == HEADER) {
          break; // the header only, for now
        }
        if (inflater.inflate(probe) > 0) {
          throw new DataFormatException(
              "it inflates to more than "
                  + limit
                  + " bytes, the most a histogram of its layout takes (a deflate bomb?)");
        }
        if (inflater.needsInput() || inflater.needsDictionary()) {
          throw new DataFormatException("its compressed data is cut short");
        }
        continue; // the end of the stream, or a block header
      }
      int got = inflater.inflate(buffer, n, limit - n);
      if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
        throw new DataFormatException("its compressed data is cut short");
      }
      n += got;
    }
    return n;
  }

  /**
   * Appends the ZigZag LEB128 counts in {@code b[position, end)} (a negative one is a run of empty
   * buckets) to {@code out}. Reads the array directly: through a ByteBuffer, its bounds checks and
   * calls took more time than the decoding. Reading at or past {@code limit} (the inflated length)
   * throws.
   */
  private static void addCounts(byte[] b, int position, int end, int limit, Counts out)
      throws DataFormatException {
    int index = 0;
    while (position < end) {
      if (position >= limit) {
        throw new DataFormatException("its counts end inside a number");
      }
      long v;
      int c = b[position++];
      if (c >= 0) {
        v = c; // one byte: the common case
      } else {
        v = c & 0x7f;
        int shift = 7;
        for (int i = 1; ; i++) {
          if (position >= limit) {
            throw new DataFormatException("its counts end inside a number");
          }
          c = b[position++];
          if (i == 8) {
            v |= ((long) (c & 0xff)) << 56;
            break;
          }
          v |= ((long) (c & 0x7f)) << shift;
          if (c >= 0) {
            break;
          }
          shift += 7;
        }
      }
      long count = (v >>> 1) ^ -(v & 1);
      if (count < 0) {
        if (count < -COUNTS_LENGTH) {
          throw new DataFormatException("a run of " + -count + " empty buckets");
        }
        index += (int) -count; // a run of empty buckets
      } else {
        if (index >= COUNTS_LENGTH && count > 0) {
          throw new DataFormatException("a latency beyond the histogram's range (1 ns … 1 h)");
        }
        if (count > 0) {
          out.add(valueAt(index), count);
        }
        index++;
      }
    }
  }

  /** A histogram of another layout (already inflated, and small), through HdrHistogram. */
  private static void other(ByteBuffer encoded, Counts out) throws DataFormatException {
    Histogram h;
    try {
      h = Histogram.decodeFromByteBuffer(encoded, 0);
    } catch (RuntimeException e) {
      throw new DataFormatException("HdrHistogram cannot decode it (" + e + ")");
    }
    for (org.HdrHistogram.HistogramIterationValue v : h.recordedValues()) {
      long value = h.lowestEquivalentValue(v.getValueIteratedTo());
      if (value >= VALUE_LIMIT || value < 0) {
        throw new DataFormatException("a latency beyond the histogram's range (1 ns … 1 h)");
      }
      out.add(value, v.getCountAtValueIteratedTo());
    }
  }

  /** The lowest value of a counts index in the 2-significant-digit, 1 ns layout. */
  static long valueAt(int index) {
    int bucket = (index >> 7) - 1;
    int subBucket = (index & 127) + 128;
    if (bucket < 0) {
      subBucket -= 128;
      bucket = 0;
    }
    return (long) subBucket << bucket;
  }
}
