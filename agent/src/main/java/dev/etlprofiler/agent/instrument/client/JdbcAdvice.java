package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.core.ClientCalls;
import dev.etlprofiler.core.ThreadState;
import java.sql.SQLException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Advice for JDBC drivers' Statement, PreparedStatement and Connection implementations. */
public final class JdbcAdvice {
  private JdbcAdvice() {}

  // Advice code is inlined into driver classes: it may use JDK and dev.etlprofiler.core types
  // only, never a helper of this class, which the driver's class loader cannot see.

  /** {@code execute*(String sql, ...)} of a Statement. */
  public static final class ExecuteSql {
    private ExecuteSql() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter(@Advice.This Object statement, @Advice.Argument(0) String sql) {
      return ClientCalls.enterJdbc(statement, sql);
    }
  }

  /** {@code execute()}, {@code executeQuery()}, {@code executeUpdate()} of a PreparedStatement. */
  public static final class ExecutePrepared {
    private ExecutePrepared() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter(@Advice.This Object statement) {
      return ClientCalls.enterJdbc(statement, null);
    }
  }

  /** The exit of {@link ExecuteSql} and {@link ExecutePrepared}: rows from the update count. */
  public static final class RowsExit {
    private RowsExit() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ThreadState ts, @Advice.Thrown Throwable thrown,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result) {
      if (ts != null) {
        long rows = result instanceof Number ? ((Number) result).longValue() : -1;
        ClientCalls.exitJdbc(ts, thrown, rows, 0,
            thrown instanceof SQLException ? ((SQLException) thrown).getSQLState() : null);
      }
    }
  }

  /** {@code executeBatch()} and {@code executeLargeBatch()}. */
  public static final class ExecuteBatch {
    private ExecuteBatch() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter(@Advice.This Object statement) {
      return ClientCalls.enterJdbc(statement, null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ThreadState ts, @Advice.Thrown Throwable thrown,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result) {
      if (ts == null) {
        return;
      }
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
      ClientCalls.exitJdbc(ts, thrown, rows, batched,
          thrown instanceof SQLException ? ((SQLException) thrown).getSQLState() : null);
    }
  }

  /** {@code Connection.prepareStatement(sql, ...)} and {@code prepareCall(sql, ...)}: remember the name. */
  public static final class Prepare {
    private Prepare() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) String sql, @Advice.Return Object statement) {
      ClientCalls.prepared(statement, sql);
    }
  }

  /** {@code Connection.commit()}. */
  public static final class Commit {
    private Commit() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter() {
      return ClientCalls.enterJdbcNamed("COMMIT");
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ThreadState ts, @Advice.Thrown Throwable thrown) {
      if (ts != null) {
        ClientCalls.exitJdbc(ts, thrown, -1, 0,
            thrown instanceof SQLException ? ((SQLException) thrown).getSQLState() : null);
      }
    }
  }
}
