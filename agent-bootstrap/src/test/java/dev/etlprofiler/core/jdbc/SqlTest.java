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

  @Test
  void aFromInsideAStringLiteralOrCommentIsNeverTakenForATable() {
    assertEquals("SELECT", Sql.name("SELECT 'FROM Hunter2SecretLeak' AS x"));
    assertEquals("SELECT", Sql.name("SELECT 'a' || 'FROM LeakConcat2' AS y"));
    assertEquals("SELECT", Sql.name("SELECT $$FROM LeakDollar9$$ AS z"));
    assertEquals("SELECT real_table", Sql.name("SELECT $q$ FROM leak $q$ FROM real_table"));
    assertEquals("SELECT t", Sql.name("SELECT E'it\\'s FROM leak' FROM t"));
    assertEquals("SELECT t", Sql.name("SELECT 'it''s FROM leak' FROM t"));
    assertEquals("INSERT t", Sql.name("INSERT INTO t VALUES ('FROM leak')"));
    assertEquals("SELECT", Sql.name("SELECT 1 /* FROM leak */"));
    assertEquals("SELECT Orders", Sql.name("SELECT * FROM \"Orders\" WHERE a = 'x'"));
    assertEquals("SELECT", Sql.name("SELECT * FROM 'leak'"), "a literal where a table would be");
    assertEquals("SELECT t", Sql.name("SELECT * FROM t WHERE a = $1 AND b = $2"));
  }

  @Test
  void anUnterminatedLiteralOrCommentNamesTheStatementByItsKindAlone() {
    assertEquals("SELECT", Sql.name("SELECT 'FROM Leak FROM t"));
    assertEquals("SELECT", Sql.name("SELECT $$ FROM leak FROM t"));
    assertEquals("SELECT", Sql.name("SELECT 1 /* FROM leak"));
    assertEquals("UPDATE", Sql.name("UPDATE accounts SET note = 'unterminated"));
  }
}
