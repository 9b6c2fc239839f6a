package dev.etlprofiler.it.clients;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * args: JDBC URL. Against a real database: creates a table, inserts 100 rows one at a time, 50 in
 * one batch, reads them back with a literal in the WHERE clause, commits twice, and hits a
 * duplicate key once.
 */
public class JdbcApp {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0])) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40))");
      }
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO orders (id, customer) VALUES (?, ?)")) {
        for (int i = 0; i < 100; i++) {
          insert.setInt(1, i);
          insert.setString(2, "customer-" + i);
          insert.executeUpdate();
        }
        c.commit();
        for (int i = 100; i < 150; i++) {
          insert.setInt(1, i);
          insert.setString(2, "customer-" + i);
          insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        c.commit();
        System.out.println("batch of " + counts.length);
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT COUNT(*) FROM orders WHERE customer <> 'TOPSECRETLITERAL'")) {
        rs.next();
        System.out.println("rows " + rs.getInt(1));
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO orders (id, customer) VALUES (1, 'duplicate')");
      } catch (SQLException e) {
        System.out.println("duplicate: SQLState " + e.getSQLState());
      }
    }
  }
}
