package dev.etlprofiler.report.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferUnderflowException;
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

  private final Inflater inflater = new Inflater();
  private byte[] buffer = new byte[8192];

  /**
   * The buckets of one decoded histogram, as the lowest value of each non-zero bucket and its
   * count: decoded first and added later, so that a line is merged only when all of it is good.
   */
  static final class Counts {
    long[] values = new long[64];
    long[] counts = new long[64];
    int size;

    void clear() {
      size = 0;
    }

    void add(long value, long count) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
        counts = java.util.Arrays.copyOf(counts, size * 2);
      }
      values[size] = value;
      counts[size] = count;
      size++;
    }

    /** Adds these counts to {@code into}. */
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

  /** Appends the encoded histogram's non-zero buckets to {@code out}. */
  void decode(String base64, Counts out) throws DataFormatException {
    byte[] compressed = Base64.getDecoder().decode(base64);
    // big-endian fields read straight from the arrays (two ByteBuffers per histogram showed in
    // the profile); too short an array throws BufferUnderflowException, as the ByteBuffers did
    if (compressed.length < 4) {
      throw new BufferUnderflowException();
    }
    int cookie = (int) INT.get(compressed, 0);
    if ((cookie & ~0xf0) != (V2_COMPRESSED_COOKIE & ~0xf0)) {
      fallback(ByteBuffer.wrap(compressed), out);
      return;
    }
    if (compressed.length < 8) {
      throw new BufferUnderflowException();
    }
    int length = (int) INT.get(compressed, 4);
    inflater.reset();
    inflater.setInput(compressed, 8, length);
    int n = 0;
    while (!inflater.finished()) {
      if (n == buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
      }
      int got = inflater.inflate(buffer, n, buffer.length - n);
      if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
        throw new DataFormatException("truncated histogram");
      }
      n += got;
    }
    if (n < HEADER) {
      throw new BufferUnderflowException();
    }
    int encodingCookie = (int) INT.get(buffer, 0);
    int payloadLength = (int) INT.get(buffer, 4);
    int normalizingOffset = (int) INT.get(buffer, 8);
    int digits = (int) INT.get(buffer, 12);
    long lowest = (long) LONG.get(buffer, 16);
    // then the highest trackable value (long) and the integer-to-double ratio (double)
    if ((encodingCookie & ~0xf0) != (V2_ENCODING_COOKIE & ~0xf0)
        || normalizingOffset != 0
        || digits != 2
        || lowest != 1) {
      fallback(ByteBuffer.wrap(compressedCopy(base64)), out);
      return;
    }
    addCounts(buffer, HEADER, HEADER + payloadLength, n, out);
  }

  /**
   * Appends the ZigZag LEB128 counts in {@code b[position, end)} (a negative one is a run of empty
   * buckets) to {@code out}. Reads the array directly: through a ByteBuffer, its bounds checks and
   * calls took more time than the decoding. As with the ByteBuffer, reading at or past {@code
   * limit} (the inflated length) throws BufferUnderflowException.
   */
  private static void addCounts(byte[] b, int position, int end, int limit, Counts out)
      throws DataFormatException {
    int index = 0;
    while (position < end) {
      if (position >= limit) {
        throw new BufferUnderflowException();
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
            throw new BufferUnderflowException();
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

  private static byte[] compressedCopy(String base64) {
    return Base64.getDecoder().decode(base64);
  }

  private static void fallback(ByteBuffer encoded, Counts out) throws DataFormatException {
    encoded.rewind();
    Histogram h = Histogram.decodeFromCompressedByteBuffer(encoded, 0);
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
