package dev.etlprofiler.examples.airports.stages;

import java.util.Locale;

/** Normalises names and computes a geohash and the great-circle distance to the US centre. */
public class Transformer {
  /** Geographic centre of the contiguous United States (Lebanon, Kansas). */
  static final double CENTRE_LAT = 39.8283;

  static final double CENTRE_LON = -98.5795;
  private static final String BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

  public CleanAirport transform(Airport a) {
    return new CleanAirport(
        a.iata(),
        titleCase(a.name()),
        a.city() == null ? null : titleCase(a.city()),
        a.state().toUpperCase(Locale.ROOT),
        a.latitude(),
        a.longitude(),
        geohash(a.latitude(), a.longitude(), 6),
        haversineKm(a.latitude(), a.longitude(), CENTRE_LAT, CENTRE_LON));
  }

  static String titleCase(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.trim().replaceAll("\\s+", " ").toCharArray()) {
      b.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
      start = c == ' ' || c == '-' || c == '/' || c == '(';
    }
    return b.toString();
  }

  static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double h =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2))
                * Math.sin(dLon / 2)
                * Math.sin(dLon / 2);
    return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
  }

  static String geohash(double lat, double lon, int precision) {
    double[] latRange = {-90, 90};
    double[] lonRange = {-180, 180};
    StringBuilder hash = new StringBuilder(precision);
    boolean evenBit = true;
    int bit = 0;
    int ch = 0;
    while (hash.length() < precision) {
      double[] range = evenBit ? lonRange : latRange;
      double value = evenBit ? lon : lat;
      double mid = (range[0] + range[1]) / 2;
      ch <<= 1;
      if (value >= mid) {
        ch |= 1;
        range[0] = mid;
      } else {
        range[1] = mid;
      }
      evenBit = !evenBit;
      if (++bit == 5) {
        hash.append(BASE32.charAt(ch));
        bit = 0;
        ch = 0;
      }
    }
    return hash.toString();
  }
}
