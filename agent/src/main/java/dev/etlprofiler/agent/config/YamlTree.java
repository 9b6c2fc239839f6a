package dev.etlprofiler.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML file into maps, lists and strings with Jackson's streaming YAML parser. A class of
 * its own so that Jackson is loaded only when there is a file to read. Aliases are read as their
 * names, never expanded; collections nested deeper than {@link MiniYaml#MAX_DEPTH} are refused.
 */
final class YamlTree {
  private YamlTree() {}

  static Object read(Path file) throws IOException {
    try (JsonParser parser = new YAMLFactory().createParser(file.toFile())) {
      JsonToken first = parser.nextToken();
      return first == null ? Map.of() : readValue(parser, 1);
    }
  }

  private static Object readValue(JsonParser p, int depth) throws IOException {
    JsonToken token = p.currentToken();
    if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)
        && depth > MiniYaml.MAX_DEPTH) {
      throw new MiniYaml.TooDeep(p.currentLocation().getLineNr());
    }
    switch (token) {
      case START_OBJECT:
        {
          Map<String, Object> map = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            map.put(name, readValue(p, depth + 1));
          }
          return map;
        }
      case START_ARRAY:
        {
          List<Object> list = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(readValue(p, depth + 1));
          }
          return list;
        }
      case VALUE_NULL:
        return null;
      default:
        return p.getText();
    }
  }
}
