package dev.etlprofiler.examples.airports.stages;

/** Data-quality rules: an airport needs a code, a name, a state and coordinates on the globe. */
public class Validator {
  public boolean validate(Airport a) {
    return a.iata() != null
        && a.name() != null
        && a.state() != null
        && a.latitude() >= -90
        && a.latitude() <= 90
        && a.longitude() >= -180
        && a.longitude() <= 180;
  }
}
