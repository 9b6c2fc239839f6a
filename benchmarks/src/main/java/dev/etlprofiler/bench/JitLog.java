package dev.etlprofiler.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Summarises HotSpot's {@code -XX:+LogCompilation} files of runs with and without an agent: per
 * run, the C1 and C2 compile time (each task from its start to its {@code task_done}) and the
 * uncommon traps that deoptimised compiled code, then the traps (method, reason) that every run
 * with the agent hit and no run without it did — the agent's code changing what the JIT assumed
 * about the application's — and the methods that every run with the agent compiled and no run
 * without it did, with their compile time by package: the JIT work the agent adds for certain, as
 * opposed to the compiler's run-to-run variation. Used by {@code scripts/jit.sh}.
 *
 * <pre>java -cp benchmarks.jar dev.etlprofiler.bench.JitLog none=a.xml,b.xml agent=c.xml,d.xml
 * </pre>
 *
 * The first label is the baseline; traps are compared between it and each other label.
 */
public final class JitLog {
  private static final Pattern TASK =
      Pattern.compile("<task compile_id='(\\d+)'.*?stamp='([\\d.]+)'");

  /** C1's tasks carry their tier (1-3); C2's carry none. */
  private static final Pattern LEVEL = Pattern.compile(" level='(\\d)'");

  private static final Pattern DONE = Pattern.compile("<task_done .*?stamp='([\\d.]+)'");
  private static final Pattern QUEUED =
      Pattern.compile("<task_queued compile_id='(\\d+)'(?: compile_kind='\\w+')? method='([^']*)'");
  private static final Pattern TRAP =
      Pattern.compile(
          "<uncommon_trap thread='\\d+' reason='([^']*)' action='([^']*)'(?: debug_id='\\d+')? compile_id='(\\d+)'");
  private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda\\S*");

  private JitLog() {}

  /** One run's figures. */
  record Run(
      double c1Seconds,
      double c2Seconds,
      Map<String, Integer> traps,
      Map<String, Double> compiled) {}

  public static void main(String[] args) throws IOException {
    Map<String, List<Run>> byLabel = new java.util.LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      List<Run> runs = new ArrayList<>();
      for (String file : arg.substring(eq + 1).split(",")) {
        runs.add(read(Path.of(file)));
      }
      byLabel.put(arg.substring(0, eq), runs);
    }
    String base = byLabel.keySet().iterator().next();
    for (Map.Entry<String, List<Run>> e : byLabel.entrySet()) {
      List<Run> runs = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "%s: C1 s %s, C2 s %s, uncommon traps per run %s%n",
          e.getKey(),
          list(runs, 1),
          list(runs, 2),
          list(runs, 3));
    }
    Set<String> baseline = new HashSet<>();
    for (Run r : byLabel.get(base)) {
      baseline.addAll(r.traps().keySet());
    }
    for (Map.Entry<String, List<Run>> e : byLabel.entrySet()) {
      if (e.getKey().equals(base)) continue;
      Map<String, Integer> inEvery = new TreeMap<>(e.getValue().get(0).traps());
      for (Run r : e.getValue()) {
        inEvery.keySet().retainAll(r.traps().keySet());
      }
      inEvery.keySet().removeAll(baseline);
      System.out.printf(
          "traps in every %s run and no %s run: %d%n", e.getKey(), base, inEvery.size());
      for (String trap : inEvery.keySet()) {
        System.out.println("  " + trap);
      }
      onlyCompiledWith(e.getKey(), e.getValue(), base, byLabel.get(base));
    }
  }

  /**
   * The compilations (tier and method) found in every run of {@code runs} and in no run of the
   * baseline: their count and mean compile time per run, and that time by package (the first three
   * segments of the class name).
   */
  private static void onlyCompiledWith(
      String label, List<Run> runs, String base, List<Run> baseRuns) {
    Set<String> only = new HashSet<>(runs.get(0).compiled().keySet());
    for (Run r : runs) {
      only.retainAll(r.compiled().keySet());
    }
    for (Run r : baseRuns) {
      only.removeAll(r.compiled().keySet());
    }
    Map<String, Double> byPackage = new TreeMap<>();
    double total = 0;
    for (String key : only) {
      double mean = 0;
      for (Run r : runs) {
        mean += r.compiled().get(key) / runs.size();
      }
      total += mean;
      String method = key.substring(3);
      String cls = method.substring(0, Math.max(0, method.indexOf(' ')));
      String[] parts = cls.split("\\.");
      String pkg =
          key.substring(0, 2)
              + " "
              + String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, parts.length)));
      byPackage.merge(pkg, mean, Double::sum);
    }
    System.out.printf(
        Locale.ROOT,
        "compilations in every %s run and no %s run: %d, %.3f s per run%n",
        label,
        base,
        only.size(),
        total);
    byPackage.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(12)
        .forEach(p -> System.out.printf(Locale.ROOT, "  %-40s %.3f s%n", p.getKey(), p.getValue()));
  }

  private static String list(List<Run> runs, int what) {
    List<String> out = new ArrayList<>();
    for (Run r : runs) {
      out.add(
          switch (what) {
            case 1 -> String.format(Locale.ROOT, "%.2f", r.c1Seconds());
            case 2 -> String.format(Locale.ROOT, "%.2f", r.c2Seconds());
            default ->
                Integer.toString(r.traps().values().stream().mapToInt(Integer::intValue).sum());
          });
    }
    return String.join(" ", out);
  }

  static Run read(Path file) throws IOException {
    Map<String, String> methods = new HashMap<>();
    Map<String, Integer> traps = new HashMap<>();
    Map<String, Double> compiled = new HashMap<>();
    double c1 = 0;
    double c2 = 0;
    String[] open =
        null; // compile id, level, start stamp of the task being compiled on this log's thread
    try (BufferedReader in =
        Files.newBufferedReader(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("<task_queued ")) {
          Matcher m = QUEUED.matcher(line);
          if (m.find())
            methods.put(m.group(1), LAMBDA.matcher(m.group(2)).replaceAll("\\$\\$Lambda"));
        } else if (line.startsWith("<task ")) {
          Matcher m = TASK.matcher(line);
          Matcher level = LEVEL.matcher(line);
          if (m.find())
            open = new String[] {m.group(1), level.find() ? level.group(1) : null, m.group(2)};
        } else if (line.startsWith("<task_done") && open != null) {
          Matcher m = DONE.matcher(line);
          if (m.find()) {
            double seconds = Double.parseDouble(m.group(1)) - Double.parseDouble(open[2]);
            boolean isC2 = open[1] == null || open[1].equals("4");
            if (isC2) c2 += seconds;
            else c1 += seconds;
            String method = methods.get(open[0]);
            if (method != null)
              compiled.merge((isC2 ? "C2 " : "C1 ") + method, seconds, Double::sum);
          }
          open = null;
        } else if (line.startsWith("<uncommon_trap thread=")) {
          Matcher m = TRAP.matcher(line);
          if (m.find()) {
            String key = methods.getOrDefault(m.group(3), "?") + " [" + m.group(1) + "]";
            traps.merge(key, 1, Integer::sum);
          }
        }
      }
    }
    return new Run(c1, c2, traps, compiled);
  }
}
