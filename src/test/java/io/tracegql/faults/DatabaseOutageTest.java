package io.tracegql.faults;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.SubscriptionClient;
import io.tracegql.support.TestRun;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.api;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.execute;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database goes away and comes back while the gateway runs: readiness turns DOWN, requests fail
 * fast with a clear error (503 for ingest, which clients retry), and the gateway recovers by itself,
 * live updates included.
 */
@QuarkusTest
@TestProfile(FaultyDatabaseProfile.class)
class DatabaseOutageTest {

    /** What the mutations tried during the outage would have changed. */
    private static final String PROJECTS = """
            { projects(first: 10) { nodes { id name description } }
              runFeedback: run(id: "%s") { feedbackStats { key count meanScore } } }""".formatted(TraceFixture.R1);

    @Inject
    TraceFixture fixture;

    @Inject
    Vertx vertx;

    @AfterEach
    void restore() {
        FaultyDatabaseProfile.proxy.restore();
    }

    @Test
    void shouldFailFastDuringAnOutageAndRecoverWithoutARestart() {
        fixture.load();
        RestAssured.given().when().get("/q/health/ready").then().statusCode(200);
        UUID run = UUID.randomUUID();
        String batch = """
                {"post": [{"id": "%s", "name": "during-outage", "run_type": "chain",
                           "start_time": "2024-06-01T00:00:00Z"}]}""".formatted(run);

        // A subscription open across the outage: events flow again after it, without resubscribing.
        TestRun watched = TestRun.root("watched", "chain");
        TestRun.post(api(), "outage", watched);
        SubscriptionClient subscriber = SubscriptionClient.connect(vertx, RestAssured.port);
        subscriber.subscribe(
                "subscription ($t: ID!) { runUpdated(traceId: $t) { name } }",
                "t",
                watched.id().toString());
        subscriber.awaitListening(() -> TestRun.post(api(), "outage", watched.child("probe", "tool", 1)));
        while (subscriber.poll(Duration.ofMillis(300)) != null) {
            // trailing probes
        }

        JsonNode beforeOutage = data(PROJECTS);
        assertEquals(1, beforeOutage.at("/runFeedback").size(), beforeOutage::toString);

        FaultyDatabaseProfile.proxy.cut();

        waitUntil(
                Duration.ofSeconds(10),
                () -> RestAssured.given().when().get("/q/health/ready").statusCode() == 503);
        long started = System.nanoTime();
        JsonNode query = execute("{ run(id: \"%s\") { id } }".formatted(TraceFixture.R1));
        long queryMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(query.has("errors"), query::toString);
        assertEquals(
                "UNAVAILABLE",
                query.get("errors").get(0).get("extensions").get("code").asText(),
                query::toString);
        assertTrue(queryMillis < 5_000, "a query failed after " + queryMillis + " ms");
        // Mutations, whether written through Hibernate Reactive (projects, feedback) or the SQL client.
        String feedback = TraceFixture.run(11).toString();
        assertUnavailable("createProject", "mutation { createProject(input: {name: \"during-outage\"}) { id } }");
        assertUnavailable(
                "updateProject",
                "mutation ($id: ID!) { updateProject(id: $id, input: {description: \"x\"}) { id } }",
                "id",
                TraceFixture.ALPHA.toString());
        assertUnavailable(
                "deleteProject", "mutation ($id: ID!) { deleteProject(id: $id) }", "id", TraceFixture.ALPHA.toString());
        assertUnavailable(
                "createFeedback",
                "mutation ($run: ID!) { createFeedback(input: {runId: $run, key: \"outage\", score: 1}) { id } }",
                "run",
                TraceFixture.R1.toString());
        assertUnavailable(
                "updateFeedback",
                "mutation ($id: ID!) { updateFeedback(id: $id, input: {score: 0.5}) { id } }",
                "id",
                feedback);
        assertUnavailable("deleteFeedback", "mutation ($id: ID!) { deleteFeedback(id: $id) }", "id", feedback);
        assertUnavailable(
                "shareRun", "mutation ($run: ID!) { shareRun(runId: $run) }", "run", TraceFixture.R1.toString());
        api().contentType(ContentType.JSON)
                .body(batch)
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(503)
                .body("error", equalTo("unavailable"));

        FaultyDatabaseProfile.proxy.restore();

        waitUntil(Duration.ofSeconds(20), () -> !execute("{ run(id: \"%s\") { id } }".formatted(TraceFixture.R1))
                .has("errors"));
        waitUntil(
                Duration.ofSeconds(20),
                () -> RestAssured.given().when().get("/q/health/ready").statusCode() == 200);
        // Nothing of the refused mutations was written.
        assertEquals(beforeOutage, data(PROJECTS));
        subscriber.awaitListening(() -> TestRun.post(api(), "outage", watched.child("after", "tool", 2)));
        subscriber.close();
        api().contentType(ContentType.JSON)
                .body(batch)
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(202);
        assertEquals(
                "during-outage",
                execute("{ run(id: \"%s\") { name } }".formatted(run))
                        .get("data")
                        .get("run")
                        .get("name")
                        .asText());
    }

    /** The mutation failed fast with one UNAVAILABLE error, and nothing else. */
    private static void assertUnavailable(String field, String mutation, Object... variables) {
        long started = System.nanoTime();
        JsonNode response = execute(mutation, variables);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 5_000, field + " failed after " + millis + " ms");
        // Which statement the outage stopped decides the message ("unavailable", "did not answer within").
        ObjectNode comparable = response.deepCopy();
        JsonNode error = comparable.path("errors").path(0);
        assertTrue(error.path("message").asText().startsWith("the database "), response::toString);
        ((ObjectNode) error).remove(List.of("message", "locations"));
        comparable.remove("data");
        assertJson("""
                {"errors": [{"path": ["%s"],
                  "extensions": {"code": "UNAVAILABLE", "classification": "DataFetchingException"}}]}""".formatted(field), comparable);
    }

    private static void waitUntil(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + limit);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
