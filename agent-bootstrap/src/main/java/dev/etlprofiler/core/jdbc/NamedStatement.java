package dev.etlprofiler.core.jdbc;

/**
 * Added by the JDBC weaver to a driver's statement classes, with a field behind it: the name of the
 * prepared statement ({@code INSERT airports}), set when {@code Connection.prepareStatement}
 * returns it and read at each {@code execute}. A field on the statement itself, like
 * OpenTelemetry's {@code VirtualField}, instead of a global map from statements to names: no lock
 * and no lookup on the execute path. The method names carry the agent's prefix so they cannot clash
 * with a driver's own.
 */
public interface NamedStatement {
  /** The statement's name, or null if it was not prepared through a woven connection. */
  String etlprofiler$statementName();

  void etlprofiler$statementName(String name);
}
