package dev.etlprofiler.report.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The fast decoder must add exactly what HdrHistogram's own decode + add would. */
class HistogramDecoderTest {
  private static String encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
  }

  @Test
  void addsExactlyWhatHdrHistogramDecodes() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    HistogramDecoder decoder = new HistogramDecoder();
    Histogram fast = new Histogram(1, 3_600_000_000_000L, 2);
    Histogram reference = new Histogram(1, 3_600_000_000_000L, 2);
    for (int round = 0; round < 200; round++) {
      Histogram h = new Histogram(1, 3_600_000_000_000L, 2);
      int values = random.nextInt(1, 2000);
      for (int i = 0; i < values; i++) {
        int magnitude = random.nextInt(40);
        h.recordValueWithCount(
            random.nextLong(1L << magnitude, 2L << magnitude), random.nextLong(1, 1_000_000));
      }
      String encoded = encode(h);
      decoder.addTo(encoded, fast);
      reference.add(
          Histogram.decodeFromCompressedByteBuffer(
              ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0));
    }
    assertEquals(reference, fast);
    assertEquals(reference.getTotalCount(), fast.getTotalCount());
  }

  @Test
  void histogramsOfAnotherLayoutGoThroughHdrHistogram() throws Exception {
    Histogram other = new Histogram(1000, 3_600_000_000_000L, 3);
    other.recordValue(123_456_789);
    Histogram into = new Histogram(1, 3_600_000_000_000L, 2);
    new HistogramDecoder().addTo(encode(other), into);
    assertEquals(1, into.getTotalCount());
    assertEquals(123_456_789, into.getMaxValue(), 123_456_789 / 100.0);
  }

  @Test
  void aLatencyBeyondTheMergedRangeIsRejectedBeforeAnythingIsAdded() {
    // the snapshots' layout (1 ns, 2 digits) but a wider range: the fast path's own buckets
    Histogram wide = new Histogram(1, 1L << 50, 2);
    wide.recordValue(1_000);
    wide.recordValue(1L << 45);
    Histogram into = new Histogram(1, 3_600_000_000_000L, 2);
    assertThrows(DataFormatException.class, () -> new HistogramDecoder().addTo(encode(wide), into));
    assertEquals(0, into.getTotalCount());
    // another layout goes through HdrHistogram: the same check
    Histogram other = new Histogram(1000, 1L << 50, 3);
    other.recordValue(1L << 45);
    assertThrows(
        DataFormatException.class, () -> new HistogramDecoder().addTo(encode(other), into));
    assertEquals(0, into.getTotalCount());
  }

  /**
   * A compressed-V2 histogram whose deflate stream inflates to {@code megabytes} MB of zeros (a
   * zlib bomb: about 1 KB of input per MB).
   */
  static String bomb(int megabytes, byte[] header) {
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
    java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
    byte[] out = new byte[1 << 16];
    byte[] zeros = new byte[1 << 20];
    deflater.setInput(header);
    for (int mb = 0; mb <= megabytes; mb++) {
      while (!deflater.needsInput()) {
        compressed.write(out, 0, deflater.deflate(out));
      }
      if (mb == megabytes) {
        deflater.finish();
      } else {
        deflater.setInput(zeros);
      }
    }
    while (!deflater.finished()) {
      compressed.write(out, 0, deflater.deflate(out));
    }
    ByteBuffer b = ByteBuffer.allocate(8 + compressed.size());
    b.putInt(0x1c849304).putInt(compressed.size()).put(compressed.toByteArray());
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** The 40-byte V2 header of the snapshots' layout with the given payload length. */
  static byte[] header(int payloadLength, long lowest, long highest, int digits) {
    return ByteBuffer.allocate(40)
        .putInt(0x1c849303)
        .putInt(payloadLength)
        .putInt(0)
        .putInt(digits)
        .putLong(lowest)
        .putLong(highest)
        .putDouble(1.0)
        .array();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean)
            java.lang.management.ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void theInflationBoundIsTheLargestHistogramOfTheSnapshotsLayout() {
    // HdrHistogram's own figure for a full histogram: 40-byte header + 9 bytes per count
    assertEquals(
        new Histogram(1, 3_600_000_000_000L, 2).getNeededByteBufferCapacity(),
        HistogramDecoder.MAX_INFLATED);
    assertEquals(41_512, HistogramDecoder.MAX_INFLATED);
    // the largest other layout read: 3 digits over the whole range the merged histograms hold
    assertEquals(
        new Histogram(1, HistogramDecoder.VALUE_LIMIT - 1, 3).getNeededByteBufferCapacity(),
        HistogramDecoder.MAX_INFLATED_OTHER_LAYOUT);
  }

  @Test
  void aDeflateBombStopsAtTheBoundWithoutAllocatingWhatItInflatesTo() {
    String bomb = bomb(64, header(64 << 20, 1, 3_600_000_000_000L, 2));
    assertTrue(bomb.length() < 100_000, "64 MB from " + bomb.length() + " characters");
    Histogram into = new Histogram(1, 3_600_000_000_000L, 2);
    HistogramDecoder decoder = new HistogramDecoder();
    long before = allocatedBytes();
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> decoder.addTo(bomb, into));
    long allocated = allocatedBytes() - before;
    assertTrue(e.getMessage().contains("more than 41512 bytes"), e.getMessage());
    assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes");
    assertEquals(0, into.getTotalCount());
  }

  @Test
  void aBombInAnotherLayoutOrALayoutTooLargeToHoldIsRejected() {
    Histogram into = new Histogram(1, 3_600_000_000_000L, 2);
    HistogramDecoder decoder = new HistogramDecoder();
    String other = bomb(8, header(8 << 20, 1000, 3_600_000_000_000L, 3));
    long before = allocatedBytes();
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> decoder.addTo(other, into));
    assertTrue(allocatedBytes() - before < 4 << 20, "allocated " + (allocatedBytes() - before));
    assertTrue(e.getMessage().contains("more than 304168 bytes"), e.getMessage());
    // 5 digits over 1 ns ... 2^62 ns would make HdrHistogram allocate 6 M counts (48 MB)
    String huge = bomb(0, header(100, 1, 1L << 62, 5));
    e = assertThrows(DataFormatException.class, () -> decoder.addTo(huge, into));
    assertTrue(e.getMessage().contains("layout"), e.getMessage());
    assertEquals(0, into.getTotalCount());
  }
}
