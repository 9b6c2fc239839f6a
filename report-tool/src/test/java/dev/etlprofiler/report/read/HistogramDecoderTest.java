package dev.etlprofiler.report.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
