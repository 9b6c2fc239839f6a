package dev.etlprofiler.sbapp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.support.TaskExecutorJobLauncher;
import org.springframework.batch.core.partition.support.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JobRepositoryFactoryBean;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.Chunk;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemReader;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * A partitioned Spring Batch 5.2 job: job {@code airports-partitions}, manager step {@code
 * split-airports} splits the CSV file's lines into three ranges, each loaded by worker step {@code
 * load-partition} (chunks of 50) on its own thread. The job repository is an in-memory H2 database
 * (partitioning needs one that keeps several step executions). Prints each step execution's counts
 * and the calls of the job's own code, as {@link AirportsJob} does. Argument: the CSV file.
 */
public final class PartitionedJob {
  static final Map<String, AtomicLong> CALLS = new ConcurrentHashMap<>();
  static final Map<String, AtomicLong> BY_STATE = new ConcurrentHashMap<>();

  static void called(String what) {
    CALLS.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  static String state(String line) {
    called("load-partition.process");
    String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
    return f[3];
  }

  static void count(Chunk<? extends String> states) {
    called("load-partition.write");
    for (String s : states) {
      BY_STATE.computeIfAbsent(s, k -> new AtomicLong()).incrementAndGet();
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    List<String> rows = lines.subList(1, lines.size());
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:batch;DB_CLOSE_DELAY=-1");
    new ResourceDatabasePopulator(
            new ClassPathResource("org/springframework/batch/core/schema-h2.sql"))
        .execute(ds);
    JdbcTransactionManager tx = new JdbcTransactionManager(ds);
    JobRepositoryFactoryBean factory = new JobRepositoryFactoryBean();
    factory.setDataSource(ds);
    factory.setTransactionManager(tx);
    factory.afterPropertiesSet();
    JobRepository repo = factory.getObject();

    Partitioner ranges =
        gridSize -> {
          Map<String, ExecutionContext> partitions = new HashMap<>();
          int size = (rows.size() + gridSize - 1) / gridSize;
          for (int i = 0; i < gridSize; i++) {
            ExecutionContext c = new ExecutionContext();
            c.putInt("from", i * size);
            c.putInt("to", Math.min(rows.size(), (i + 1) * size));
            partitions.put("range" + i, c);
          }
          return partitions;
        };
    ThreadLocal<Iterator<String>> cursor = new ThreadLocal<>();
    ItemReader<String> partitionRows =
        () -> {
          Iterator<String> it = cursor.get();
          if (it == null) {
            ExecutionContext c =
                StepSynchronizationManager.getContext().getStepExecution().getExecutionContext();
            it = rows.subList(c.getInt("from"), c.getInt("to")).iterator();
            cursor.set(it);
          }
          return it.hasNext() ? it.next() : null;
        };
    Step worker =
        new StepBuilder("load-partition", repo)
            .<String, String>chunk(50, tx)
            .reader(partitionRows)
            .processor(PartitionedJob::state)
            .writer(PartitionedJob::count)
            .build();
    Step manager =
        new StepBuilder("split-airports", repo)
            .partitioner("load-partition", ranges)
            .step(worker)
            .gridSize(3)
            .taskExecutor(new SimpleAsyncTaskExecutor("partition-"))
            .build();
    Job job = new JobBuilder("airports-partitions", repo).start(manager).build();
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
              + " commit="
              + s.getCommitCount()
              + " exit="
              + s.getExitStatus().getExitCode());
    }
    System.out.println("STATES " + new TreeMap<>(BY_STATE).size());
    for (Map.Entry<String, AtomicLong> e : new TreeMap<>(CALLS).entrySet()) {
      System.out.println("CALLS " + e.getKey() + " " + e.getValue());
    }
    System.out.println("JOB " + job.getName() + " " + execution.getStatus());
    System.exit(execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1);
  }
}
