package io.tracegql.config;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.read;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The jar that {@code ./mvnw package} builds, started as a user starts it: with no profile chosen it
 * runs in prod (the dev key means nothing to it), prints JSON logs when asked to, and traces itself
 * with OpenTelemetry when asked to, here into its own OTLP endpoint.
 */
class PackagedGatewayIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final String KEY = "tgq_packaged_gateway_key";
    private static final String DEV_KEY = "tgq_dev_default_tenant_key";
    private static final String NO_SUCH_PROJECT = "no project is named so";
    private static final String NO_PROJECTS = "{\"data\": {\"projects\": {\"nodes\": []}}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Process gateway;
    private Path log;
    private int port;

    @BeforeAll
    static void theJvmApplicationIsPackaged() {
        assumeTrue(Files.exists(JAR), "the JVM application is packaged (not a native build)");
    }

    @AfterEach
    void stopTheGateway() throws InterruptedException {
        if (gateway != null) {
            gateway.destroy();
            gateway.waitFor();
        }
    }

    @Test
    void shouldRunInProdWithoutAProfileAndPrintEveryLogLineAsJsonWhenAskedTo() throws Exception {
        port = freePort();
        start("json-logs", Map.of("QUARKUS_LOG_CONSOLE_JSON", "true"));

        assertJson("""
                {"errors": [{"message": "the API key is not valid (unknown or revoked)",
                             "extensions": {"code": "UNAUTHENTICATED"}}]}
                """, graphql(DEV_KEY, "{ projects { nodes { name } } }", null));
        assertJson(
                NO_PROJECTS,
                graphql(KEY, "{ projects(nameContains: \"" + NO_SUCH_PROJECT + "\") { nodes { name } } }", null));

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            lines.add(JSON.readTree(line));
        }
        JsonNode profile = lines.stream()
                .filter(l -> l.path("message").asText().startsWith("Profile "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no profile line in " + log));
        assertJson(
                "{\"loggerName\": \"io.quarkus\", \"level\": \"INFO\", \"message\": \"Profile prod activated. \"}",
                fields(profile, "loggerName", "level", "message"));
    }

    @Test
    void shouldTraceAGraphQLRequestIntoItsOwnOtlpEndpointWithTheStandardOtelVariables() throws Exception {
        port = freePort();
        start(
                "self-tracing",
                Map.of(
                        "OTEL_SDK_DISABLED", "false",
                        "OTEL_SERVICE_NAME", "tracegql-itself",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:" + port,
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                        "OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=" + KEY + ",Langsmith-Project=gateway-spans",
                        "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms"));
        String plainProfileLine = Files.readAllLines(log).stream()
                .filter(l -> l.contains("Profile prod activated"))
                .findFirst()
                .orElseThrow();
        assertFalse(plainProfileLine.startsWith("{"), "logs are plain text by default: " + plainProfileLine);

        // The request continues a trace of the test's own, so that its spans are found by that trace id.
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
        assertJson(
                NO_PROJECTS,
                graphql(
                        KEY,
                        "{ projects(nameContains: \"" + NO_SUCH_PROJECT + "\") { nodes { name } } }",
                        traceparent));

        String spans = "{ runs(first: 20, filterExpression: \"and(eq(metadata_key, \\\"otel.trace_id\\\"),"
                + " eq(metadata_value, \\\"" + traceId + "\\\"))\") { nodes { id name project { name } parentRun { id }"
                + " extra } } }";
        JsonNode runs = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            runs = graphql(KEY, spans, null).at("/data/runs/nodes");
            if (runs.size() >= 2) {
                break;
            }
            Thread.sleep(200);
        }
        // Whether a statement's span is the child of the GraphQL span or of the request's depends on
        // where the data loader runs it; that it belongs to the request is what counts.
        Map<String, JsonNode> byId = new HashMap<>();
        runs.forEach(run -> byId.put(run.path("id").asText(), run));
        List<JsonNode> seen = new ArrayList<>();
        for (JsonNode run : runs) {
            JsonNode metadata = run.at("/extra/metadata");
            JsonNode root = run;
            while (byId.containsKey(root.at("/parentRun/id").asText())) {
                root = byId.get(root.at("/parentRun/id").asText());
            }
            ObjectNode span = JSON.createObjectNode();
            span.put("name", run.path("name").asText());
            span.put("project", run.at("/project/name").asText());
            span.put("request", root.path("name").asText());
            span.put("service", metadata.at("/otel.resource/service.name").asText());
            span.put("kind", metadata.path("otel.span_kind").asText());
            seen.add(span);
        }
        seen.sort((a, b) -> a.path("name").asText().compareTo(b.path("name").asText()));
        // The query has a compiled form: one statement, which writes the answer, and no field-by-field
        // execution of its own (the general path adds a "GraphQL" span and names its statements' tables).
        assertJson("""
                [{"name": "POST /graphql", "project": "gateway-spans", "request": "POST /graphql",
                  "service": "tracegql-itself", "kind": "server"},
                 {"name": "SELECT", "project": "gateway-spans", "request": "POST /graphql",
                  "service": "tracegql-itself", "kind": "client"}]
                """, JSON.valueToTree(seen));

        // The exports themselves are not traced, or each one would make spans to export again.
        assertJson(
                "{\"data\": {\"runs\": {\"nodes\": []}}}",
                graphql(
                        KEY,
                        "{ runs(first: 1, filterExpression: \"eq(name, \\\"POST /v1/traces\\\")\") { nodes { name } } }",
                        null));
    }

    /**
     * Starts the packaged jar on {@link #port} as a user would: no profile, the tests' database, and
     * these variables.
     */
    private void start(String name, Map<String, String> variables) throws Exception {
        log = Path.of("target/packaged-gateway-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("OTEL_"));
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        environment.put(
                "QUARKUS_DATASOURCE_REACTIVE_URL", testDatabase("reactive", "postgresql://127.0.0.1:5432/test"));
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", testDatabase("jdbc", "jdbc:postgresql://127.0.0.1:5432/test"));
        environment.put("TRACEGQL_DEFAULT_TENANT_KEY", KEY);
        environment.putAll(variables);
        gateway = builder.start();
        awaitReady();
    }

    /** The database the tests were told to use ({@code -D%test.quarkus.datasource.*.url}), else theirs. */
    private static String testDatabase(String kind, String fallback) {
        return System.getProperty("%test.quarkus.datasource." + kind + ".url", fallback);
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new AssertionError("the gateway exited at start: " + Files.readString(log));
            }
            try {
                if (given().port(port).get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway was not ready within 90 s; see " + log);
    }

    private JsonNode graphql(String key, String query, String traceparent) {
        var request = given().port(port).header("x-api-key", key).contentType(ContentType.JSON);
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return read(request.body(Map.of("query", query))
                .post("/graphql")
                .then()
                .extract()
                .asString());
    }

    private static JsonNode fields(JsonNode node, String... names) {
        ObjectNode picked = JSON.createObjectNode();
        for (String name : names) {
            picked.set(name, node.get(name));
        }
        return picked;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
