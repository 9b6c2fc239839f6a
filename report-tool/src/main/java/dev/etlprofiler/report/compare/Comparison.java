package dev.etlprofiler.report.compare;

import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.OperationStats;
import dev.etlprofiler.report.model.Profile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A baseline run against a current one, operation by operation: p50, p99, mean time per call, the
 * typical slowdown, calls per record. An operation is a <b>regression</b> when
 *
 * <ol>
 *   <li>both sides have at least {@link #MIN_TIMED_CALLS} timed calls (otherwise {@link
 *       Verdict#TOO_FEW_CALLS});
 *   <li>its typical call is at least the threshold factor slower: the Hodges–Lehmann ratio, the
 *       median over every pair of a baseline call and a current call of current / baseline ({@link
 *       Shift}) — the minimum effect size;
 *   <li>the slowdown is beyond what the two distributions' spread explains: the 99.9 % one-sided
 *       Moses confidence bound of that ratio, which inverts the Mann–Whitney test computed from the
 *       histograms' bucket counts, is above 1;
 *   <li>its total time grew by at least 1 % of the baseline's wall time (a 5 µs method measured at
 *       15 µs in a cold JVM is not worth failing a build for).
 * </ol>
 *
 * An <b>improvement</b> is the same the other way (no wall-time condition); anything else is {@link
 * Verdict#UNCHANGED}. The p50 and the mean are shown but not judged: a p50 jumps between the modes
 * of a two-mode distribution (a method before and after the JIT compiles it), and a mean moves with
 * a few stalls. Operations match across runs by their identity, except that an HTTP endpoint on a
 * loopback host matches whatever its ephemeral port ({@link #matchKey}). Pure.
 */
public record Comparison(
    double threshold,
    List<Change> changes,
    List<String> onlyInBaseline,
    List<String> onlyInCurrent,
    double baselineCostPerRun,
    double currentCostPerRun,
    String currency) {
  /** Timed calls each side needs for a verdict. */
  public static final long MIN_TIMED_CALLS = 20;

  /** Ports from here up are ephemeral (Linux 32768–60999, Windows and BSD 49152–65535). */
  public static final int EPHEMERAL_PORTS_FROM = 32768;

  /** One operation in both runs. */
  public record Change(
      String subject,
      long baselineCalls,
      long currentCalls,
      long baselineTimedCalls,
      long currentTimedCalls,
      long baselineP50,
      long currentP50,
      long baselineP99,
      long currentP99,
      double baselineMean,
      double currentMean,
      double typicalRatio,
      double typicalRatioLow,
      double typicalRatioHigh,
      double baselineRecordsPerSecond,
      double currentRecordsPerSecond,
      double baselineCallsPerRecord,
      double currentCallsPerRecord,
      Verdict verdict) {
    public double p50Ratio() {
      return baselineP50 > 0 ? (double) currentP50 / baselineP50 : Double.NaN;
    }

    public double meanRatio() {
      return baselineMean > 0 ? currentMean / baselineMean : Double.NaN;
    }
  }

  public enum Verdict {
    REGRESSION,
    IMPROVEMENT,
    UNCHANGED,
    TOO_FEW_CALLS
  }

  public static Comparison of(Profile baseline, Profile current, double threshold) {
    return of(baseline, current, threshold, Double.NaN, Double.NaN, null);
  }

  /** With the cost per run of both sides (from the same cost model) and its currency. */
  public static Comparison of(
      Profile baseline,
      Profile current,
      double threshold,
      double baselineCost,
      double currentCost,
      String currency) {
    Map<OperationKey, OperationStats> base = matchable(baseline);
    Map<OperationKey, OperationStats> cur = matchable(current);
    List<Change> changes = new ArrayList<>();
    List<String> onlyBaseline = new ArrayList<>();
    for (Map.Entry<OperationKey, OperationStats> e : base.entrySet()) {
      OperationStats c = cur.get(e.getKey());
      if (c == null) {
        onlyBaseline.add(subject(e.getKey()));
      } else {
        changes.add(
            change(
                subject(e.getKey()),
                e.getValue(),
                c,
                threshold,
                records(baseline),
                records(current),
                baseline.jvmWallMillis() * 1_000_000L / 100));
      }
    }
    List<String> onlyCurrent = new ArrayList<>();
    for (OperationKey key : cur.keySet()) {
      if (!base.containsKey(key)) onlyCurrent.add(subject(key));
    }
    return new Comparison(
        threshold,
        List.copyOf(changes),
        List.copyOf(onlyBaseline),
        List.copyOf(onlyCurrent),
        baselineCost,
        currentCost,
        currency);
  }

  /** An operation's label, with its kind in brackets unless it is a method. */
  static String subject(OperationKey key) {
    return "method".equals(key.kind()) ? key.label() : key.label() + " [" + key.kind() + "]";
  }

  public List<Change> regressions() {
    return changes.stream().filter(c -> c.verdict() == Verdict.REGRESSION).toList();
  }

  private static final Pattern LOOPBACK_ENDPOINT =
      Pattern.compile(
          "^(\\S+ (?:[A-Za-z][A-Za-z0-9+.-]*://)?)(localhost|127(?:\\.\\d{1,3}){3}|\\[::1\\]):(\\d{1,5})(/.*)?$");

  /**
   * The identity an operation is matched by across runs: its key, with an ephemeral port ({@link
   * #EPHEMERAL_PORTS_FROM} and above) of an endpoint on a loopback host ({@code localhost},
   * 127.x.x.x, [::1]) replaced by {@code {port}} in every path element, since a local test server
   * or sidecar listens on a new one every run ({@code GET http://127.0.0.1:40013/regions/{n}} and
   * {@code :45527} are one endpoint). Other hosts and fixed ports stay as they are.
   */
  public static OperationKey matchKey(OperationKey key) {
    List<String> path = new ArrayList<>(key.path().size());
    boolean changed = false;
    for (String element : key.path()) {
      String n = normalisePort(element);
      changed |= !n.equals(element);
      path.add(n);
    }
    return changed ? new OperationKey(key.dataset(), key.source(), key.kind(), path) : key;
  }

  static String normalisePort(String element) {
    Matcher m = LOOPBACK_ENDPOINT.matcher(element);
    if (!m.matches() || Integer.parseInt(m.group(3)) < EPHEMERAL_PORTS_FROM) return element;
    return m.group(1) + m.group(2) + ":{port}" + (m.group(4) == null ? "" : m.group(4));
  }

  /** The profile's operations by {@link #matchKey}; two that match one key are added together. */
  private static Map<OperationKey, OperationStats> matchable(Profile p) {
    Map<OperationKey, OperationStats> out = new LinkedHashMap<>();
    Set<OperationKey> merged = new HashSet<>();
    for (Map.Entry<OperationKey, OperationStats> e : p.operations().entrySet()) {
      OperationKey key = matchKey(e.getKey());
      OperationStats have = out.get(key);
      if (have == null) {
        out.put(key, e.getValue());
      } else {
        if (merged.add(key)) {
          OperationStats sum = new OperationStats(have.async());
          sum.add(have);
          out.put(key, sum);
          have = sum;
        }
        have.add(e.getValue());
      }
    }
    return out;
  }

  /** Records a run handled: the largest records count of any operation (0 when none counts). */
  static long records(Profile p) {
    return p.operations().values().stream().mapToLong(s -> s.counter("records")).max().orElse(0);
  }

  private static Change change(
      String subject,
      OperationStats b,
      OperationStats c,
      double threshold,
      long bRecords,
      long cRecords,
      long minAddedNanos) {
    double bMean = b.calls() == 0 ? 0 : (double) b.totalNanos() / b.calls();
    double cMean = c.calls() == 0 ? 0 : (double) c.totalNanos() / c.calls();
    Shift.Result shift = Shift.of(b.histogram(), c.histogram());
    double clear = Math.sqrt(threshold);
    Verdict verdict;
    if (b.timedCalls() < MIN_TIMED_CALLS || c.timedCalls() < MIN_TIMED_CALLS || shift == null) {
      verdict = Verdict.TOO_FEW_CALLS;
    } else if (shift.ratio() >= threshold
        && shift.lower() >= clear
        && c.calls() * b.percentile(50) * (shift.ratio() - 1) >= minAddedNanos) {
      verdict = Verdict.REGRESSION;
    } else if (shift.ratio() <= 1 / threshold && shift.upper() <= 1 / clear) {
      verdict = Verdict.IMPROVEMENT;
    } else {
      verdict = Verdict.UNCHANGED;
    }
    return new Change(
        subject,
        b.calls(),
        c.calls(),
        b.timedCalls(),
        c.timedCalls(),
        b.percentile(50),
        c.percentile(50),
        b.percentile(99),
        c.percentile(99),
        bMean,
        cMean,
        shift == null ? Double.NaN : shift.ratio(),
        shift == null ? Double.NaN : shift.lower(),
        shift == null ? Double.NaN : shift.upper(),
        recordsPerSecond(b),
        recordsPerSecond(c),
        bRecords > 0 ? (double) b.calls() / bRecords : Double.NaN,
        cRecords > 0 ? (double) c.calls() / cRecords : Double.NaN,
        verdict);
  }

  private static double recordsPerSecond(OperationStats s) {
    return s.counter("records") > 0 && s.totalNanos() > 0 && !s.async()
        ? s.counter("records") / (s.totalNanos() / 1e9)
        : Double.NaN;
  }
}
