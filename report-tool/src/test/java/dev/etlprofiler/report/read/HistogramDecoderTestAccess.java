package dev.etlprofiler.report.read;

/** Test inputs of {@link HistogramDecoderTest} for tests in other packages. */
public final class HistogramDecoderTestAccess {
  private HistogramDecoderTestAccess() {}

  /** A deflate bomb of {@code megabytes} MB with the given inflated header. */
  public static String bomb(int megabytes, byte[] header) {
    return HistogramDecoderTest.bomb(megabytes, header);
  }

  /** The snapshots' layout (1 ns … 1 h, 2 digits) with the given payload length. */
  public static byte[] header(int payloadLength) {
    return HistogramDecoderTest.header(payloadLength, 1, 3_600_000_000_000L, 2);
  }
}
