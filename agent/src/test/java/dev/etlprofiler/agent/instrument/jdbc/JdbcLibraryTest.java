package dev.etlprofiler.agent.instrument.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.agent.instrument.weave.WovenCallSites;
import dev.etlprofiler.core.jdbc.NamedStatement;
import java.io.IOException;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JDBC side of the ASM client weaver on driver-like classes: a statement class is woven, and a
 * class that only mentions {@code java.sql} (as most of a driver's classes do) is left alone
 * without its supertypes' class files being read through its loader.
 */
class JdbcLibraryTest {
  /** A driver's statement base class: the java.sql interface is declared here, not below. */
  public abstract static class BaseStatement implements java.sql.Statement {}

  /** A driver's statement: its executeQuery is woven; its supertypes come from BaseStatement. */
  public abstract static class DriverStatement extends BaseStatement {
    @Override
    public ResultSet executeQuery(String sql) {
      return null;
    }
  }

  /** A driver's own base class, no JDBC type. */
  static class DriverSupport {}

  /** Mentions java.sql (its bytes hold "java/sql/") but declares no JDBC call. */
  static class DriverHelper extends DriverSupport {
    void check(int code) throws SQLException {
      if (code < 0) throw new SQLException("bad code " + code);
    }
  }

  /** Records the class files asked for, as the supertype reader asks for them. */
  static final class CountingLoader extends ClassLoader {
    final List<String> asked = new ArrayList<>();

    CountingLoader() {
      super(JdbcLibraryTest.class.getClassLoader());
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      asked.add(name);
      return super.getResourceAsStream(name);
    }
  }

  @Test
  void aClassDeclaringNoJdbcCallIsLeftAloneWithoutReadingItsSupertypes() throws Exception {
    CountingLoader loader = new CountingLoader();

    byte[] woven =
        new JdbcLibrary()
            .weave(loader, internalName(DriverHelper.class), null, bytes(DriverHelper.class));

    assertNull(woven);
    assertEquals(List.of(), loader.asked);
  }

  @Test
  void aStatementClassIsWovenWithItsSupertypesReadFromItsLoader() throws Exception {
    CountingLoader loader = new CountingLoader();

    byte[] woven =
        new JdbcLibrary()
            .weave(loader, internalName(DriverStatement.class), null, bytes(DriverStatement.class));

    assertNotNull(woven, "a java.sql.Statement implementation with executeQuery(String)");
    assertTrue(
        loader.asked.contains(internalName(BaseStatement.class) + ".class"),
        loader.asked.toString());
    // one enter; one exit where it returns and one in the handler for what it throws
    assertEquals(
        List.of("executeQuery -> enter", "executeQuery -> exit", "executeQuery -> exit"),
        WovenCallSites.of(woven, "jdbc/JdbcCalls"));
  }

  @Test
  void aStatementClassLoadedGetsANameFieldAndARetransformedOneDoesNot() throws Exception {
    String name = internalName(DriverStatement.class);
    byte[] loaded =
        new JdbcLibrary().weave(new CountingLoader(), name, null, bytes(DriverStatement.class));
    Class<?> woven = define(DriverStatement.class.getName(), loaded);
    assertTrue(NamedStatement.class.isAssignableFrom(woven), "implements NamedStatement");
    assertEquals(
        String.class,
        woven.getDeclaredField("etlprofiler$statementName").getType(),
        "with a field behind it");
    assertEquals(
        String.class, woven.getDeclaredMethod("etlprofiler$statementName").getReturnType());

    byte[] retransformed =
        new JdbcLibrary()
            .weave(new CountingLoader(), name, DriverStatement.class, bytes(DriverStatement.class));
    assertNotNull(retransformed, "still woven");
    assertTrue(
        !NamedStatement.class.isAssignableFrom(
            define(DriverStatement.class.getName(), retransformed)),
        "a retransformed class cannot gain an interface or a field");
  }

  /** Defines a class from bytes in a loader of its own (which verifies it); the rest from ours. */
  private static Class<?> define(String name, byte[] bytes) throws ClassNotFoundException {
    ClassLoader loader =
        new ClassLoader(JdbcLibraryTest.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
            if (n.equals(name)) {
              synchronized (getClassLoadingLock(n)) {
                Class<?> c = findLoadedClass(n);
                return c != null ? c : defineClass(n, bytes, 0, bytes.length);
              }
            }
            return super.loadClass(n, resolve);
          }
        };
    Class<?> c = Class.forName(name, true, loader);
    c.getDeclaredMethods(); // links and verifies
    return c;
  }

  private static String internalName(Class<?> c) {
    return c.getName().replace('.', '/');
  }

  private static byte[] bytes(Class<?> c) throws IOException {
    try (InputStream in = c.getClassLoader().getResourceAsStream(internalName(c) + ".class")) {
      assertNotNull(in, c.getName());
      return in.readAllBytes();
    }
  }
}
