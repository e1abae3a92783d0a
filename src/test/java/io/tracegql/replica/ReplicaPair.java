package io.tracegql.replica;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 primary and its streaming replica of its own, made with initdb and pg_basebackup in
 * a temporary folder on two free loopback ports (so the shared server on 5432 is left alone). Its replay
 * can be paused and resumed, which makes the replica's lag certain rather than a matter of timing. As
 * root the servers run as the user {@code postgres}, since PostgreSQL refuses root.
 */
final class ReplicaPair implements AutoCloseable {

    private static final Path BIN = Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));
    private static final String OWNER = "postgres";

    final int primaryPort;
    final int replicaPort;
    private final Path root;
    private final boolean asRoot = "root".equals(System.getProperty("user.name"));

    ReplicaPair() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL 15's binaries are not in " + BIN + " (set PG_BIN)");
        }
        try {
            root = Files.createTempDirectory("tracegql-replica");
            primaryPort = freePort();
            replicaPort = freePort();
            if (asRoot) {
                run("chown", OWNER, root.toString());
            }
            server("initdb", "-D", dir("primary"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
            start("primary", primaryPort);
            server(
                    "pg_basebackup",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(primaryPort),
                    "-U",
                    "postgres",
                    "-D",
                    dir("replica"),
                    "--write-recovery-conf",
                    "--wal-method=stream",
                    "--no-sync");
            startReplica();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    String primaryUrl() {
        return "postgresql://127.0.0.1:" + primaryPort + "/postgres";
    }

    String replicaUrl() {
        return "postgresql://127.0.0.1:" + replicaPort + "/postgres";
    }

    /**
     * Stops applying WAL on the replica: from now on it shows nothing committed later, until {@link
     * #resumeReplay}. (PostgreSQL checks the request before each record it applies.)
     */
    void pauseReplay() {
        onReplica("select pg_wal_replay_pause()");
    }

    void resumeReplay() {
        onReplica("select pg_wal_replay_resume()");
    }

    private void onReplica(String statement) {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + replicaPort + "/postgres", "postgres", "");
                Statement query = connection.createStatement()) {
            query.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " failed on the replica", e);
        }
    }

    void stopReplica() {
        server("pg_ctl", "-D", dir("replica"), "-m", "fast", "-w", "stop");
    }

    void startReplica() {
        start("replica", replicaPort);
    }

    private void start(String name, int port) {
        server(
                "pg_ctl",
                "-D",
                dir(name),
                "-l",
                root.resolve(name + ".log").toString(),
                "-w",
                "-o",
                "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        // A vacuum that truncates a table takes an ACCESS EXCLUSIVE lock; replayed
                        // by a paused replica, it would hold the replica's reads until replay resumed.
                        + " -c autovacuum=off",
                "start");
    }

    @Override
    public void close() {
        if (root == null) {
            return;
        }
        for (String name : List.of("replica", "primary")) {
            if (Files.exists(root.resolve(name + "/postmaster.pid"))) {
                server("pg_ctl", "-D", dir(name), "-m", "immediate", "-w", "stop");
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String dir(String name) {
        return root.resolve(name).toString();
    }

    /** One of PostgreSQL's programs, as the unprivileged owner of the data when running as root. */
    private void server(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (asRoot) {
            command.addAll(List.of("runuser", "-u", OWNER, "--"));
        }
        command.add(BIN.resolve(program).toString());
        command.addAll(List.of(arguments));
        run(command.toArray(String[]::new));
    }

    private void run(String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
