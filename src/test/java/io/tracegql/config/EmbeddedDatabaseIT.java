package io.tracegql.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged gateway with no database configured starts its own PostgreSQL and keeps its data
 * across restarts. Run as root (as CI is), the gateway runs as the unprivileged user {@code nobody}
 * inside a network namespace of its own, where no PostgreSQL server is reachable, and its requests
 * are sent from inside that namespace; as root itself, it refuses to start, saying why.
 */
class EmbeddedDatabaseIT {

    private static final Path APP = Path.of("target/quarkus-app");
    private static final String KEY = "tgq_dev_default_tenant_key";
    private static final boolean ROOT =
            ProcessHandle.current().info().user().filter("root"::equals).isPresent();

    private static Path home;

    @BeforeAll
    static void copyTheApplicationWhereAnyUserMayReadIt() throws Exception {
        assumeTrue(Files.exists(APP.resolve("quarkus-run.jar")), "the JVM application is packaged");
        home = Files.createTempDirectory("tracegql-embedded");
        exec("cp", "-r", APP.toString(), home.resolve("app").toString());
        Files.createDirectories(home.resolve("data"));
        if (ROOT) {
            exec("chmod", "-R", "a+rX", home.toString());
            exec("chown", "-R", "nobody", home.resolve("data").toString());
        }
    }

    @AfterAll
    static void removeTheCopy() throws Exception {
        if (home != null) {
            exec("rm", "-rf", home.toString());
        }
    }

    @Test
    void shouldStartItsOwnDatabaseWithDemoDataAndKeepWhatWasWrittenAcrossRestarts() throws Exception {
        String run =
                "{\"id\": \"0b5c4a2e-3f5e-4e8a-9a51-6f1f4c2b7d10\", \"name\": \"offline\", \"run_type\": \"chain\","
                        + " \"start_time\": \"2026-01-01T00:00:00Z\", \"session_name\": \"embedded\"}";
        List<String> first = offlineGateway(
                graphql("{ projects(first: 5) { nodes { name runCount } } }"),
                "curl -s -o /dev/null -w '{\"status\": %{http_code}}' localhost:$PORT/runs" + " -H 'x-api-key: " + KEY
                        + "' -H 'content-type: application/json' -d '" + run + "'");
        assertJson("""
                {"data": {"projects": {"nodes": [
                  {"name": "research-agent", "runCount": 25},
                  {"name": "docs-rag", "runCount": 25},
                  {"name": "support-bot", "runCount": 25}]}}}
                """, read(first.get(0)));
        assertJson("{\"status\": 202}", read(first.get(1)));

        List<String> second = offlineGateway(graphql("{ run(id: \"0b5c4a2e-3f5e-4e8a-9a51-6f1f4c2b7d10\") { name } }"));
        assertJson("{\"data\": {\"run\": {\"name\": \"offline\"}}}", read(second.get(0)));
    }

    @Test
    void shouldRefuseToRunTheEmbeddedDatabaseAsRootSayingWhatToConfigure() throws Exception {
        assumeTrue(ROOT, "runs as root");
        Process gateway = new ProcessBuilder(
                        java(),
                        "-Dquarkus.http.port=0",
                        "-jar",
                        APP.resolve("quarkus-run.jar").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(gateway.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gateway.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, gateway.exitValue());
        assertEquals(
                "ERROR No database is configured, and PostgreSQL refuses to run as root, so the embedded one cannot"
                        + " start: run tracegql as a regular user, or set QUARKUS_DATASOURCE_REACTIVE_URL and"
                        + " QUARKUS_DATASOURCE_JDBC_URL to a PostgreSQL server",
                output.strip());
    }

    /** A request that prints the GraphQL answer on a line of its own. */
    private static String graphql(String query) {
        return "curl -s localhost:$PORT/graphql -H 'x-api-key: " + KEY + "' -H 'content-type: application/json'"
                + " -d '{\"query\": \"" + query.replace("\"", "\\\"") + "\"}'";
    }

    /**
     * Starts the packaged gateway (dev profile, no datasource configured) on the shared data folder,
     * runs the requests once it is ready, stops it, and returns what each request printed.
     */
    private static List<String> offlineGateway(String... requests) throws Exception {
        Path log = Path.of("target/embedded-database.log");
        String gateway = String.join(
                " ",
                ROOT ? "setpriv --reuid=nobody --regid=nogroup --clear-groups" : "",
                "env QUARKUS_PROFILE=dev QUARKUS_HTTP_PORT=$PORT",
                "TRACEGQL_EMBEDDED_DATABASE_DATA_DIR=" + home.resolve("data/postgres"),
                java(),
                "-jar",
                home.resolve("app/quarkus-run.jar").toString());
        List<String> script = new ArrayList<>(List.of(
                "set -u",
                "PORT=18181",
                ROOT ? "ip link set lo up" : ":",
                gateway + " >> " + log.toAbsolutePath() + " 2>&1 &",
                "GATEWAY=$!",
                "for i in $(seq 1 180); do",
                "  kill -0 $GATEWAY 2>/dev/null || { echo 'the gateway exited at start'; exit 1; }",
                "  curl -sf -o /dev/null localhost:$PORT/q/health/ready && break",
                "  sleep 1",
                "done"));
        for (String request : requests) {
            script.add(request + "; echo");
        }
        script.addAll(List.of("kill $GATEWAY", "wait $GATEWAY", "true"));
        List<String> command = new ArrayList<>();
        if (ROOT) {
            command.addAll(List.of("unshare", "-n"));
        }
        command.addAll(List.of("sh", "-c", String.join("\n", script)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), () -> output + "\n(see " + log + ")");
        List<String> lines =
                Stream.of(output.split("\n")).filter(l -> !l.isBlank()).toList();
        assertEquals(requests.length, lines.size(), () -> output + "\n(see " + log + ")");
        return lines;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, process.waitFor(), String.join(" ", command));
    }
}
