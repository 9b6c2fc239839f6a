package dev.etlprofiler.sbapp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.support.TaskExecutorJobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.item.Chunk;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.batch.item.ItemReader;
import org.springframework.batch.item.ItemWriter;
import org.springframework.batch.item.file.FlatFileItemReader;
import org.springframework.batch.item.file.builder.FlatFileItemReaderBuilder;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.batch.support.transaction.ResourcelessTransactionManager;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A Spring Batch 5.2 job written the way users write one, without Spring Boot: job {@code
 * airports-etl} loads airports from a CSV file with the built-in {@code FlatFileItemReader} (step
 * {@code load-airports}, chunks of 100, fault tolerant: an airport without a state is skipped, one
 * outside the contiguous states filtered), counts them by region in a multi-threaded step (step
 * {@code count-by-region}, chunks of 25, two threads) and prints a report in a tasklet (step {@code
 * report}). Processors, writers, the second reader and the tasklet are lambdas and method
 * references, or, with the argument {@code classes}, classes.
 *
 * <p>Prints the regions' counts, then each step's counts as the framework kept them ({@code
 * StepExecution}), then how often the job's own code was called. Exit code 0 when the job
 * completed, 1 otherwise. With {@code -Dairports.fail-report=true} the report tasklet throws, so
 * the step and the job fail.
 *
 * <p>Arguments: the CSV file, {@code lambdas} or {@code classes}.
 */
public final class AirportsJob {
  /** A line of the CSV file. */
  public record Row(String iata, String name, String state, String latitude, String longitude) {}

  /** A validated airport. */
  public record Airport(String iata, String name, String state, double latitude) {}

  /** Calls of the job's own code, by step: what the profile's calls are checked against. */
  static final Map<String, AtomicLong> CALLS = new ConcurrentHashMap<>();

