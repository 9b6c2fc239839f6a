package dev.etlprofiler.examples.airports.stages;

/** A validated airport with a normalised name, a geohash and its distance to the US centre. */
public record CleanAirport(
    String iata,
    String name,
    String city,
    String state,
    double latitude,
    double longitude,
    String geohash,
    double kmFromCentre) {}
