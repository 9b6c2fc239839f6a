package dev.etlprofiler.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SQL statements named by kind and table, never by their literals. */
class SqlTest {
  @Test
  void sqlIsNamedByKindAndTableOnly() {
    assertEquals("SELECT orders", Sql.name("select id from orders where customer = 'SECRET'"));
    assertEquals(
        "INSERT public.orders", Sql.name("  /* hint */ INSERT INTO public.orders (id) VALUES (1)"));
    assertEquals(
        "UPDATE accounts",
        Sql.name("-- comment\nUPDATE \"accounts\" SET balance = 100 WHERE id = 7"));
    assertEquals("DELETE orders", Sql.name("DELETE FROM orders WHERE id = 3"));
    assertEquals("DROP airports", Sql.name("DROP TABLE IF EXISTS airports"));
    assertEquals("CREATE orders", Sql.name("CREATE TABLE orders (id INT)"));
    assertEquals("MERGE t", Sql.name("MERGE INTO t USING s ON (1=1)"));
    assertEquals("WITH", Sql.name("WITH x AS (SELECT 1) SELECT * FROM x"));
    assertEquals("OTHER", Sql.name("VACUUM"));
  }

  @Test
  void aRepeatedStatementIsParsedOnceAndTheCacheStaysBounded() {
    String sql = "SELECT id FROM cached_once WHERE x = 1";
    String first = Sql.cachedName(sql);
    assertEquals("SELECT cached_once", first);
    assertEquals(true, first == Sql.cachedName(sql), "the same name object: not parsed again");
    for (int i = 0; i < Sql.MAX_CACHED * 2; i++) {
      assertEquals("INSERT t" + i, Sql.cachedName("INSERT INTO t" + i + " VALUES (1)"));
    }
    assertEquals(
        "SELECT later",
        Sql.cachedName("SELECT * FROM later"),
        "beyond the bound, still named: parsed every time");
  }
}
