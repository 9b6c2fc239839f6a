package dev.etlprofiler.examples.airports.stages;

/** One parsed row of airports.csv; absent values are null (text) or NaN (coordinates). */
public record Airport(
    String iata,
    String name,
    String city,
    String state,
    String country,
    double latitude,
    double longitude) {}
