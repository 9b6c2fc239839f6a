package dev.etlprofiler.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-call cost of the agent's JDBC recording on a real driver (H2, in memory): a prepared query
 * (the statement's name is looked up at every execute) and a plain {@code execute(sql)} (the SQL is
 * named at every execute). Each thread has a database of its own, so that with 2 threads the only
 * state the threads share is the agent's. Run with and without the agent in the same invocation
 * (benchmarks/scripts/jdbc.sh).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdbcCallOverhead {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private Connection connection;
  private PreparedStatement prepared;
  private Statement plain;

  @Setup
  public void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:h2:mem:bench" + DATABASES.incrementAndGet());
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE airports (id INT PRIMARY KEY, name VARCHAR(64))");
      s.execute("INSERT INTO airports VALUES (1, 'Seattle-Tacoma')");
    }
    prepared = connection.prepareStatement("SELECT name FROM airports WHERE id = ?");
    plain = connection.createStatement();
  }

  @TearDown
  public void close() throws SQLException {
    connection.close();
  }

  @Benchmark
  public boolean preparedQuery() throws SQLException {
    prepared.setInt(1, 1);
    try (ResultSet rs = prepared.executeQuery()) {
      return rs.next();
    }
  }

  @Benchmark
  public boolean plainExecute() throws SQLException {
    return plain.execute("SELECT name FROM airports WHERE id = 1");
  }
}
