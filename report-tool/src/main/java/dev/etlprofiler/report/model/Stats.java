package dev.etlprofiler.report.model;

/** Quantiles the report's confidence intervals need. */
public final class Stats {
  private Stats() {}

  /** Student's t, two-sided 95 % (the 0.975 quantile), degrees of freedom 1 … 30. */
  private static final double[] T975 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042
  };

  /** The standard normal's 0.975 quantile. */
  public static final double Z975 = 1.959964;

  /**
   * The 0.975 quantile of Student's t with {@code df} degrees of freedom: from the table up to 30,
   * above by the Cornish–Fisher expansion around the normal (error below 0.001).
   */
  public static double t975(long df) {
    if (df < 1) return Double.POSITIVE_INFINITY;
    if (df <= T975.length) return T975[(int) df - 1];
    double z = Z975;
    double z3 = z * z * z;
    return z + (z3 + z) / (4.0 * df) + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96.0 * df * df);
  }
}
