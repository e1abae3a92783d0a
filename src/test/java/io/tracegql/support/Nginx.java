package io.tracegql.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An nginx of a test's own (Debian's {@code /usr/sbin/nginx}, in the foreground) in front of two
 * gateways, configured by the operators' example {@link #EXAMPLE} with the test's ports put in:
 * the first gateway in place of 127.0.0.1:8081, the second of 127.0.0.1:8082, and a free loopback
 * port to listen on. The main configuration around it ({@code nginx-main.conf} next to this class)
 * puts its pid, logs and temporary files in a folder of its own; its access log has one line per
 * request: method, path, status and the gateways that were tried.
 */
public final class Nginx implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/nginx");
    /** The configuration operators are given, included in the http context. */
    public static final Path EXAMPLE = Path.of("docs/nginx.conf");

    /** The main configuration around the example, shared with bench/gateways.sh. */
    private static final String MAIN = "nginx-main.conf";

    private static final String FIRST_GATEWAY = "127.0.0.1:8081";
    private static final String SECOND_GATEWAY = "127.0.0.1:8082";
    private static final Pattern LISTEN = Pattern.compile("(?m)^(\\s*)listen 80;$");
    private static final Duration START_WAIT = Duration.ofSeconds(20);

    /** How requests are spread over the gateways. */
    public enum Layout {
        /** As in the example: ingest to the first gateway, the rest to the second, each the other's backup. */
        SPLIT,
        /** The example without its backups: every request in turn to either gateway. */
        ROUND_ROBIN
    }

    private final Path dir;
    private final int port;
    private final Process process;

    private Nginx(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** The example configuration, as operators read it. */
    public static String example() throws IOException {
        return Files.readString(EXAMPLE);
    }

    /** Starts nginx in this (emptied) folder and waits until it listens. */
    public static Nginx start(Path dir, Layout layout, int firstGateway, int secondGateway)
            throws IOException, InterruptedException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir);
        int port = freePort();
        Path absolute = dir.toAbsolutePath();
        Files.writeString(absolute.resolve("tracegql.conf"), configuration(layout, port, firstGateway, secondGateway));
        Files.writeString(absolute.resolve("nginx.conf"), main(absolute));
        Process process = new ProcessBuilder(
                        BINARY.toString(),
                        "-p",
                        absolute.toString(),
                        "-c",
                        absolute.resolve("nginx.conf").toString(),
                        "-e",
                        absolute.resolve("error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(absolute.resolve("nginx.out").toFile())
                .start();
        Nginx nginx = new Nginx(absolute, port, process);
        nginx.awaitListening();
        return nginx;
    }

    /** The example with this layout's upstreams and these ports. */
    static String configuration(Layout layout, int port, int firstGateway, int secondGateway) throws IOException {
        String text = example();
        text = replaceAll(text, FIRST_GATEWAY, "127.0.0.1:" + firstGateway);
        text = replaceAll(text, SECOND_GATEWAY, "127.0.0.1:" + secondGateway);
        Matcher listen = LISTEN.matcher(text);
        if (!listen.find()) {
            throw new IllegalStateException(EXAMPLE + " has no line 'listen 80;' to put the test's port in");
        }
        text = listen.replaceFirst("$1listen 127.0.0.1:" + port + ";");
        if (layout == Layout.ROUND_ROBIN) {
            text = replaceAll(text, " backup;", ";");
        }
        return text;
    }

    private static String replaceAll(String text, String what, String by) {
        if (!text.contains(what)) {
            throw new IllegalStateException(EXAMPLE + " no longer contains '" + what + "'");
        }
        return text.replace(what, by);
    }

    /** What the example leaves to the main configuration: the process, its logs and its folders. */
    private static String main(Path dir) throws IOException {
        try (InputStream in = Nginx.class.getResourceAsStream(MAIN)) {
            if (in == null) {
                throw new IllegalStateException(MAIN + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@DIR@", dir.toString());
        }
    }

    public int port() {
        return port;
    }

    /** The access log's lines so far: {@code method path status upstream}, one per finished request. */
    public List<String> accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited at start: " + errors());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen within " + START_WAIT + ": " + errors());
    }

    private String errors() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("nginx.out", "error.log")) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    /** Stops nginx (SIGTERM: a fast shutdown, which ends its worker too); SIGKILL after 10 s. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> workers = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        // A worker whose master was killed would go on serving the port.
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
