package io.tracegql.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of a test's own, from Debian's PostgreSQL 15 binaries, in a fresh data folder
 * on a free port: a test may stop it, crash it and start it again without touching the server that
 * other tests share. PostgreSQL does not run as root, so as root its commands run as {@code nobody}.
 * It commits synchronously, as any server the gateway is pointed at should.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/lib/postgresql/15/bin"));
    private static final boolean ROOT =
            ProcessHandle.current().info().user().filter("root"::equals).isPresent();

    private final Path bin;
    private final Path home;
    private final Path data;
    private final int port;

    private PrivatePostgres(Path bin, Path home, int port) {
        this.bin = bin;
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
    }

    /** The folder of pg_ctl and initdb, when this machine has PostgreSQL 15 installed. */
    public static Optional<Path> binaries() {
        return BIN_DIRS.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    /** Creates a cluster in a new temporary folder and starts it. */
    public static PrivatePostgres create() throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL 15 binaries are not installed"));
        Path home = Files.createTempDirectory("tracegql-private-postgres");
        if (ROOT) {
            run(List.of("chown", "nobody:nogroup", home.toString()));
        }
        PrivatePostgres postgres = new PrivatePostgres(bin, home, freePort());
        postgres.pg(
                "initdb", "-D", postgres.data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C");
        postgres.start(true);
        return postgres;
    }

    public int port() {
        return port;
    }

    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Starts the server (after a stop or a crash) and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        start(false);
    }

    private void start(boolean first) throws IOException, InterruptedException {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + home
                + " -c fsync=on -c synchronous_commit=on -c max_connections=100";
        pg(
                "pg_ctl",
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                data.toString(),
                "-l",
                home.resolve(first ? "server.log" : "server-again.log").toString(),
                "-o",
                options);
    }

    /**
     * Stops the server: {@code fast} ends every session and shuts down cleanly, {@code immediate}
     * kills every process at once, as a crash does, and the next start recovers from the WAL.
     */
    public void stop(String mode) throws IOException, InterruptedException {
        pg("pg_ctl", "stop", "-w", "-t", "60", "-m", mode, "-D", data.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            stop("immediate");
        }
        run(List.of("rm", "-rf", home.toString()));
    }

    private void pg(String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (ROOT) {
            command.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(Path.of("/tmp").toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
