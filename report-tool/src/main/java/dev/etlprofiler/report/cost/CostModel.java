package dev.etlprofiler.report.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.etlprofiler.report.read.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Prices (docs/cost-model.md). Read from YAML; every key must be present and every price must be a
 * number ≥ 0, otherwise {@link BadInputException} says which key and why.
 */
public record CostModel(
    String currency,
    double vcpuHour,
    double gbHour,
    double storageGbMonth,
    double transferInGb,
    double transferOutGb,
    double processingGb,
    List<ApiPrice> apis) {

  /** A per-call price for operations whose name or path matches {@code match} (a glob, * and ?). */
  public record ApiPrice(String match, double per1000Calls, long freeCallsPerMonth) {
    public boolean matches(List<String> path) {
      String regex = "\\Q" + match.replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q") + "\\E";
      return path.get(path.size() - 1).matches(regex) || String.join(" > ", path).matches(regex);
    }
  }

  public static CostModel defaults() {
    try (InputStream in = CostModel.class.getResourceAsStream("default-cost-model.yaml")) {
      return parse(new ObjectMapper(new YAMLFactory()).readTree(in), "the default cost model");
    } catch (IOException | BadInputException e) {
      throw new IllegalStateException("the bundled default cost model is broken", e);
    }
  }

  public static CostModel read(Path file) throws BadInputException {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("cost model " + file + " not found");
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new BadInputException(
          "cost model "
              + file
              + " is not valid YAML: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    return parse(root, "cost model " + file);
  }

  static CostModel parse(JsonNode root, String where) throws BadInputException {
    if (root == null || !root.isObject()) {
      throw new BadInputException(where + " must be a YAML map (see docs/cost-model.md)");
    }
    checkKeys(
        root,
        Set.of("currency", "compute", "storage", "transfer", "processing", "apis"),
        "",
        where);
    checkKeys(root.get("compute"), Set.of("vcpu-hour", "gb-hour"), "compute.", where);
    checkKeys(root.get("storage"), Set.of("gb-month"), "storage.", where);
    checkKeys(root.get("transfer"), Set.of("in-gb", "out-gb"), "transfer.", where);
    checkKeys(root.get("processing"), Set.of("gb"), "processing.", where);
    List<ApiPrice> apis = new ArrayList<>();
    JsonNode list = root.get("apis");
    if (!list.isArray()) {
      throw new BadInputException(where + ": apis must be a list (it may be empty: [])");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode api = list.get(i);
      String k = "apis[" + i + "].";
      checkKeys(api, Set.of("match", "per-1000-calls", "free-calls-per-month"), k, where);
      apis.add(
          new ApiPrice(
              api.get("match").asText(),
              price(api, "per-1000-calls", k, where),
              Math.round(price(api, "free-calls-per-month", k, where))));
    }
    return new CostModel(
        root.get("currency").asText(),
        price(root.get("compute"), "vcpu-hour", "compute.", where),
        price(root.get("compute"), "gb-hour", "compute.", where),
        price(root.get("storage"), "gb-month", "storage.", where),
        price(root.get("transfer"), "in-gb", "transfer.", where),
        price(root.get("transfer"), "out-gb", "transfer.", where),
        price(root.get("processing"), "gb", "processing.", where),
        List.copyOf(apis));
  }

  private static void checkKeys(JsonNode node, Set<String> required, String prefix, String where)
      throws BadInputException {
    if (node == null || !node.isObject()) {
      throw new BadInputException(
          where
              + ": '"
              + prefix.replaceAll("\\.$", "")
              + "' must be a map with keys "
              + String.join(", ", new java.util.TreeSet<>(required)));
    }
    for (String key : new java.util.TreeSet<>(required)) {
      if (!node.has(key) || node.get(key).isNull()) {
        throw new BadInputException(
            where
                + ": missing key '"
                + prefix
                + key
                + "' (every key must be present; see docs/cost-model.md)");
      }
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!required.contains(key)) {
        throw new BadInputException(
            where
                + ": unknown key '"
                + prefix
                + key
                + "' (allowed: "
                + String.join(", ", new java.util.TreeSet<>(required))
                + ")");
      }
    }
  }

  private static double price(JsonNode node, String key, String prefix, String where)
      throws BadInputException {
    JsonNode v = node.get(key);
    if (!v.isNumber()) {
      throw new BadInputException(
          where + ": '" + prefix + key + "' must be a number, not '" + v.asText() + "'");
    }
    double d = v.asDouble();
    if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
      throw new BadInputException(
          where + ": '" + prefix + key + "' is " + v.asText() + "; prices must be >= 0");
    }
    return d;
  }
}
