package io.tracegql.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.quarkus.runtime.ImageMode;
import io.smallrye.config.SmallRyeConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

/**
 * A PostgreSQL 15 of the gateway's own, started from the binaries on the class path when no
 * datasource URL is configured. Its data folder survives restarts; it listens on localhost only and
 * commits synchronously (an acknowledged write survives a crash, as on any server). A configured
 * {@code quarkus.datasource.reactive.url} always wins.
 *
 * <p>It stops with the gateway by a smart shutdown: it takes no new connections and ends once the
 * gateway's have closed, so the gateway's own shutdown never sees its database go away under it.
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    private static final String USERNAME = "quarkus.datasource.username";
    private static final String SUPERUSER = "postgres";
    private static final String CONFIGURE =
            "set QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL to a PostgreSQL server";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(30);

    private EmbeddedDatabase() {}

    /**
     * Starts the embedded database and points the datasource at it, unless a URL is configured.
     * Exits with a message saying what to configure when it cannot start.
     */
    static void startWhenNoneConfigured(SmallRyeConfig config) {
        if (config.getOptionalValue(REACTIVE_URL, String.class).isPresent()) {
            return;
        }
        try {
            int port = start(config.getConfigMapping(EmbeddedDatabaseConfig.class));
            System.setProperty(REACTIVE_URL, "postgresql://localhost:" + port + "/" + SUPERUSER);
            System.setProperty(JDBC_URL, "jdbc:postgresql://localhost:" + port + "/" + SUPERUSER);
            System.setProperty(USERNAME, SUPERUSER);
        } catch (CannotStartException e) {
            // Logging is not set up before the application starts: say it on the console.
            System.err.println("ERROR " + e.getMessage());
            System.exit(1);
        }
    }

    private static int start(EmbeddedDatabaseConfig settings) {
        if (!settings.enabled()) {
            throw new CannotStartException("No database is configured and the embedded one is disabled: " + CONFIGURE);
        }
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            throw new CannotStartException("The native executable has no embedded database: " + CONFIGURE);
        }
        if (ProcessHandle.current().info().user().filter("root"::equals).isPresent()) {
            throw new CannotStartException("No database is configured, and PostgreSQL refuses to run as root, so the"
                    + " embedded one cannot start: run tracegql as a regular user, or " + CONFIGURE);
        }
        Path dataDir = settings.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
            stopLeftover(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(settings.port())
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setPGStartupWait(STARTUP_WAIT)
                    .setRegisterShutdownHook(false)
                    .start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> postmaster(dataDir).ifPresent(ProcessHandle::destroy), "embedded-database-stop"));
            LOG.infof(
                    "No database configured: started the embedded PostgreSQL on localhost:%d with its data in %s",
                    postgres.getPort(), dataDir);
            return postgres.getPort();
        } catch (IOException | RuntimeException e) {
            throw new CannotStartException("The embedded database could not start in " + dataDir + " (" + e
                    + "): set TRACEGQL_EMBEDDED_DATABASE_DATA_DIR to a folder it may write, or " + CONFIGURE);
        }
    }

    /**
     * A gateway killed without its shutdown hooks leaves its PostgreSQL running on the data folder;
     * that server is stopped so that the new one can start.
     */
    private static void stopLeftover(Path dataDir) throws IOException {
        Optional<ProcessHandle> leftover = postmaster(dataDir);
        if (leftover.isEmpty()) {
            return;
        }
        LOG.infof(
                "Stopping the embedded PostgreSQL that a previous run left running (pid %d)",
                leftover.get().pid());
        leftover.get().destroy();
        try {
            leftover.get().onExit().get(LEFTOVER_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException(
                    "a previous embedded PostgreSQL (pid " + leftover.get().pid() + ") did not stop", e);
        }
    }

    /** The running server of the data folder, from the pid file PostgreSQL keeps while it runs. */
    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        try {
            List<String> pidFile = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return pidFile.isEmpty()
                    ? Optional.empty()
                    : ProcessHandle.of(Long.parseLong(pidFile.get(0).trim()))
                            .filter(p -> p.info().command().orElse("").endsWith("/postgres"));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Why the embedded database did not start, with what to configure instead. */
    private static final class CannotStartException extends RuntimeException {
        CannotStartException(String message) {
            super(message);
        }
    }
}
