package dev.etlprofiler.report.cli;

import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.read.BadInputException;
import dev.etlprofiler.report.read.SnapshotReader;
import dev.etlprofiler.report.render.SummaryRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The report tool's command line. Exit codes: 0 success, 1 findings at --fail-on, 2 bad input. */
@Command(name = "report-tool", mixinStandardHelpOptions = true, version = "ETL Cost Profiler report tool 0.1.0",
    description = "Turns the agent's snapshot files into reports.",
    subcommands = {Main.Summary.class, CommandLine.HelpCommand.class})
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
    cli.setParameterExceptionHandler((e, a) -> {
      cli.getErr().println(e.getMessage());
      e.getCommandLine().usage(cli.getErr());
      return BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
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

  /** Reads DIR, printing warnings to stderr; null (and a message) when the input is unusable. */
  static Profile read(Path dir) {
    try {
      Profile p = new SnapshotReader(System.console() != null ? System.err : null).read(dir);
      p.warnings().forEach(w -> System.err.println("warning: " + w));
      return p;
    } catch (BadInputException e) {
      e.warnings().forEach(w -> System.err.println("warning: " + w));
      System.err.println("error: " + e.getMessage());
      return null;
    } catch (IOException e) {
      System.err.println("error: cannot read " + dir + ": " + e.getMessage());
      return null;
    }
  }

  @Command(name = "summary", mixinStandardHelpOptions = true,
      description = "Per session and operation: calls, errors, latency percentiles, time, throughput; and resources.")
  static final class Summary implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A directory of snapshot files (searched recursively), or one file.")
    Path dir;

    @Override
    public Integer call() {
      Profile p = read(dir);
      if (p == null) {
        return BAD_INPUT;
      }
      System.out.print(new SummaryRenderer().render(p));
      return OK;
    }
  }
}
