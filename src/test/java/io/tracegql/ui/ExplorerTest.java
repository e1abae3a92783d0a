package io.tracegql.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.NodeProject;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.api;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.executeWithKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trace explorer (/ui/) in a real headless Chromium ({@code src/test/ui/explorer.mjs}, driven by
 * playwright-core pinned in its package-lock): runs are posted through the ingest API, the script
 * reports what each page shows, read from the DOM, and every report is compared whole with what the
 * posted data says. Screenshots land in target/ui-screenshots/.
 */
@QuarkusTest
class ExplorerTest {

    private static final NodeProject BROWSER = new NodeProject("src/test/ui", "playwright-core");
    private static final Path SCREENSHOTS = Path.of("target/ui-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ORDER =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final int BIG_TRACE_RUNS = 500;

    @Inject
    TraceFixture fixture;

    @TestHTTPResource("/")
    URL base;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Map<String, Node> nodes = new HashMap<>();
    /** A key of a tenant of its own, revoked while the explorer uses it. */
    private JsonNode revocableKey;

    @BeforeEach
    void reset() {
        fixture.reset();
    }

    @Test
    void shouldShowProjectsTracesAndRunsAsPostedAndFollowThemLive() throws Exception {
        Instant big = seedBigTrace();
        seedManyTraces();
        seedShop();
        String shareUrl = data("mutation ($id: ID!) { shareRun(runId: $id) }", "id", id("parcel"))
                .get("shareRun")
                .asText();

        String tenant = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation { createTenant(name: \"explorer-%s\") { tenant { id } } }"
                                .formatted(UUID.randomUUID()))
                .at("/data/createTenant/tenant/id")
                .asText();
        revocableKey = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($t: ID!) { createApiKey(tenantId: $t, name: \"explorer\") { id key } }",
                        "t",
                        tenant)
                .at("/data/createApiKey");

        Map<String, JsonNode> steps = drive(Map.of(
                "EXPLORER_SHARE_PATH", shareUrl.substring(shareUrl.indexOf("/public/")),
                "EXPLORER_BIG_TRACE", id("batch"),
                "EXPLORER_REVOCABLE_KEY", revocableKey.get("key").asText()));

        assertJson("""
                {"notice": "This API key was not accepted: the API key is not valid (unknown or revoked).", "stored": 0}""", steps.get("wrong-key"));
        // Project latencies come from the rollups, within 1% of the exact ones (1.50 s, 2.00 s, 60.00 s...).
        assertJson("""
                {"hash": "#/projects", "rows": [
                  ["shop", "3", "33.3%%", "1.51 s", "3.96 s", "200", "$0.001", "%s"],
                  ["many", "30", "0.0%%", "1.99 s", "1.99 s", "—", "—", "%s"],
                  ["load", "1", "0.0%%", "59.75 s", "59.75 s", "—", "—", "%s"]]}""".formatted(shown("summary"), shown("job-30"), SHOWN.format(big)), steps.get("projects"));
        assertJson("""
                {"title": "shop",
                 "figures": {"Traces": "3", "Error rate": "33.3%%", "p50": "1.51 s", "p99": "3.96 s", "Tokens": "200", "Cost": "$0.001"},
                 "chart": ["Runs 3 · 1 error", "Latency p50 / p99 max p99 4.00 s", "Cost $0.001"],
                 "chartBars": ["bar", "bar", "bar", "bar error"],
                 "threadsTab": true,
                 "columns": ["Name", "Input", "Start ↓", "Latency", "Tokens", "Cost", "Status", "Feedback"],
                 "rows": [%s, %s, %s]}""".formatted(row("summary"), row("cancel"), row("parcel")), steps.get("project"));
        assertJson(
                """
                {"errors": [%s], "prodParcel": [%s], "globex": [%s], "llmRoots": [%s], "lastHour": [%s],
                 "badMetadata": "Metadata filters are key=value pairs, separated by commas: “customer” has no key=value.",
                 "hash": "#/projects/%s?meta=customer"}""".formatted(
                        row("summary"), row("parcel"), row("cancel"), row("summary"), row("summary"), project("shop")),
                steps.get("filters"));
        assertJson("""
                {"slowestFirst": ["4.00 s", "1.50 s", "800 ms"], "fastestFirst": ["800 ms", "1.50 s", "4.00 s"],
                 "hash": "#/projects/%s?sort=latency&dir=asc"}""".formatted(project("shop")), steps.get("sorting"));
        assertJson("""
                {"rows": [["t-1", "2", "0", "Where is my parcel?", "Your order is cancelled.", "150", "$0.0009", "%s"]]}""".formatted(shown("cancel")), steps.get("threads"));

        List<String> jobs = new ArrayList<>();
        for (int i = 30; i >= 1; i--) {
            jobs.add("\"job-%02d\"".formatted(i));
        }
        assertJson("""
                {"firstPage": [%s], "bothPages": [%s], "moreHidden": true}""".formatted(String.join(", ", jobs.subList(0, 25)), String.join(", ", jobs)), steps.get("paging"));

        assertJson("""
                {"heading": "answer", "summary": "4 runs · success · 4.00 s · started %s UTC · project",
                 "bars": [
                   {"name": "answer", "depth": 0, "type": "chain", "error": false, "running": false},
                   {"name": "ChatModel", "depth": 1, "type": "llm", "error": false, "running": false},
                   {"name": "track_parcel", "depth": 1, "type": "tool", "error": true, "running": false},
                   {"name": "lookup_carrier", "depth": 2, "type": "retriever", "error": false, "running": false}],
                 "selected": ["answer"]}""".formatted(shown("parcel")), steps.get("trace"));
        assertJson("""
                {"hashIsRun": true,
                 "figures": {"Type": "llm", "Status": "success", "Start": "%s", "Latency": "2.00 s",
                             "Tokens": "150 (120 in, 30 out)", "Cost": "$0.0009 ($0.0003 in, $0.0006 out)", "Model": "gpt-4o-mini"},
                 "inputs": [["system", "You track parcels."], ["user", "Where is my parcel?"]],
                 "outputs": [["assistant", "It ships tomorrow."]],
                 "metadata": {"ls_model_name": "gpt-4o-mini", "ls_provider": "openai"}}""".formatted(shown("ChatModel")), steps.get("llm-detail"));
        assertJson("""
                {"error": "TimeoutError: carrier API did not answer", "inputs": {"parcel": "P-42"}}""", steps.get("tool-detail"));
        assertJson("""
                {"detail": "ChatModel", "selected": ["ChatModel"]}""", steps.get("deep-link"));

        JsonNode bigTrace = steps.get("big-trace");
        assertEquals(BIG_TRACE_RUNS, bigTrace.get("bars").asInt(), bigTrace::toString);
        assertTrue(bigTrace.get("renderMs").asLong() < 1000, () -> "a 500-run trace took " + bigTrace);

        assertJson("""
                {"before": 3, "after": 4, "top": ["late", "Are you there?", "pending"]}""", steps.get("live-table"));
        assertJson("""
                {"before": [{"name": "late", "depth": 0, "type": "chain", "error": false, "running": true}],
                 "after": [{"name": "late", "depth": 0, "type": "chain", "error": false, "running": false},
                           {"name": "think", "depth": 1, "type": "llm", "error": false, "running": false},
                           {"name": "reply", "depth": 1, "type": "tool", "error": false, "running": false}]}""", steps.get("live-trace"));
        assertJson("""
                {"unknown": "There is no trace with id 00000000-0000-4000-8000-00000000dead: it may not have arrived yet, or belong to another tenant.",
                 "malformed": "The trace could not be loaded: traceId must be a UUID such as 1b64098b-4ab7-43f6-afee-992304f198d8, got 'not-an-id'"}""", steps.get("unknown-trace"));
        assertJson("{\"errors\": []}", steps.get("page-errors"));
        assertJson("""
                {"nav": "Shared trace (read-only)", "heading": "answer",
                 "bars": ["answer", "ChatModel", "track_parcel", "lookup_carrier"],
                 "hash": "#/runs/%s",
                 "inputs": [["system", "You track parcels."], ["user", "Where is my parcel?"]],
                 "keyStored": 0}""".formatted(id("ChatModel")), steps.get("shared"));
        assertJson("""
                {"notice": "This share link does not exist or was revoked: ask its owner for a new one."}""", steps.get("shared-revoked"));
        assertJson("""
                {"empty": "No projects yet: send traces to create one.", "hash": "#/signin?refused=1&next=#/projects",
                 "notice": "Your API key is no longer accepted (it may have been revoked): sign in again.", "stored": 0}""", steps.get("revoked-key"));
    }

    @Test
    void shouldServeTheExplorerPageForShareLinksAndItsFilesWithoutAKey() {
        String page = io.restassured.RestAssured.given()
                .when()
                .get("/public/some-token/r")
                .then()
                .statusCode(200)
                .contentType(ContentType.HTML)
                .extract()
                .asString();
        assertTrue(page.contains("<script type=\"module\" src=\"/ui/app.js\"></script>"), page);
        io.restassured.RestAssured.given().when().get("/ui/data.js").then().statusCode(200);
        io.restassured.RestAssured.given()
                .redirects()
                .follow(false)
                .when()
                .get("/ui")
                .then()
                .statusCode(302)
                .header("location", "/ui/");
    }

    // ---- what the script waits for ----------------------------------------------------------

    private void postLateTrace() {
        Node late = root("late", now());
        postRuns(run(late, "chain", null)
                .with("inputs", Map.of("messages", List.of(Map.of("role", "user", "content", "Are you there?"))))
                .with("tags", List.of("prod")));
    }

    private void growLateTrace() {
        Node late = nodes.get("late");
        Node think = child(late, "think", late.start.plusMillis(200));
        Node reply = child(late, "reply", late.start.plusMillis(700));
        postRuns(run(think, "llm", think.start.plusMillis(400)), run(reply, "tool", reply.start.plusMillis(200)));
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("id", late.id.toString());
        end.put("trace_id", late.traceId.toString());
        end.put("dotted_order", late.dottedOrder);
        end.put("end_time", late.start.plusSeconds(1).toString());
        end.put("outputs", Map.of("answer", "yes"));
        Api.postBatch(json(Map.of("patch", List.of(end))));
    }

    // ---- the data -----------------------------------------------------------------------------

    /**
     * shop, whose figures the assertions state:
     * <pre>
     * parcel   chain "answer"    now-3h, 4 s, tags prod, customer=acme, thread t-1, feedback correctness 1
     *            llm "ChatModel"      +0.5 s, 2 s, 120+30 tokens, $0.0003+$0.0006, gpt-4o-mini
     *            tool "track_parcel"  +2.6 s, 0.9 s, error
     *              retriever "lookup_carrier" +2.7 s, 0.3 s
     * cancel   chain "answer"    now-2h, 1.5 s, tags beta, customer=globex, thread t-1
     * summary  llm "summarize"   now-40m, 0.8 s, 40+10 tokens, $0.0001, tags prod, error
     * </pre>
     * Traces 3, errors 1 of 3; latencies 0.8, 1.5, 4 s: p50 1.5, p99 1.5 + 0.98 × 2.5 = 3.95;
     * tokens of llm runs 150 + 50, cost 0.0009 + 0.0001.
     */
    private void seedShop() {
        Node parcel = root("parcel", now.minus(Duration.ofHours(3)));
        Node model = child(parcel, "ChatModel", parcel.start.plusMillis(500));
        Node tool = child(parcel, "track_parcel", parcel.start.plusMillis(2600));
        Node carrier = child(tool, "lookup_carrier", parcel.start.plusMillis(2700));
        Node cancel = root("cancel", now.minus(Duration.ofHours(2)));
        Node summary = root("summary", now.minus(Duration.ofMinutes(40)));
        postRuns(
                run(parcel, "chain", parcel.start.plusSeconds(4))
                        .named("answer")
                        .with("inputs", messages("user", "Where is my parcel?"))
                        .with("outputs", messages("assistant", "It ships tomorrow."))
                        .with("tags", List.of("prod"))
                        .with("extra", Map.of("metadata", Map.of("customer", "acme", "thread_id", "t-1"))),
                run(model, "llm", model.start.plusSeconds(2))
                        .with(
                                "inputs",
                                Map.of(
                                        "messages",
                                        List.of(
                                                Map.of("role", "system", "content", "You track parcels."),
                                                Map.of("role", "user", "content", "Where is my parcel?"))))
                        .with(
                                "outputs",
                                Map.of(
                                        "choices",
                                        List.of(Map.of(
                                                "message",
                                                Map.of("role", "assistant", "content", "It ships tomorrow.")))))
                        .with("prompt_tokens", 120)
                        .with("completion_tokens", 30)
                        .with("prompt_cost", 0.0003)
                        .with("completion_cost", 0.0006)
                        .with("total_cost", 0.0009)
                        .with(
                                "extra",
                                Map.of("metadata", Map.of("ls_model_name", "gpt-4o-mini", "ls_provider", "openai"))),
                run(tool, "tool", tool.start.plusMillis(900))
                        .with("inputs", Map.of("parcel", "P-42"))
                        .with("error", "TimeoutError: carrier API did not answer"),
                run(carrier, "retriever", carrier.start.plusMillis(300)).with("inputs", Map.of("carrier", "DHL")),
                run(cancel, "chain", cancel.start.plusMillis(1500))
                        .named("answer")
                        .with("inputs", messages("user", "Cancel my order"))
                        .with("outputs", messages("assistant", "Your order is cancelled."))
                        .with("tags", List.of("beta"))
                        .with("extra", Map.of("metadata", Map.of("customer", "globex", "thread_id", "t-1"))),
                run(summary, "llm", summary.start.plusMillis(800))
                        .named("summarize")
                        .with("inputs", messages("user", "Summarise the week"))
                        .with("error", "RateLimitError: slow down")
                        .with("prompt_tokens", 40)
                        .with("completion_tokens", 10)
                        .with("total_cost", 0.0001)
                        .with("tags", List.of("prod")));
        api().contentType(ContentType.JSON)
                .body("{\"run_id\": \"%s\", \"key\": \"correctness\", \"score\": 1}".formatted(parcel.id))
                .when()
                .post("/feedback")
                .then()
                .statusCode(200);
    }

    /** many: 30 traces of 2 s, one a minute, five days ago: more than a page of the table. */
    private void seedManyTraces() {
        List<Run> runs = new ArrayList<>();
        Instant start = now.minus(Duration.ofDays(5));
        for (int i = 1; i <= 30; i++) {
            Node job = root("job-%02d".formatted(i), start.plus(Duration.ofMinutes(i)));
            runs.add(run(job, "chain", job.start.plusSeconds(2)).in("many"));
        }
        postRuns(runs.toArray(Run[]::new));
    }

    /** load: one trace of 500 runs over 60 s, five levels deep. Returns its start. */
    private Instant seedBigTrace() {
        Instant start = now.minus(Duration.ofDays(1));
        Node root = root("batch", start);
        List<Run> runs = new ArrayList<>(
                List.of(run(root, "chain", start.plusSeconds(60)).in("load")));
        Node parent = root;
        for (int i = 1; i < BIG_TRACE_RUNS; i++) {
            Node step = child(i % 5 == 1 ? root : parent, "step-" + i, start.plusMillis(i * 100L));
            runs.add(run(step, i % 2 == 0 ? "llm" : "tool", step.start.plusMillis(90))
                    .in("load"));
            parent = step;
        }
        postRuns(runs.toArray(Run[]::new));
        return start;
    }

    private record Node(UUID id, UUID traceId, String dottedOrder, Instant start) {}

    private Node root(String key, Instant start) {
        UUID id = UUID.randomUUID();
        Node node = new Node(id, id, ORDER.format(start) + id, start);
        nodes.put(key, node);
        return node;
    }

    private Node child(Node parent, String key, Instant start) {
        UUID id = UUID.randomUUID();
        Node node = new Node(id, parent.traceId, parent.dottedOrder + "." + ORDER.format(start) + id, start);
        nodes.put(key, node);
        return node;
    }

    private Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A run as an SDK posts it: project shop unless said otherwise, named as its key. */
    private record Run(Map<String, Object> fields) {
        Run with(String name, Object value) {
            fields.put(name, value);
            return this;
        }

        Run named(String name) {
            return with("name", name);
        }

        Run in(String project) {
            return with("session_name", project);
        }
    }

    private Run run(Node node, String type, Instant end) {
        String key = nodes.entrySet().stream()
                .filter(e -> e.getValue() == node)
                .findFirst()
                .orElseThrow()
                .getKey();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", node.id.toString());
        fields.put("trace_id", node.traceId.toString());
        if (!node.id.equals(node.traceId)) {
            String order = node.dottedOrder;
            String parentSegment = order.substring(0, order.lastIndexOf('.'));
            fields.put("parent_run_id", parentSegment.substring(parentSegment.length() - 36));
        }
        fields.put("dotted_order", node.dottedOrder);
        fields.put("name", key);
        fields.put("run_type", type);
        fields.put("session_name", "shop");
        fields.put("start_time", node.start.toString());
        if (end != null) {
            fields.put("end_time", end.toString());
        }
        return new Run(fields);
    }

    private static Map<String, Object> messages(String role, String content) {
        return Map.of("messages", List.of(Map.of("role", role, "content", content)));
    }

    private static void postRuns(Run... runs) {
        Api.postBatch(
                json(Map.of("post", List.of(runs).stream().map(Run::fields).toList())));
    }

    private String id(String key) {
        return nodes.get(key).id.toString();
    }

    private String shown(String key) {
        return SHOWN.format(nodes.get(key).start);
    }

    private static String project(String name) {
        return data("query ($name: String!) { project(name: $name) { id } }", "name", name)
                .get("project")
                .get("id")
                .asText();
    }

    /** A row of the traces table as the seeded run should show it. */
    private String row(String key) {
        return switch (key) {
            case "parcel" -> """
                    ["answer", "Where is my parcel?", "%s", "4.00 s", "—", "—", "success", "correctness 1"]""".formatted(shown(key));
            case "cancel" -> """
                    ["answer", "Cancel my order", "%s", "1.50 s", "—", "—", "success", ""]""".formatted(shown(key));
            case "summary" -> """
                    ["summarize", "Summarise the week", "%s", "800 ms", "50", "$0.0001", "error", ""]""".formatted(shown(key));
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    // ---- the browser --------------------------------------------------------------------------

    /** Runs the script, answering its waits, and returns its reports by step. */
    private Map<String, JsonNode> drive(Map<String, String> environment) throws Exception {
        BROWSER.install();
        ProcessBuilder node =
                new ProcessBuilder("node", BROWSER.script("explorer.mjs").toString());
        node.environment().putAll(environment);
        node.environment().put("EXPLORER_URL", "http://127.0.0.1:" + base.getPort());
        node.environment().put("EXPLORER_KEY", Api.KEY);
        node.environment().put("EXPLORER_SCREENSHOTS", SCREENSHOTS.toString());
        Path stderr = Files.createTempFile("explorer", ".log");
        node.redirectError(stderr.toFile());
        Process process = node.start();
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode report = JSON.readTree(line);
                String step = report.get("step").asText();
                if (step.equals("waiting")) {
                    switch (report.get("for").asText()) {
                        case "new-trace" -> postLateTrace();
                        case "trace-grows" -> growLateTrace();
                        case "revoke-key" ->
                            assertJson(
                                    "{\"data\": {\"revokeApiKey\": true}}",
                                    executeWithKey(
                                            Api.ADMIN_KEY,
                                            "mutation ($id: ID!) { revokeApiKey(id: $id) }",
                                            "id",
                                            revocableKey.get("id").asText()));
                        default -> throw new AssertionError("the script waits for nothing known: " + line);
                    }
                    in.write("posted\n");
                    in.flush();
                } else {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) report).remove("step");
                    steps.put(step, report);
                }
            }
        } finally {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        // What the pages showed, beside their screenshots, for whoever reads a failure.
        Files.writeString(
                SCREENSHOTS.resolve("reports.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(steps));
        String errors = Files.readString(stderr);
        assertEquals(
                0, process.exitValue(), () -> "the explorer script failed after " + steps.keySet() + ":\n" + errors);
        return steps;
    }
}
