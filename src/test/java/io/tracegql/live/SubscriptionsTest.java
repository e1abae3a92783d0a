package io.tracegql.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.Api;
import io.tracegql.support.GraphQL;
import io.tracegql.support.SubscriptionClient;
import io.tracegql.support.TestRun;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subscriptions over a real WebSocket: runs are written through the REST ingest API, committed, announced
 * by the database, and arrive at the subscriber in commit order.
 */
@QuarkusTest
class SubscriptionsTest {

    @Inject
    TraceFixture fixture;

    @Inject
    Vertx vertx;

    @Inject
    Sql sql;

    private int port;

    @BeforeEach
    void setUp() {
        fixture.reset();
        port = RestAssured.port;
    }

    private static void post(String key, String project, TestRun... runs) {
        TestRun.post(given().header("x-api-key", key), project, runs);
    }

    private static void post(String project, TestRun... runs) {
        post(Api.KEY, project, runs);
    }

    private static void patchEnd(TestRun run, String outputs) {
        Api.api()
                .contentType(ContentType.JSON)
                .body("{\"end_time\": \"2024-06-01T12:00:05Z\", \"outputs\": " + outputs + "}")
                .when()
                .patch("/runs/" + run.id())
                .then()
                .statusCode(202);
    }

    /** The probe runs {@code awaitListening} posts, as a runCreated subscription sees them. */
    private static final Predicate<JsonNode> NEW_RUN_PROBE =
            payload -> payload.at("/data/runCreated/name").asText().equals("probe");

    /** The id of the project "live", created by a first run. */
    private static String liveProject() {
        post("live", TestRun.root("setup", "chain"));
        return projectId("live");
    }

    private static String projectId(String name) {
        return data("query ($name: String!) { project(name: $name) { id } }", "name", name)
                .get("project")
                .get("id")
                .asText();
    }

    private static JsonNode nextIgnoringProbes(SubscriptionClient client, String id, Predicate<JsonNode> isProbe) {
        while (true) {
            JsonNode payload = client.next(id);
            if (!isProbe.test(payload)) {
                return payload;
            }
        }
    }

