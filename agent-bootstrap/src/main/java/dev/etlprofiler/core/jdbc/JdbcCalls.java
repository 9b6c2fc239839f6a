package dev.etlprofiler.core.jdbc;

import dev.etlprofiler.core.ClientCalls;
import dev.etlprofiler.core.Core;
import dev.etlprofiler.core.Counter;
import dev.etlprofiler.core.Kind;
import dev.etlprofiler.core.Node;
import dev.etlprofiler.core.ThreadState;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the code woven into JDBC drivers calls: one entry and one exit for every kind of call, with
 * the call's object, its first argument and its boxed return value as plain objects, so that the
 * woven code has the same shape for every kind. A statement execution becomes a child node of the
 * operation running on the thread, named by {@link Sql} (kind and table, never literals). Never
 * throws.
 */
public final class JdbcCalls {
  /** {@code Statement.execute*(String sql, ...)}. */
  public static final int SQL = 1;

  /** {@code PreparedStatement.execute*()}. */
  public static final int PREPARED = 2;

  /** {@code executeBatch()}, {@code executeLargeBatch()}. */
  public static final int BATCH = 3;

  /**
   * {@code Connection.prepareStatement(sql, ...)}, {@code prepareCall(sql, ...)}: not timed, the
   * statement named.
   */
  public static final int PREPARE = 4;

  /** {@code Connection.commit()}. */
  public static final int COMMIT = 5;

  private static final Class<?> SQL_EXCEPTION;
  private static final MethodHandle SQL_STATE;
  private static final Class<?> STATEMENT;
  private static final MethodHandle UPDATE_COUNT;

  /**
   * Names of statements whose class could not be given a {@link NamedStatement} field: classes
   * loaded before the agent was attached (a retransformed class cannot gain a field). Empty
   * otherwise.
   */
  private static final Map<Object, String> UNNAMED_CLASSES =
      Collections.synchronizedMap(new WeakHashMap<>());

  static {
    Class<?> type = null;
    MethodHandle state = null;
    Class<?> statement = null;
    MethodHandle updateCount = null;
    try {
      ClassLoader platform = ClassLoader.getPlatformClassLoader();
      type = Class.forName("java.sql.SQLException", false, platform);
      state =
          MethodHandles.publicLookup()
              .findVirtual(type, "getSQLState", MethodType.methodType(String.class));
      statement = Class.forName("java.sql.Statement", false, platform);
      updateCount =
          MethodHandles.publicLookup()
              .findVirtual(statement, "getUpdateCount", MethodType.methodType(int.class))
              .asType(MethodType.methodType(int.class, Object.class));
    } catch (Throwable noJavaSql) {
      // no java.sql module: no JDBC driver either
    }
    SQL_EXCEPTION = type;
    SQL_STATE = state;
    STATEMENT = statement;
    UPDATE_COUNT = updateCount;
  }

  private JdbcCalls() {}

  public static ThreadState enter(int kind, Object self, Object arg0) {
    try {
      switch (kind) {
        case SQL:
          return enterNamed(arg0 instanceof String ? Sql.cachedName((String) arg0) : null);
        case PREPARED:
        case BATCH:
          return enterNamed(nameOf(self));
        case COMMIT:
          return enterNamed("COMMIT");
        default:
          return null; // PREPARE: nothing to time
      }
    } catch (Throwable t) {
      Core.internalError("JDBC call", t);
      return null;
    }
  }

  /**
   * @param returned the call's return value, boxed, or null
   * @param arg0 for {@link #PREPARE} the SQL; for the executions the statement
   */
  public static void exit(
      Object returned, int kind, Object arg0, ThreadState ts, Throwable thrown) {
    try {
      switch (kind) {
        case PREPARE:
          if (thrown == null && arg0 instanceof String) {
            prepared(returned, (String) arg0);
          }
          return;
        case SQL:
        case PREPARED:
          exitJdbc(ts, thrown, rows(returned, arg0, thrown), 0, sqlState(thrown));
          return;
        case BATCH:
          exitBatch(ts, thrown, returned);
          return;
        case COMMIT:
          exitJdbc(ts, thrown, -1, 0, sqlState(thrown));
          return;
        default:
          return;
      }
    } catch (Throwable t) {
      Core.internalError("JDBC call", t);
    }
  }

  /** Remembers the statement name of a prepared statement (from its SQL, literals never kept). */
  static void prepared(Object statement, String sql) {
    if (statement == null) {
      return;
    }
    String name = Sql.name(sql);
    if (statement instanceof NamedStatement) {
      ((NamedStatement) statement).etlprofiler$statementName(name);
    } else {
      UNNAMED_CLASSES.put(statement, name);
    }
  }

  private static String nameOf(Object statement) {
    if (statement instanceof NamedStatement) {
      return ((NamedStatement) statement).etlprofiler$statementName();
    }
    return statement == null ? null : UNNAMED_CLASSES.get(statement);
  }

  private static ThreadState enterNamed(String name) {
    return ClientCalls.enterNamed(Kind.JDBC, name == null ? "STATEMENT" : name);
  }

  /**
   * Rows an execution affected: the update count {@code executeUpdate} returns, or, for {@code
   * execute} that returned false (an update, not a result set), the statement's {@code
   * getUpdateCount()}; -1 when unknown (a query).
   */
  private static long rows(Object returned, Object statement, Throwable thrown) {
    if (thrown != null) {
      return -1;
    }
    if (returned instanceof Number) {
      return ((Number) returned).longValue();
    }
    if (Boolean.FALSE.equals(returned) && UPDATE_COUNT != null && STATEMENT.isInstance(statement)) {
      try {
        return (int) UPDATE_COUNT.invokeExact(statement);
      } catch (Throwable t) {
        return -1;
      }
    }
    return -1;
  }

  private static void exitBatch(ThreadState ts, Throwable thrown, Object result) {
    long rows = 0;
    int batched = 0;
    if (result instanceof int[]) {
      int[] counts = (int[]) result;
      batched = counts.length;
      for (int c : counts) rows += Math.max(0, c);
    } else if (result instanceof long[]) {
      long[] counts = (long[]) result;
      batched = counts.length;
      for (long c : counts) rows += Math.max(0, c);
    }
    exitJdbc(ts, thrown, rows, batched, sqlState(thrown));
  }

  /**
   * Ends a JDBC call: {@code rows} affected (-1 unknown), {@code batched} statements in an executed
   * batch (0 when not a batch), {@code sqlState} of a failure or null.
   */
  private static void exitJdbc(
      ThreadState ts, Throwable thrown, long rows, int batched, String sqlState) {
    // one error per failure: by SQLState class when the driver gives one, else by exception type
    boolean byState = thrown != null && sqlState != null && sqlState.length() >= 2;
    Node node = ClientCalls.pop(ts, byState ? null : thrown);
    if (node == null) {
      return;
    }
    if (byState) {
      node.error("SQLState class " + sqlState.substring(0, 2));
    }
    if (rows > 0) node.add(Counter.ROWS, rows);
    if (batched > 0) {
      node.add(Counter.BATCHED_STATEMENTS, batched);
      node.add(Counter.batchSize(batched), 1);
    }
  }

  private static String sqlState(Throwable thrown) {
    if (thrown == null || SQL_STATE == null || !SQL_EXCEPTION.isInstance(thrown)) {
      return null;
    }
    try {
      return (String) SQL_STATE.invoke(thrown);
    } catch (Throwable t) {
      return null;
    }
  }
}
