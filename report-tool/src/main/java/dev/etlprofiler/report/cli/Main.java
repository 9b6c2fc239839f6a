package dev.etlprofiler.report.cli;

import dev.etlprofiler.report.analyze.Analyzer;
import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.analyze.Savings;
import dev.etlprofiler.report.analyze.Thresholds;
import dev.etlprofiler.report.compare.Comparison;
import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.read.BadInputException;
import dev.etlprofiler.report.read.SnapshotReader;
import dev.etlprofiler.report.render.CsvRenderer;
import dev.etlprofiler.report.render.HtmlRenderer;
import dev.etlprofiler.report.render.JsonRenderer;
import dev.etlprofiler.report.render.MarkdownRenderer;
import dev.etlprofiler.report.render.Report;
import dev.etlprofiler.report.render.SummaryRenderer;
import dev.etlprofiler.report.render.TextRenderer;
import dev.etlprofiler.report.render.Visible;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The report tool's command line. Exit codes: 0 success, 1 findings at --fail-on, 2 bad input. */
@Command(
    name = "report-tool",
    mixinStandardHelpOptions = true,
    version = "ETL Cost Profiler report tool 0.1.0",
    description = "Turns the agent's snapshot files into reports.",
    subcommands = {
      Main.Summary.class,
      Main.Analyze.class,
      Main.Cost.class,
      Main.ReportCommand.class,
      Main.Compare.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  public static final int OK = 0;
  public static final int FINDINGS = 1;
  public static final int BAD_INPUT = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler(
        (e, a) -> {
          cli.getErr().println(e.getMessage());
          e.getCommandLine().usage(cli.getErr());
          return BAD_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          command.getErr().println("error: " + e);
          return BAD_INPUT;
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.err);
    return BAD_INPUT;
  }

  @Command(
      name = "summary",
      mixinStandardHelpOptions = true,
      description =
          "Per session and operation: calls, errors, latency percentiles, time, throughput; and resources.")
  static final class Summary implements Callable<Integer> {
    @Parameters(
        paramLabel = "DIR",
        description = "A directory of snapshot files (searched recursively), or one file.")
    Path dir;

    @Override
    public Integer call() {
      return guarded(
          () -> {
            // names from snapshots: control and bidi characters shown as escapes on the terminal
            System.out.print(Visible.lines(new SummaryRenderer().render(readOrThrow(dir))));
            return OK;
          });
    }
  }

  /** Options shared by the commands that analyze. */
  static final class AnalysisOptions {
    @Option(
        names = "--threshold",
        paramLabel = "NAME=VALUE",
        description =
            "Change an analysis threshold (see docs/analysis.md), e.g. --threshold error-rate-warning=0.02.")
    Map<String, String> thresholds = Map.of();

    @Option(
        names = "--fail-on",
        paramLabel = "SEVERITY",
        description =
            "Exit with 1 when a finding is at least this severe: info, warning or critical.")
    String failOn;

    Thresholds thresholds() {
      Thresholds t = Thresholds.defaults();
      for (Map.Entry<String, String> e : thresholds.entrySet()) {
        t = t.with(e.getKey(), e.getValue());
      }
      return t;
    }

    /** The findings, with money added where the cost estimate allows. */
    List<Finding> findings(Profile p, CostReport estimate) {
      return Savings.annotate(new Analyzer(thresholds()).analyze(p), estimate);
    }

    /** 1 if a finding reaches --fail-on, else 0. */
    int exitCode(List<Finding> findings) {
      if (failOn == null) return OK;
      Finding.Severity limit = Finding.Severity.parse(failOn);
      return findings.stream().anyMatch(f -> f.severity().compareTo(limit) >= 0) ? FINDINGS : OK;
    }

    void validate() {
      if (failOn != null) {
        try {
          Finding.Severity.parse(failOn);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "--fail-on must be info, warning or critical, not '" + failOn + "'");
        }
      }
      thresholds();
    }
  }

  /** Options shared by the commands that estimate cost. */
  static final class CostOptions {
    @Option(
        names = "--cost-model",
        paramLabel = "FILE",
        description = "Prices as YAML (docs/cost-model.md); default: the bundled list prices.")
    Path costModel;

    @Option(
        names = "--runs-per-day",
        paramLabel = "N",
        description = "Runs a day for the projections; default: from the runs read, else 1.")
    Double runsPerDay;

    CostReport estimate(Profile p) throws BadInputException {
      if (runsPerDay != null
          && (runsPerDay <= 0 || runsPerDay.isInfinite() || runsPerDay.isNaN())) {
        throw new BadInputException("--runs-per-day must be a number > 0, not " + runsPerDay);
      }
      CostModel model = costModel == null ? CostModel.defaults() : CostModel.read(costModel);
      return new CostEstimator().estimate(p, model, runsPerDay);
    }
  }

  /** Runs a command body, turning bad input into one message and exit code 2. */
  interface Body {
    int run() throws BadInputException, IOException;
  }

  static int guarded(Body body) {
    try {
      return body.run();
    } catch (BadInputException e) {
      e.warnings().forEach(w -> System.err.println("warning: " + Visible.of(w)));
      System.err.println("error: " + Visible.of(String.valueOf(e.getMessage())));
      return BAD_INPUT;
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + Visible.of(String.valueOf(e.getMessage())));
      return BAD_INPUT;
    } catch (IOException e) {
      System.err.println("error: " + Visible.of(String.valueOf(e.getMessage())));
      return BAD_INPUT;
    } catch (OutOfMemoryError e) {
      // the last line of defence: the reader bounds what one input may take (docs/reliability.md),
      // so this is a heap too small for legitimate input; what was read is garbage by now
      System.err.println(
          "error: out of memory ("
              + e.getMessage()
              + "); give the report tool more heap, e.g. java -Xmx1g -jar report-tool.jar ...");
      return BAD_INPUT;
    }
  }

  static Profile readOrThrow(Path dir) throws BadInputException, IOException {
    Profile p = new SnapshotReader(System.console() != null ? System.err : null).read(dir);
    p.warnings().forEach(w -> System.err.println("warning: " + Visible.of(w)));
    return p;
  }

  @Command(
      name = "analyze",
      mixinStandardHelpOptions = true,
      description =
          "Findings: what is slow or failing, the numbers that show it, and what to change.")
  static final class Analyze implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A directory of snapshot files, or one file.")
    Path dir;

    @CommandLine.Mixin AnalysisOptions analysis = new AnalysisOptions();

    @CommandLine.Mixin CostOptions cost = new CostOptions();

    @Override
    public Integer call() {
      return guarded(
          () -> {
            analysis.validate();
            Profile p = readOrThrow(dir);
            List<Finding> findings = analysis.findings(p, cost.estimate(p));
            System.out.print(new TextRenderer().findings(findings));
            return analysis.exitCode(findings);
          });
    }
  }

  @Command(
      name = "cost",
      mixinStandardHelpOptions = true,
      description =
          "Cost estimate per run, hour, day or month, every line with its inputs and formula.")
  static final class Cost implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A directory of snapshot files, or one file.")
    Path dir;

    @Option(
        names = "--period",
        paramLabel = "PERIOD",
        defaultValue = "run",
        description = "run, hourly, daily or monthly (default: run).")
    String period;

    @CommandLine.Mixin CostOptions cost = new CostOptions();

    @Override
    public Integer call() {
      return guarded(
          () -> {
            if (!List.of("run", "hourly", "daily", "monthly").contains(period)) {
              throw new BadInputException(
                  "--period must be run, hourly, daily or monthly, not '" + period + "'");
            }
            CostReport c = cost.estimate(readOrThrow(dir));
            System.out.print(new TextRenderer().cost(c, period));
            return OK;
          });
    }
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description =
          "Everything together: findings, cost, operations and resources, as json, csv, markdown or html.")
  static final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A directory of snapshot files, or one file.")
    Path dir;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        required = true,
        description = "json, csv, markdown or html.")
    String format;

    @Option(
        names = "--output",
        paramLabel = "FILE",
        description =
            "Write here instead of standard output (for csv: a directory, one file per table).")
    Path output;

    @CommandLine.Mixin AnalysisOptions analysis = new AnalysisOptions();

    @CommandLine.Mixin CostOptions cost = new CostOptions();

    @Override
    public Integer call() {
      return guarded(
          () -> {
            if (!List.of("json", "csv", "markdown", "html").contains(format)) {
              throw new BadInputException(
                  "--format must be json, csv, markdown or html, not '" + format + "'");
            }
            analysis.validate();
            Profile p = readOrThrow(dir);
            CostReport estimate = cost.estimate(p);
            List<Finding> findings = analysis.findings(p, estimate);
            Report report = new Report(p, findings, estimate);
            if (format.equals("csv") && output != null) {
              Files.createDirectories(output);
              for (Map.Entry<String, String> t : new CsvRenderer().render(report).entrySet()) {
                Files.writeString(
                    output.resolve(t.getKey() + ".csv"), t.getValue(), StandardCharsets.UTF_8);
              }
              System.err.println(
                  "wrote " + output.resolve("operations.csv") + ", findings.csv, cost.csv");
              return analysis.exitCode(findings);
            }
            String text =
                switch (format) {
                  case "json" -> new JsonRenderer().render(report);
                  case "csv" -> new CsvRenderer().renderAll(report);
                  case "markdown" -> new MarkdownRenderer().render(report);
                  default -> new HtmlRenderer().render(report);
                };
            if (output == null) {
              System.out.print(text);
            } else {
              if (output.getParent() != null) Files.createDirectories(output.getParent());
              Files.writeString(output, text, StandardCharsets.UTF_8);
              System.err.println("wrote " + output);
            }
            return analysis.exitCode(findings);
          });
    }
  }

  @Command(
      name = "compare",
      mixinStandardHelpOptions = true,
      description =
          "Regressions and improvements per operation against a baseline run; exit code 1 on a regression.")
  static final class Compare implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "BASELINE_DIR",
        description = "Snapshots of the baseline run(s).")
    Path baseline;

    @Parameters(
        index = "1",
        paramLabel = "CURRENT_DIR",
        description = "Snapshots of the run(s) to check.")
    Path current;

    @CommandLine.Mixin CostOptions cost = new CostOptions();

    @Option(
        names = "--regression-threshold",
        paramLabel = "FACTOR",
        defaultValue = "1.5",
        description =
            "How much slower the typical call must be to count as a regression, the minimum effect"
                + " size (default 1.5); it must also be beyond the runs' noise (docs/analysis.md).")
    double threshold;

    @Override
    public Integer call() {
      return guarded(
          () -> {
            if (!(threshold > 1) || Double.isInfinite(threshold)) {
              throw new BadInputException(
                  "--regression-threshold must be a number > 1, not " + threshold);
            }
            Profile base = readOrThrow(baseline);
            Profile now = readOrThrow(current);
            CostReport baseCost = cost.estimate(base);
            Comparison c =
                Comparison.of(
                    base,
                    now,
                    threshold,
                    baseCost.perRun(),
                    cost.estimate(now).perRun(),
                    baseCost.currency());
            System.out.print(new TextRenderer().comparison(c));
            return c.regressions().isEmpty() ? OK : FINDINGS;
          });
    }
  }
}
