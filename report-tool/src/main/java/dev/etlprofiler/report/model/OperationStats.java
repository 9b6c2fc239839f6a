package dev.etlprofiler.report.model;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** One operation's figures summed over every interval, JVM and run read. */
public final class OperationStats {
  /** Latency histograms of the snapshots: 1 ns … 1 h, 2 significant digits. */
  public static final long HIGHEST_NANOS = 3_600_000_000_000L;

  private long calls;
  private long timedCalls;
  private boolean sampled;
  private boolean async;
  private long totalNanos;
  private long maxNanos;
  private long raisedToMax;
  private long boundNanos = Long.MAX_VALUE;
  private String boundReason;
  private final Map<String, Long> errors = new TreeMap<>();
  private final Map<String, Long> counters = new TreeMap<>();
  private final Map<String, Long> gauges = new TreeMap<>();
  private Histogram histogram;

  public OperationStats() {}

  /**
   * @param async true when every call of this operation is asynchronous (its kind says so)
   */
  public OperationStats(boolean async) {
    this.async = async;
  }

  public void addCalls(long n, long timed, boolean wasSampled) {
    calls += n;
    timedCalls += timed;
    sampled |= wasSampled;
  }

  /**
   * Adds one interval's time. A total below the interval's longest call is impossible (the total
   * sums every call, the longest included); the agent writes one when it derives the total from its
   * histogram (1 % precision) and the longest call from the histogram's bucket top, so the total is
   * raised to the longest call and {@link #raisedToMax} counts how often.
   */
  public void addTime(long total, long max) {
    if (total < max) {
      raisedToMax++;
      total = max;
    }
    totalNanos += total;
    maxNanos = Math.max(maxNanos, max);
  }

  /** Intervals whose total was below their longest call and was raised to it. */
  public long raisedToMax() {
    return raisedToMax;
  }

  /** Marks the operation asynchronous: its time is time in flight, not time a thread spent. */
  public void markAsync() {
    async = true;
  }

  /**
   * Asynchronous: timed from the start of a call to its completion while the caller went on (kind
   * {@code kafka-send}, or {@code "async": true} in the snapshot). Its total is time in flight,
   * overlapping its caller and its own other calls; total / wall is the mean number in flight.
   */
  public boolean async() {
    return async;
  }

  public void addError(String type, long n) {
    errors.merge(type, n, Long::sum);
  }

  public void addCounter(String name, long n) {
    counters.merge(name, n, Long::sum);
  }

  /** A gauge such as {@code consumerLagMax}: the largest value over the intervals is kept. */
  public void addGauge(String name, long value) {
    gauges.merge(name, value, Math::max);
  }

  public Map<String, Long> gauges() {
    return gauges;
  }

  /** The histogram to add decoded latencies to (created on first use). */
  public Histogram histogramForAdding() {
    if (histogram == null) {
      histogram = new Histogram(1, HIGHEST_NANOS, 2);
    }
    return histogram;
  }

  public void addHistogram(Histogram h) {
    if (histogram == null) {
      histogram = new Histogram(1, HIGHEST_NANOS, 2);
    }
    histogram.add(h);
  }

  /** Adds everything another operation's figures hold (to match two operations as one). */
  public void add(OperationStats o) {
    calls += o.calls;
    timedCalls += o.timedCalls;
    sampled |= o.sampled;
    async |= o.async;
    totalNanos += o.totalNanos();
    maxNanos = Math.max(maxNanos, o.maxNanos);
    raisedToMax += o.raisedToMax;
    o.errors.forEach(this::addError);
    o.counters.forEach(this::addCounter);
    o.gauges.forEach(this::addGauge);
    if (o.histogram != null) addHistogram(o.histogram);
  }

  public long calls() {
    return calls;
  }

  /** Calls whose latency is in the histogram (fewer than {@link #calls} when sampled). */
  public long timedCalls() {
    return timedCalls;
  }

  public boolean sampled() {
    return sampled;
  }

  /**
   * Total time of the calls, ns: measured, or for a sampled operation the agent's estimate (calls ×
   * the timed calls' mean) capped at what is possible ({@link #capped()}).
   */
  public long totalNanos() {
    return Math.min(totalNanos, boundNanos);
  }

  /** The total as read, before any cap: for a sampled operation, the agent's estimate. */
  public long rawTotalNanos() {
    return totalNanos;
  }

  /**
   * Sets the most time the operation can have taken, and why (see {@link Profile}); only a sampled
   * operation's estimate is ever capped.
   */
  void bound(long nanos, String reason) {
    boundNanos = sampled ? Math.max(0, nanos) : Long.MAX_VALUE;
    boundReason = reason;
  }

  void clearBound() {
    boundNanos = Long.MAX_VALUE;
    boundReason = null;
  }

  /** Whether the estimated total was above what is possible and was lowered to it. */
  public boolean capped() {
    return totalNanos > boundNanos;
  }

  /** Why the total was capped (null when it was not). */
  public String capReason() {
    return capped() ? boundReason : null;
  }

  /**
   * The 95 % confidence interval of the total, {low, high} ns, within the cap: both the total
   * unless the operation was sampled (see {@link #rawTotalInterval}).
   */
  public long[] totalInterval() {
    long[] raw = rawTotalInterval();
    return new long[] {Math.min(raw[0], totalNanos()), Math.min(raw[1], boundNanos)};
  }

  /**
   * The 95 % confidence interval of the agent's estimate before any cap, {low, high} ns. Exact
   * (both the total) unless the operation was sampled; then the total is calls × the mean of the
   * timed calls, and the interval is calls × (mean ± t·s/√n) with n the timed calls, s their
   * standard deviation and the finite population correction √(1 − n/calls), never below the time
   * the timed calls measured. It says how far the timed calls' spread leaves the estimate
   * uncertain, not whether they were typical (the first calls of a JVM are timed before sampling
   * starts).
   */
  public long[] rawTotalInterval() {
    long n = histogram == null ? 0 : Math.min(timedCalls, histogram.getTotalCount());
    if (!sampled || n < 2 || calls <= n) {
      return new long[] {totalNanos, totalNanos};
    }
    double sd = histogram.getStdDeviation() * Math.sqrt((double) n / (n - 1));
    double fpc = Math.sqrt(Math.max(0, 1 - (double) n / calls));
    double half = calls * Stats.t975(n - 1) * sd / Math.sqrt(n) * fpc;
    double timed = histogram.getMean() * n;
    return new long[] {
      Math.round(Math.min(totalNanos, Math.max(timed, totalNanos - half))),
      Math.round(totalNanos + half)
    };
  }

  public long maxNanos() {
    return maxNanos;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<String, Long> errors() {
    return errors;
  }

  public Map<String, Long> counters() {
    return counters;
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  /**
   * Latency at a percentile in ns, or -1 without timed calls: the middle of the histogram bucket
   * (within 1%); a percentile in the bucket of the longest call is the longest call.
   */
  public long percentile(double p) {
    if (histogram == null || histogram.getTotalCount() == 0) {
      return -1;
    }
    long v = histogram.getValueAtPercentile(p);
    if (maxNanos > 0 && histogram.valuesAreEquivalent(v, maxNanos)) {
      return maxNanos;
    }
    v = histogram.medianEquivalentValue(v);
    return maxNanos > 0 ? Math.min(v, maxNanos) : v;
  }

  public Histogram histogram() {
    return histogram;
  }
}
