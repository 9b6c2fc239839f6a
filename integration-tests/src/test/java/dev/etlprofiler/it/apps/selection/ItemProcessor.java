package dev.etlprofiler.it.apps.selection;

/** An interface in the style of a framework's processing interface. */
public interface ItemProcessor {
  String process(String item);
}
