package dev.etlprofiler.examples.airports.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example's stages on real rows of airports.csv. */
class StagesTest {
  private final RecordParser parser = new RecordParser();
  private final Validator validator = new Validator();

  @Test
  void parsesQuotedFieldsWithCommas() {
    Airport a =
        parser.parse("35A,\"Union County, Troy Shelton\",Union,SC,USA,34.68680111,-81.64121167");
    assertEquals("35A", a.iata());
    assertEquals("Union County, Troy Shelton", a.name());
    assertEquals("SC", a.state());
    assertEquals(34.68680111, a.latitude());
    Airport city = parser.parse("N25,Westport,\"Westport, NY\",NY,USA,44.15838611,-73.43290444");
    assertEquals("Westport, NY", city.city());
  }

  @Test
  void naStateMakesARealRowInvalid() {
    Airport a = parser.parse("CLD,MC Clellan-Palomar Airport,NA,NA,USA,33.127231,-117.278727");
    assertNull(a.state());
    assertFalse(validator.validate(a));
    assertTrue(
        validator.validate(
            parser.parse("00M,Thigpen,Bay Springs,MS,USA,31.95376472,-89.23450472")));
  }

  @Test
  void rejectsRowsWithTheWrongNumberOfFields() {
    assertThrows(IllegalArgumentException.class, () -> parser.parse("A,B,C"));
  }

  @Test
  void readerChecksTheHeaderAndDropsIt() throws IOException {
    CsvReader reader = new CsvReader("a,b");
    assertEquals(List.of("1,2", "3,4"), reader.readRows(new StringReader("a,b\n1,2\n\n3,4\n")));
    assertThrows(IOException.class, () -> reader.readRows(new StringReader("x,y\n1,2\n")));
  }

  @Test
  void transformsNamesGeohashAndDistance() {
    assertEquals("u4pruy", Transformer.geohash(57.64911, 10.40744, 6)); // the geohash.org example
    assertEquals(
        "Mc Clellan-Palomar Airport", Transformer.titleCase("MC CLELLAN-PALOMAR   AIRPORT"));
    // JFK to LAX on a sphere of the mean Earth radius: 3,974 km (the ellipsoid gives 3,983)
    assertEquals(3974, Transformer.haversineKm(40.6413, -73.7781, 33.9416, -118.4085), 5);
    CleanAirport c =
        new Transformer()
            .transform(parser.parse("00M,Thigpen,Bay Springs,ms,USA,31.95376472,-89.23450472"));
    assertEquals("MS", c.state());
    assertEquals(6, c.geohash().length());
  }

  @Test
  void quotesJsonStrings() {
    assertEquals("\"a\\\"b\\\\c\\n\"", JsonLinesWriter.quote("a\"b\\c\n"));
    assertEquals("null", JsonLinesWriter.quote(null));
  }
}
