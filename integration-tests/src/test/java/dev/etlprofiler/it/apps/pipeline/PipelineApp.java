package dev.etlprofiler.it.apps.pipeline;

/**
 * args: records, sleep-ms-per-load. Runs records through Extract → Transform → Load inside {@code
 * run}, catching Transform's failures, and prints a deterministic summary.
 */
public class PipelineApp {
  public static void main(String[] args) throws Exception {
    int records = Integer.parseInt(args[0]);
    long sleep = Long.parseLong(args[1]);
    System.out.println(new PipelineApp().run(records, sleep));
  }

  public String run(int records, long sleep) throws InterruptedException {
    Extract extract = new Extract();
    Transform transform = new Transform();
    Load load = new Load();
    int failed = 0;
    StringBuilder errors = new StringBuilder();
    for (int i = 0; i < records; i++) {
      String r = extract.read(i);
      try {
        load.write(transform.apply(r, i), sleep);
      } catch (IllegalArgumentException e) {
        failed++;
        if (failed <= 3)
          errors.append(e.getClass().getName()).append(": ").append(e.getMessage()).append('\n');
      }
    }
    return errors + "records=" + records + " failed=" + failed + " checksum=" + load.checksum();
  }
}
