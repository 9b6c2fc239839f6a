package dev.etlprofiler.examples.airports.stages;

/** A clean airport with its census region from the region service. */
public record EnrichedAirport(CleanAirport airport, String region) {}