    @Test
    void shouldSendEachNewRunOfTheProjectInCommitOrder() {
        String project = liveProject();
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, port)) {
            String id = client.subscribe(
                    "subscription ($p: ID!) { runCreated(projectId: $p) { name runType projectId inputs question: inputs(path: \"$.question\") } }",
                    "p",
                    project);
            client.awaitListening(() -> post("live", TestRun.root("probe", "chain")));

            post("live", TestRun.root("first", "chain"));
            post("live", TestRun.root("second", "llm"), TestRun.root("third", "tool"));

            assertJson("""
                    {"data": {"runCreated": {"name": "first", "runType": "CHAIN", "projectId": "%s",
                     "inputs": {"question": "q-first"}, "question": "q-first"}}}""".formatted(project), nextIgnoringProbes(client, id, NEW_RUN_PROBE));
            assertEquals("second", client.next(id).at("/data/runCreated/name").asText());
            assertEquals("third", client.next(id).at("/data/runCreated/name").asText());
            client.assertNoMessage(Duration.ofMillis(300));
        }
    }

    @Test
    void shouldSendOnlyNewRunsThatMatchTheFilter() {
        String project = liveProject();
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, port)) {
            String id = client.subscribe(
                    "subscription ($p: ID!) { runCreated(projectId: $p, filter: {runTypes: [LLM]}) { name } }",
                    "p",
                    project);
            client.awaitListening(() -> post("live", TestRun.root("probe", "llm")));

            post("live", TestRun.root("a chain", "chain"), TestRun.root("a model", "llm"));
            post("elsewhere", TestRun.root("another project", "llm"));
            post("live", TestRun.root("another model", "llm"));

            assertJson(
                    "{\"data\": {\"runCreated\": {\"name\": \"a model\"}}}",
                    nextIgnoringProbes(client, id, NEW_RUN_PROBE));
            assertJson("{\"data\": {\"runCreated\": {\"name\": \"another model\"}}}", client.next(id));
            client.assertNoMessage(Duration.ofMillis(300));
        }
    }

    @Test
    void shouldSendEveryChangeToARunOfTheTraceWithNestedFields() {
        TestRun root = TestRun.root("agent", "chain");
        post("live", root);
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, port)) {
            String id = client.subscribe("""
                    subscription ($t: ID!) { runUpdated(traceId: $t) {
                      name endTime outputs childRuns { name } feedbackStats { key count meanScore } } }""", "t", root.id().toString());
            client.awaitListening(() -> post("live", root.child("probe", "tool", 9)));
            Predicate<JsonNode> probe =
                    p -> p.at("/data/runUpdated/name").asText().equals("probe");

            // Each change is awaited before the next one: an event carries the run as it is when sent.
            TestRun model = root.child("model", "llm", 1);
            post("live", model);
            assertJson("""
                    {"data": {"runUpdated": {"name": "model", "endTime": null, "outputs": null, "childRuns": [],
                     "feedbackStats": []}}}""", nextIgnoringProbes(client, id, probe));

            patchEnd(root, "{\"answer\": \"42\"}");
            JsonNode ended = client.next(id);
            assertEquals(
                    "2024-06-01T12:00:05Z", ended.at("/data/runUpdated/endTime").asText());
            assertJson("{\"answer\": \"42\"}", ended.at("/data/runUpdated/outputs"));
            assertEquals(List.of("model"), names(ended.at("/data/runUpdated/childRuns")));

            Api.api()
                    .contentType(ContentType.JSON)
                    .body("{\"run_id\": \"%s\", \"key\": \"correctness\", \"score\": 1}".formatted(model.id()))
                    .when()
                    .post("/feedback")
                    .then()
                    .statusCode(200);
            assertJson("""
                    {"data": {"runUpdated": {"name": "model", "endTime": null, "outputs": null, "childRuns": [],
                     "feedbackStats": [{"key": "correctness", "count": 1, "meanScore": 1.0}]}}}""", client.next(id));
        }
    }

    /** The names of runs other than probes. */
    private static List<String> names(JsonNode runs) {
        List<String> names = new ArrayList<>();
        runs.forEach(run -> names.add(run.get("name").asText()));
        names.removeIf("probe"::equals);
        return names;
    }

    @Test
    void shouldSendTheWholeTraceAtMostOncePerInterval() {
        TestRun root = TestRun.root("agent", "chain");
        post("live", root);
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, port)) {
            String id = client.subscribe(
                    "subscription ($t: ID!) { traceUpdated(traceId: $t) { name childRuns { name } } }",
                    "t",
                    root.id().toString());
            client.awaitListening(() -> post("live", root.child("probe", "tool", 0)));

            List<String> steps = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                post("live", root.child("step " + i, "tool", i));
                steps.add("step " + i);
            }
            // Events come at most every 200 ms (the test profile's interval; less the network's jitter)
            // until one shows every step.
            long previous = client.lastReceivedAt();
            int events = 0;
            List<String> shown;
            do {
                JsonNode payload = client.next(id);
                long now = client.lastReceivedAt();
                long apart = Duration.ofNanos(now - previous).toMillis();
                // Without the throttle the five changes, written one after the other, would come tens of ms apart.
                assertTrue(apart >= 120, "events " + apart + " ms apart");
                previous = now;
                events++;
                shown = names(payload.at("/data/traceUpdated/childRuns"));
            } while (shown.size() < steps.size());
            // At most one event for a probe that trailed, then at most one per change.
            assertTrue(events <= 6, "5 changes must not give more than 5 events, got " + events);
            assertEquals(steps, shown.stream().sorted().toList());
            client.assertNoMessage(Duration.ofMillis(500));
        }
    }

    @Test
    void shouldSendProjectStatsWhenRunsChange() {
        String project = liveProject();
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, port)) {
            String id = client.subscribe(
                    "subscription ($p: ID!) { projectStatsChanged(projectId: $p) { name runCount } }", "p", project);
            client.awaitListening(() -> post("live", TestRun.root("probe", "chain")));
            post("live", TestRun.root("one more", "chain"));
            int expected = data("query ($p: ID!) { project(id: $p) { runCount } }", "p", project)
                    .at("/project/runCount")
                    .asInt();
            int seen;
            do {
                JsonNode payload = client.next(id);
                assertEquals(
                        "live", payload.at("/data/projectStatsChanged/name").asText());
                seen = payload.at("/data/projectStatsChanged/runCount").asInt();
            } while (seen < expected);
            assertEquals(expected, seen);
        }
    }

    @Test
    void shouldNeverSendAnotherTenantsChanges() {
        String keyB = GraphQL.executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($n: String!) { createTenant(name: $n) { apiKey { key } } }",
                        "n",
                        "tenant-b-" + UUID.randomUUID())
                .at("/data/createTenant/apiKey/key")
                .asText();
        TestRun traceOfA = TestRun.root("a's agent", "chain");
        post("shared name", traceOfA);
        post(keyB, "shared name", TestRun.root("setup", "chain"));
        String projectOfB = GraphQL.executeWithKey(keyB, "{ project(name: \"shared name\") { id } }")
                .at("/data/project/id")
                .asText();
        try (SubscriptionClient b = SubscriptionClient.connect(vertx, port, keyB, null)) {
            String aTrace = b.subscribe(
                    "subscription ($t: ID!) { runUpdated(traceId: $t) { name } }",
                    "t",
                    traceOfA.id().toString());
            String ownProject =
                    b.subscribe("subscription ($p: ID!) { runCreated(projectId: $p) { name } }", "p", projectOfB);
            b.awaitListening(() -> post(keyB, "shared name", TestRun.root("probe", "chain")));

            // A writes into its trace and project; then B writes, so B's event comes after A's would have.
            post("shared name", traceOfA.child("a's secret", "llm", 1), TestRun.root("a's root", "chain"));
            patchEnd(traceOfA, "{\"secret\": true}");
            post(keyB, "shared name", TestRun.root("b's own", "chain"));

            JsonNode own = nextIgnoringProbes(
                    b, ownProject, p -> p.at("/data/runCreated/name").asText().equals("probe"));
            assertJson("{\"data\": {\"runCreated\": {\"name\": \"b's own\"}}}", own);
            b.assertNoMessage(Duration.ofMillis(300));
            assertTrue(!aTrace.isEmpty());
        }
    }

    @Test
    void shouldAcceptTheKeyInTheConnectionInitPayload() {
        TestRun root = TestRun.root("agent", "chain");
        post("live", root);
        try (SubscriptionClient browser = SubscriptionClient.connect(vertx, port, null, Map.of("x-api-key", Api.KEY))) {
            String id = browser.subscribe(
                    "subscription ($t: ID!) { runUpdated(traceId: $t) { name } }",
                    "t",
                    root.id().toString());
            browser.awaitListening(() -> post("live", root.child("probe", "tool", 1)));
            post("live", root.child("model", "llm", 2));
            assertJson("{\"data\": {\"runUpdated\": {\"name\": \"model\"}}}", nextIgnoringProbes(browser, id, p -> p.at(
                            "/data/runUpdated/name")
                    .asText()
                    .equals("probe")));
        }
    }

    @Test
    void shouldEndASubscriptionWithoutAKeyAsUnauthenticated() {
        try (SubscriptionClient anonymous = SubscriptionClient.connect(vertx, port, null, null)) {
            String id = anonymous.subscribe(
                    "subscription ($t: ID!) { runUpdated(traceId: $t) { name } }",
                    "t",
                    UUID.randomUUID().toString());
            JsonNode payload = anonymous.next(id);
            assertEquals(
                    "UNAUTHENTICATED", payload.at("/errors/0/extensions/code").asText(), payload::toString);
            assertTrue(payload.at("/errors/0/message").asText().contains("connection_init"), payload::toString);
            JsonNode complete = anonymous.nextMessage();
            assertEquals("complete", complete.path("type").asText(), complete::toString);
        }
    }

    @Test
    void shouldRefuseAnInvalidProjectId() {
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, port)) {
            String id = client.subscribe("subscription { runCreated(projectId: \"nope\") { name } }");
            JsonNode message = client.nextMessage();
            assertEquals(id, message.path("id").asText());
            JsonNode error = message.get("type").asText().equals("error")
                    ? message.at("/payload/0")
                    : message.at("/payload/errors/0");
            assertEquals("BAD_USER_INPUT", error.at("/extensions/code").asText(), message::toString);
            assertTrue(error.get("message").asText().startsWith("projectId must be a UUID"), message::toString);
        }
    }

    @Test
    void shouldEndASubscriberThatStopsReadingWithoutHoldingUpIngestOrOthers() {
        String project = liveProject();
        String query = "subscription ($p: ID!) { runCreated(projectId: $p) { name inputs } }";
        try (SubscriptionClient slow = SubscriptionClient.connect(vertx, port);
                SubscriptionClient fast = SubscriptionClient.connect(vertx, port)) {
            String slowId = slow.subscribe(query, "p", project);
            String fastId =
                    fast.subscribe("subscription ($p: ID!) { runCreated(projectId: $p) { name } }", "p", project);
            slow.awaitListening(() -> post("live", TestRun.root("probe", "chain")));
            fast.awaitListening(() -> post("live", TestRun.root("probe", "chain")));
            slow.pause();

            // 1,500 events of 20 KB: far more than the socket buffers and the test profile's
            // buffer-size (200) hold for a client that does not read.
            String question = "why ".repeat(5_000);
            for (int batch = 0; batch < 15; batch++) {
                TestRun[] runs = new TestRun[100];
                for (int i = 0; i < runs.length; i++) {
                    runs[i] = TestRun.root("run " + (batch * 100 + i), "chain").asking(question);
                }
                post("live", runs);
            }
            assertEquals(
                    "run 0",
                    nextIgnoringProbes(fast, fastId, NEW_RUN_PROBE)
                            .at("/data/runCreated/name")
                            .asText());
            for (int i = 1; i < 1500; i++) {
                assertEquals(
                        "run " + i,
                        fast.next(fastId).at("/data/runCreated/name").asText());
            }

            slow.resume();
            int delivered = 0;
            JsonNode payload;
            do {
                JsonNode message = slow.poll(Duration.ofSeconds(10));
                assertTrue(message != null, "no event after " + delivered);
                assertEquals("next", message.path("type").asText(), message::toString);
                payload = message.get("payload");
                delivered++;
            } while (!payload.has("errors"));
            assertTrue(delivered < 1500, "the slow subscriber got " + delivered + " events before it was ended");
            // SmallRye GraphQL repeats the previous event's data beside the error: only the error is new.
            assertJson("""
                    [{"message": "the subscription fell more than 200 changes behind and was ended; subscribe again \
                    and refetch the current state", "path": ["runCreated"], "extensions": {"code": "SUBSCRIBER_TOO_SLOW"}}]""", withoutLocationsAndClassification(payload).get("errors"));
            assertEquals("complete", slow.nextMessage().path("type").asText());
        }
    }

    private static JsonNode withoutLocationsAndClassification(JsonNode payload) {
        JsonNode copy = payload.deepCopy();
        copy.get("errors").forEach(error -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) error).remove("locations");
            ((com.fasterxml.jackson.databind.node.ObjectNode) error.get("extensions")).retain("code");
        });
        return copy;
    }

    @Test
    void shouldReadABurstOfRunsWithAFewStatements() {
        String project = liveProject();
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, port)) {
            String id = client.subscribe("subscription ($p: ID!) { runCreated(projectId: $p) { name } }", "p", project);
            client.awaitListening(() -> post("live", TestRun.root("probe", "chain")));
            TestRun[] burst = new TestRun[100];
            for (int i = 0; i < burst.length; i++) {
                burst[i] = TestRun.root("burst " + i, "chain");
            }
            long before = sql.statementCount();
            post("live", burst);
            assertEquals(
                    "burst 0",
                    nextIgnoringProbes(client, id, NEW_RUN_PROBE)
                            .at("/data/runCreated/name")
                            .asText());
            for (int i = 1; i < burst.length; i++) {
                assertEquals(
                        "burst " + i,
                        client.next(id).at("/data/runCreated/name").asText());
            }
            long statements = sql.statementCount() - before;
            // The ingest transaction takes about ten; reading the 100 events one by one would take 100.
            assertTrue(statements < 30, "statements for a burst of 100 runs: " + statements);
        }
    }
}
