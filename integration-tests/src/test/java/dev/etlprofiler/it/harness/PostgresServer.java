package dev.etlprofiler.it.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster from Debian's packages (installed by {@code
 * .ci/setup-postgresql.sh}, which the harness runs itself when they are missing), created with
 * initdb and started with pg_ctl on 127.0.0.1 and a free port, trust authentication, fsync off; run
 * as the {@code postgres} user when the tests run as root.
 */
public final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;

  private PostgresServer(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  public static PostgresServer start() throws Exception {
    Path bin = binDir();
    Path dir = Files.createTempDirectory("etlprofiler-pg-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PostgresServer server = new PostgresServer(bin, dir, port);
    if (isRoot()) {
      run(List.of("chown", "postgres", dir.toString()));
    }
    server.pg(
        "initdb",
        "-D",
        dir.resolve("data").toString(),
        "-U",
        "postgres",
        "--auth=trust",
        "--no-sync",
        "-E",
        "UTF8",
        "--locale=C");
    server.pg(
        "pg_ctl",
        "-D",
        dir.resolve("data").toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "start");
    return server;
  }

  /** The newest installed server's bin directory; installs Debian's package first if none is. */
  private static Path binDir() throws Exception {
    Path found = installedBinDir();
    if (found == null) {
      Path setup = Path.of(System.getProperty("it.setup.postgresql", "../.ci/setup-postgresql.sh"));
      run(List.of("bash", setup.toAbsolutePath().toString()));
      found = installedBinDir();
    }
    if (found == null) {
      throw new IllegalStateException(
          "PostgreSQL server binaries not found under /usr/lib/postgresql: "
              + "run .ci/setup-postgresql.sh (apt-get install postgresql) as root");
    }
    return found;
  }

  private static Path installedBinDir() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Path newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                .max(
                    Comparator.comparingInt(
                        v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      }
    }
    return null;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void pg(String tool, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
  }

  /** A JDBC URL for the {@code postgres} database as user postgres. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  @Override
  public void close() throws Exception {
    try {
      pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    } finally {
      run(List.of("rm", "-rf", dir.toString()));
    }
  }
}
