package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.core.ThreadState;
import dev.etlprofiler.core.WovenCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Advice for JDBC drivers' Statement, PreparedStatement and Connection implementations. */
public final class JdbcAdvice {
  private JdbcAdvice() {}

  // Advice code is inlined into driver classes: it may use JDK and dev.etlprofiler.core types
  // only, never a helper of this class, which the driver's class loader cannot see. Used for
  // drivers compiled before Java 7 only (FastClientWeaver weaves the others); the logic per kind
  // is WovenCalls', shared with the code FastClientWeaver writes.

  /** {@code execute*(String sql, ...)} of a Statement. */
  public static final class ExecuteSql {
    private ExecuteSql() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter(@Advice.This Object statement, @Advice.Argument(0) String sql) {
      return WovenCalls.enter(WovenCalls.JDBC_SQL, statement, sql);
    }
  }

  /** {@code execute()}, {@code executeQuery()}, {@code executeUpdate()} of a PreparedStatement. */
  public static final class ExecutePrepared {
    private ExecutePrepared() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter(@Advice.This Object statement) {
      return WovenCalls.enter(WovenCalls.JDBC_PREPARED, statement, null);
    }
  }

  /** The exit of {@link ExecuteSql} and {@link ExecutePrepared}: rows from the update count. */
  public static final class RowsExit {
    private RowsExit() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter ThreadState ts,
        @Advice.Thrown Throwable thrown,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result) {
      WovenCalls.exit(result, WovenCalls.JDBC_PREPARED, null, ts, thrown);
    }
  }

  /** {@code executeBatch()} and {@code executeLargeBatch()}. */
  public static final class ExecuteBatch {
    private ExecuteBatch() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter(@Advice.This Object statement) {
      return WovenCalls.enter(WovenCalls.JDBC_BATCH, statement, null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter ThreadState ts,
        @Advice.Thrown Throwable thrown,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result) {
      WovenCalls.exit(result, WovenCalls.JDBC_BATCH, null, ts, thrown);
    }
  }

  /**
   * {@code Connection.prepareStatement(sql, ...)} and {@code prepareCall(sql, ...)}: remember the
   * name.
   */
  public static final class Prepare {
    private Prepare() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) String sql, @Advice.Return Object statement) {
      WovenCalls.exit(statement, WovenCalls.JDBC_PREPARE, sql, null, null);
    }
  }

  /** {@code Connection.commit()}. */
  public static final class Commit {
    private Commit() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ThreadState enter() {
      return WovenCalls.enter(WovenCalls.JDBC_COMMIT, null, null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ThreadState ts, @Advice.Thrown Throwable thrown) {
      WovenCalls.exit(null, WovenCalls.JDBC_COMMIT, null, ts, thrown);
    }
  }
}
