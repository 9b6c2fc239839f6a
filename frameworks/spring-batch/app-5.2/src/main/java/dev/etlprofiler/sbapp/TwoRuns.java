package dev.etlprofiler.sbapp;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.launch.support.TaskExecutorJobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.support.transaction.ResourcelessTransactionManager;

/**
 * Runs {@link AirportsJob}'s job twice in one JVM: once, then prints {@code ready} and waits for a
 * file {@code go} in the working directory (the test attaches the agent in between), then again,
 * printing the second run's step counts. Argument: the CSV file.
 */
public final class TwoRuns {
  private TwoRuns() {}

  static JobExecution run(Path csv) throws Exception {
    JobRepository repo = new ResourcelessJobRepository();
    TaskExecutorJobLauncher launcher = new TaskExecutorJobLauncher();
    launcher.setJobRepository(repo);
    launcher.afterPropertiesSet();
    return launcher.run(
        AirportsJob.job(
            repo, new ResourcelessTransactionManager(), csv, new AirportsJob.Store(), false),
        new JobParameters());
  }

  public static void main(String[] args) throws Exception {
    Path csv = Path.of(args[0]);
    run(csv);
    System.out.println("ready");
    System.out.flush();
    while (!Files.exists(Path.of("go"))) {
      Thread.sleep(10);
    }
    JobExecution second = run(csv);
    for (StepExecution s : second.getStepExecutions()) {
      System.out.println("STEP " + s.getStepName() + " read=" + s.getReadCount());
    }
    System.out.println("JOB airports-etl " + second.getStatus());
  }
}
