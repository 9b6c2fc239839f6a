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
 * duplicate key once; updates 10 rows with {@code Statement.execute} and 10 with {@code
 * PreparedStatement.execute}; runs 3 statements on a missing table; selects string literals that
 * hold {@code FROM} and a made-up secret.
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
      c.rollback();
      try (Statement s = c.createStatement()) {
        boolean result = s.execute("UPDATE orders SET customer = 'renamed' WHERE id < 10");
        System.out.println("execute result set " + result + ", updated " + s.getUpdateCount());
      }
      try (PreparedStatement update =
          c.prepareStatement("UPDATE orders SET customer = ? WHERE id >= ?")) {
        update.setString(1, "renamed");
        update.setInt(2, 140);
        boolean result = update.execute();
        System.out.println(
            "prepared execute result set " + result + ", updated " + update.getUpdateCount());
      }
      int failures = 0;
      for (int i = 0; i < 3; i++) {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT id FROM missing_table WHERE id = " + i);
        } catch (SQLException e) {
          failures++;
        }
      }
      System.out.println("failures seen " + failures);
      c.rollback();
      try (Statement s = c.createStatement()) {
        for (String sql :
            new String[] {
              "SELECT 'FROM Hunter2SecretLeak' AS x",
              "SELECT 'a' || 'FROM LeakConcat2' AS y",
              "SELECT $$FROM LeakDollar9$$ AS z"
            }) {
          try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            System.out.println("literal selected");
          }
        }
      }
    }
  }
}