  static void called(String what) {
    CALLS.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  /** What the first step loaded and the second one counts. */
  static final class Store {
    final List<Airport> loaded = new ArrayList<>();
    final Map<String, AtomicLong> byRegion = new ConcurrentHashMap<>();
    private Iterator<Airport> cursor;

    void load(Chunk<? extends Airport> chunk) {
      called("load-airports.write");
      loaded.addAll(chunk.getItems());
    }

    synchronized Airport next() {
      called("count-by-region.read");
      if (cursor == null) {
        cursor = loaded.iterator();
      }
      return cursor.hasNext() ? cursor.next() : null;
    }

    void count(Chunk<? extends String> regions) {
      called("count-by-region.write");
      for (String r : regions) {
        byRegion.computeIfAbsent(r, k -> new AtomicLong()).incrementAndGet();
      }
    }

    RepeatStatus report() {
      called("report.tasklet");
      if (Boolean.getBoolean("airports.fail-report")) {
        throw new IllegalStateException("the report failed (-Dairports.fail-report)");
      }
      for (Map.Entry<String, AtomicLong> e : new TreeMap<>(byRegion).entrySet()) {
        System.out.println("REGION " + e.getKey() + " " + e.getValue());
      }
      return RepeatStatus.FINISHED;
    }
  }

  /** The validation of one row: skipped without a state, filtered outside the 48 states. */
  static Airport validate(Row row) {
    called("load-airports.process");
    if (row.state() == null || row.state().equals("NA")) {
      throw new IllegalArgumentException("no state: " + row.iata());
    }
    double lat = Double.parseDouble(row.latitude());
    double lon = Double.parseDouble(row.longitude());
    if (lat < 24 || lat > 50 || lon < -125) {
      return null;
    }
    return new Airport(row.iata(), row.name(), row.state(), lat);
  }

  static String region(Airport a) {
    called("count-by-region.process");
    return Regions.of(a.state());
  }

  // ---- the same job's code as classes ----

  static final class ValidateAirport implements ItemProcessor<Row, Airport> {
    @Override
    public Airport process(Row row) {
      return validate(row);
    }
  }

  static final class LoadWriter implements ItemWriter<Airport> {
    private final Store store;

    LoadWriter(Store store) {
      this.store = store;
    }

    @Override
    public void write(Chunk<? extends Airport> chunk) {
      store.load(chunk);
    }
  }

  static final class StoreReader implements ItemReader<Airport> {
    private final Store store;

    StoreReader(Store store) {
      this.store = store;
    }

    @Override
    public Airport read() {
      return store.next();
    }
  }

  static final class RegionOf implements ItemProcessor<Airport, String> {
    @Override
    public String process(Airport a) {
      return region(a);
    }
  }

  static final class RegionCounter implements ItemWriter<String> {
    private final Store store;

    RegionCounter(Store store) {
      this.store = store;
    }

    @Override
    public void write(Chunk<? extends String> chunk) {
      store.count(chunk);
    }
  }

  static final class ReportTasklet implements Tasklet {
    private final Store store;

    ReportTasklet(Store store) {
      this.store = store;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
      return store.report();
    }
  }

  static FlatFileItemReader<Row> airports(Path csv) {
    return new FlatFileItemReaderBuilder<Row>()
        .name("airports")
        .resource(new FileSystemResource(csv))
        .linesToSkip(1)
        .delimited()
        .names("iata", "name", "city", "state", "country", "latitude", "longitude")
        .fieldSetMapper(
            fs ->
                new Row(
                    fs.readString("iata"),
                    fs.readString("name"),
                    fs.readString("state"),
                    fs.readString("latitude"),
                    fs.readString("longitude")))
        .build();
  }

  static Job job(
      JobRepository repo, PlatformTransactionManager tx, Path csv, Store store, boolean classes) {
    SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("count-");
    threads.setConcurrencyLimit(2);
    ItemProcessor<Row, Airport> validate =
        classes ? new ValidateAirport() : row -> AirportsJob.validate(row);
    ItemWriter<Airport> load = classes ? new LoadWriter(store) : store::load;
    ItemReader<Airport> next = classes ? new StoreReader(store) : () -> store.next();
    ItemProcessor<Airport, String> regionOf = classes ? new RegionOf() : AirportsJob::region;
    ItemWriter<String> count = classes ? new RegionCounter(store) : store::count;
    Tasklet report = classes ? new ReportTasklet(store) : (contribution, context) -> store.report();
    Step loadAirports =
        new StepBuilder("load-airports", repo)
            .<Row, Airport>chunk(100, tx)
            .reader(airports(csv))
            .processor(validate)
            .writer(load)
            .faultTolerant()
            .skip(IllegalArgumentException.class)
            .skipLimit(10)
            .build();
    Step countByRegion =
        new StepBuilder("count-by-region", repo)
            .<Airport, String>chunk(25, tx)
            .reader(next)
            .processor(regionOf)
            .writer(count)
            .taskExecutor(threads)
            .build();
    Step reportStep = new StepBuilder("report", repo).tasklet(report, tx).build();
    return new JobBuilder("airports-etl", repo)
        .start(loadAirports)
        .next(countByRegion)
        .next(reportStep)
        .build();
  }

  public static void main(String[] args) throws Exception {
    Path csv = Path.of(args[0]);
    boolean classes = args.length > 1 && args[1].equals("classes");
    JobRepository repo = new ResourcelessJobRepository();
    PlatformTransactionManager tx = new ResourcelessTransactionManager();
    Store store = new Store();
    Job job = job(repo, tx, csv, store, classes);
    TaskExecutorJobLauncher launcher = new TaskExecutorJobLauncher();
    launcher.setJobRepository(repo);
    launcher.afterPropertiesSet();
    JobExecution execution = launcher.run(job, new JobParameters());
    for (StepExecution s : execution.getStepExecutions()) {
      System.out.println(
          "STEP "
              + s.getStepName()
              + " read="
              + s.getReadCount()
              + " write="
              + s.getWriteCount()
              + " filter="
              + s.getFilterCount()
              + " readSkip="
              + s.getReadSkipCount()
              + " processSkip="
              + s.getProcessSkipCount()
              + " writeSkip="
              + s.getWriteSkipCount()
              + " commit="
              + s.getCommitCount()
              + " rollback="
              + s.getRollbackCount()
              + " exit="
              + s.getExitStatus().getExitCode());
    }
    for (Map.Entry<String, AtomicLong> e : new TreeMap<>(CALLS).entrySet()) {
      System.out.println("CALLS " + e.getKey() + " " + e.getValue());
    }
    System.out.println("JOB " + job.getName() + " " + execution.getStatus());
    System.exit(execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1);
  }
}
