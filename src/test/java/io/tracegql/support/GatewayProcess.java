package io.tracegql.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;

/**
 * The packaged gateway (target/quarkus-app) as a process of its own on a fixed port, pointed at a
 * database by URL, with its output in a log file that each restart appends to.
 */
public final class GatewayProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Duration READY_WAIT = Duration.ofSeconds(90);

    private final int port;
    private final Path log;
    private final List<String> properties;
    private Process process;

    /**
     * A gateway on a free port, for the database at these URLs, knowing this key of the default
     * tenant; further system properties as {@code name=value}.
     */
    public GatewayProcess(String reactiveUrl, String jdbcUrl, String key, Path log, String... properties)
            throws IOException {
        this.port = freePort();
        this.log = log;
        this.properties = new ArrayList<>(List.of(
                "quarkus.http.port=" + port,
                "quarkus.datasource.reactive.url=" + reactiveUrl,
                "quarkus.datasource.jdbc.url=" + jdbcUrl,
                "tracegql.default-tenant-key=" + key));
        this.properties.addAll(List.of(properties));
        Files.deleteIfExists(log);
    }

    public static boolean packaged() {
        return Files.exists(JAR);
    }

    public int port() {
        return port;
    }

    /** Starts the process; does not wait for it to be ready. */
    public GatewayProcess start() throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        properties.forEach(property -> command.add("-D" + property));
        command.addAll(List.of("-jar", JAR.toString()));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return this;
    }

    /** Waits until /q/health/ready answers 200 (the database and the change feed are up). */
    public GatewayProcess awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the gateway exited; see " + log);
            }
            try {
                if (given().port(port).get("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway was not ready within " + READY_WAIT + "; see " + log);
    }

    /** The lines of the log (of every start so far) that match. */
    public List<String> logLines(Predicate<String> matching) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(matching).toList();
        }
    }

    /** SIGKILL: no shutdown hook, no request finished, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
