package dev.etlprofiler.it.apps.pipeline;

/** A configured stage that sleeps a known time per call. */
public class Load {
  private long checksum;

  public void write(String record, long sleepMillis) throws InterruptedException {
    if (sleepMillis > 0) {
      Thread.sleep(sleepMillis);
    }
    checksum = checksum * 31 + record.hashCode();
  }

  public long checksum() {
    return checksum;
  }
}
