package dev.etlprofiler.examples.airports.stages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Loads airports into the AIRPORTS table with one JDBC batch per call. */
public class DatabaseLoader {
  private final Connection connection;
  private long rows;
  private long batches;

  public DatabaseLoader(Connection connection) throws SQLException {
    this.connection = connection;
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS airports");
      s.execute(
          "CREATE TABLE airports (iata VARCHAR(8) PRIMARY KEY, name VARCHAR(200), city VARCHAR(100),"
              + " state CHAR(2), region VARCHAR(20), lat DOUBLE PRECISION, lon DOUBLE PRECISION, geohash CHAR(6),"
              + " km_from_centre DOUBLE PRECISION)");
    }
    connection.setAutoCommit(false);
  }

  public int loadBatch(List<EnrichedAirport> batch) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO airports (iata, name, city, state, region, lat, lon, geohash, km_from_centre)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (EnrichedAirport e : batch) {
        CleanAirport a = e.airport();
        insert.setString(1, a.iata());
        insert.setString(2, a.name());
        insert.setString(3, a.city());
        insert.setString(4, a.state());
        insert.setString(5, e.region());
        insert.setDouble(6, a.latitude());
        insert.setDouble(7, a.longitude());
        insert.setString(8, a.geohash());
        insert.setDouble(9, a.kmFromCentre());
        insert.addBatch();
      }
      int loaded = 0;
      for (int n : insert.executeBatch()) {
        loaded += Math.max(n, 0);
      }
      connection.commit();
      rows += loaded;
      batches++;
      return loaded;
    }
  }

  public long rows() {
    return rows;
  }

  public long batches() {
    return batches;
  }
}
