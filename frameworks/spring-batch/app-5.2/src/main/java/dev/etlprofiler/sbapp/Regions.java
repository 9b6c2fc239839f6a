package dev.etlprofiler.sbapp;

import java.util.HashMap;
import java.util.Map;

/** The U.S. Census regions of the states. */
final class Regions {
  private static final Map<String, String> OF = new HashMap<>();

  static {
    put("Northeast", "CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA");
    put("Midwest", "IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD");
    put(
        "South", "DE", "DC", "FL", "GA", "MD", "NC", "SC", "VA", "WV", "AL", "KY", "MS", "TN", "AR",
        "LA", "OK", "TX");
    put("West", "AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "AK", "CA", "HI", "OR", "WA");
  }

  private static void put(String region, String... states) {
    for (String s : states) {
      OF.put(s, region);
    }
  }

  static String of(String state) {
    return OF.getOrDefault(state, "Other");
  }

  private Regions() {}
}
