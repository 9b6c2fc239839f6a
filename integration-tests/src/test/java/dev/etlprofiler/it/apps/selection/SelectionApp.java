package dev.etlprofiler.it.apps.selection;

/** Types selected (or not) by interface, annotation, class pattern and exclusion. */
public class SelectionApp {
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  public @interface EtlStep {}

  /** Selected through subtypes-of ItemProcessor. */
  public static class UpperProcessor implements ItemProcessor {
    @Override
    public String process(String item) {
      return item.toUpperCase(java.util.Locale.ROOT);
    }
  }

  /** An indirect implementation: through an abstract base class. */
  public abstract static class BaseProcessor implements ItemProcessor {}

  public static class TrimProcessor extends BaseProcessor {
    @Override
    public String process(String item) {
      return item.trim();
    }

    public String helper(String item) {
      return item;
    }
  }

  /** Selected through annotated-with EtlStep. */
  @EtlStep
  public static class Deduplicate {
    public String run(String item) {
      return item;
    }
  }

  /** Matches the class pattern *Sink but is excluded by instrument.exclude.classes. */
  public static class IgnoredSink {
    public String run(String item) {
      return item;
    }
  }

  /** Matches the class pattern *Sink. */
  public static class FileSink {
    public String run(String item) {
      return item;
    }

    public String flush(String item) {
      return item;
    }
  }

  public static void main(String[] args) {
    UpperProcessor upper = new UpperProcessor();
    TrimProcessor trim = new TrimProcessor();
    Deduplicate dedup = new Deduplicate();
    IgnoredSink ignored = new IgnoredSink();
    FileSink sink = new FileSink();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      String s = sink.run(dedup.run(trim.process(upper.process(" item" + i + " "))));
      ignored.run(s);
      trim.helper(s);
      out.append(s);
    }
    sink.flush("x");
    System.out.println(out);
  }
}
