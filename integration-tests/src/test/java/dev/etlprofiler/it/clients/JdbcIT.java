package dev.etlprofiler.it.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.it.harness.ForkedJvm;
import dev.etlprofiler.it.harness.PostgresServer;
import dev.etlprofiler.it.harness.Snapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDBC against real databases: embedded H2 (file mode), and a PostgreSQL server from Debian that
 * the test starts; the driver is on the application's class path.
 */
class JdbcIT {
  private static Path h2Jar() throws Exception {
    return Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void recordsStatementsBatchesCommitsAndSqlStateWithoutLiterals(@TempDir Path dir)
      throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .classPath(h2Jar())
            .main(JdbcApp.class, "jdbc:h2:" + dir.resolve("db").toAbsolutePath())
            .run();
    assertRecorded(r);
  }

  @Test
  void recordsTheSameAgainstAPostgresqlServer(@TempDir Path dir) throws Exception {
    Path driver =
        Path.of(
            org.postgresql.Driver.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    try (PostgresServer pg = PostgresServer.start()) {
      ForkedJvm.Result r =
          new ForkedJvm(dir).classPath(driver).main(JdbcApp.class, pg.jdbcUrl()).run();
      assertRecorded(r);
    }
  }

  @Test
  void recordsTheSameWithADriverCompiledForJava6(@TempDir Path dir) throws Exception {
    Path driver = Path.of(System.getProperty("it.client.libs"), "h2-1.3.176.jar");
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .classPath(driver)
            .agentArgs("debug=true")
            .main(JdbcApp.class, "jdbc:h2:" + dir.resolve("db").toAbsolutePath())
            .run();
    assertTrue(
        r.stderr()
            .contains(
                "instrumented JDBC class org.h2.jdbc.JdbcPreparedStatement (class file version 50)"),
        "Java 6 class files are woven by the one weaving path: " + r.stderr());
    assertRecorded(r);
  }

  private static void assertRecorded(ForkedJvm.Result r) throws Exception {
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(
        r.stdout().contains("rows 150") && r.stdout().contains("duplicate: SQLState 23505"),
        r.stdout());
    Snapshots s = r.snapshots();
    // 100 single inserts and 1 batch through the prepared statement, 1 duplicate through a
    // Statement
    assertEquals(102, s.calls("INSERT orders"));
    assertEquals(150, s.counter("INSERT orders", "rows"));
    assertEquals(50, s.counter("INSERT orders", "batchedStatements"));
    assertEquals(
        1,
        s.counter("INSERT orders", "batchSize11to100"),
        "the batch of 50 in the batch-size histogram");
    assertEquals(1, s.errors("INSERT orders", "SQLState class 23"));
    assertEquals(1, s.errors("INSERT orders"), "one failure, counted once");
    assertTrue(r.stdout().contains("failures seen 3"), r.stdout());
    assertEquals(3, s.calls("SELECT missing_table"));
    assertEquals(3, s.errors("SELECT missing_table"), "errors equal the failures the job saw");
    // Statement.execute and PreparedStatement.execute of an UPDATE: 10 rows each
    assertTrue(
        r.stdout().contains("execute result set false, updated 10")
            && r.stdout().contains("prepared execute result set false, updated 10"),
        r.stdout());
    assertEquals(2, s.calls("UPDATE orders"));
    assertEquals(20, s.counter("UPDATE orders", "rows"));
    assertEquals(3, s.calls("SELECT"), "selects of literals are named by their kind alone");
    assertEquals(1, s.calls("SELECT orders"));
    assertEquals(1, s.calls("CREATE orders"));
    assertEquals(2, s.calls("COMMIT"));
    for (Path f : s.files()) {
      String text = Files.readString(f);
      assertFalse(
          text.contains("TOPSECRETLITERAL")
              || text.contains("customer-")
              || text.contains("duplicate")
              || text.contains("Hunter2")
              || text.contains("Leak"),
          "no SQL literal in " + f);
    }
  }

  @Test
  void canBeSwitchedOff(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r =
        new ForkedJvm(dir)
            .classPath(h2Jar())
            .agentArgs("clients.jdbc.enabled=false")
            .main(JdbcApp.class, "jdbc:h2:" + dir.resolve("db").toAbsolutePath())
            .run();
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(0, r.snapshots().calls("INSERT orders"));
  }
}
