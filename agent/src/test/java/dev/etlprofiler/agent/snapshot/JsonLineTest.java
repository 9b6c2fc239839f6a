package dev.etlprofiler.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineTest {
  @Test
  void writesNestedObjectsAndArraysWithCommasInTheRightPlaces() {
    JsonLine g = new JsonLine();
    g.writeStartObject();
    g.writeStringField("a", "x");
    g.writeNumberField("n", -5);
    g.writeArrayFieldStart("list");
    g.writeString("p");
    g.writeString("q");
    g.writeStartObject();
    g.writeBooleanField("b", true);
    g.writeEndObject();
    g.writeStartObject();
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("o");
    g.writeEndObject();
    g.writeArrayFieldStart("empty");
    g.writeEndArray();
    g.writeEndObject();
    assertEquals(
        "{\"a\":\"x\",\"n\":-5,\"list\":[\"p\",\"q\",{\"b\":true},{}],\"o\":{},\"empty\":[]}\n",
        new String(g.toLine(), StandardCharsets.UTF_8));
  }

  @Test
  void escapesQuotesBackslashesAndControlCharactersAndKeepsUnicode() {
    JsonLine g = new JsonLine();
    g.writeStartObject();
    g.writeStringField("k\"ey", "a\\b\"c\nd\te\u0001 \u00e9\u4e2d");
    g.writeEndObject();
    assertEquals(
        "{\"k\\\"ey\":\"a\\\\b\\\"c\\nd\\te\\u0001 \u00e9\u4e2d\"}\n",
        new String(g.toLine(), StandardCharsets.UTF_8));
  }
}
