package io.tracegql.live;

import java.util.Map;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.Api;
import io.tracegql.support.LogCapture;
import io.tracegql.support.Metrics;
import io.tracegql.support.RefusedProject;
import io.tracegql.support.SubscriptionClient;
import io.tracegql.support.TestRun;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.Metrics.moved;
import static io.tracegql.support.Metrics.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /q/metrics (Prometheus text) counts what the gateway did: runs written by ingest, requests by
 * route and status, subscriptions open and events sent, the change feed, and the database pool.
 * Counters are shared by every test of the run, so each check reads a difference.
 */
@QuarkusTest
class MetricsTest {

    @Inject
    TraceFixture fixture;

    @Inject
    Vertx vertx;

    @BeforeEach
    void reset() {
        fixture.reset();
    }

    @Inject
    Sql sql;

    private static Response graphql(String query, Map<String, String> headers) {
        return given().header("x-api-key", Api.KEY)
                .headers(headers)
                .contentType(ContentType.JSON)
                .body(Map.of("query", query))
                .when()
                .post("/graphql")
                .then()
                .extract()
                .response();
    }

    @Test
    void shouldCountIngestedRunsAndRequestsByRouteAndStatus() {
        String before = Metrics.read();
        TestRun root = TestRun.root("agent", "chain");
        TestRun.post(Api.api(), "metrics", root, root.child("llm", "llm", 1), root.child("tool", "tool", 2));
        Api.api()
                .contentType("application/json")
                .body("{")
                .post("/runs/batch")
                .then()
                .statusCode(400);
        String after = Metrics.read();

        assertEquals(3, sample(after, "tracegql_ingest_runs_total") - sample(before, "tracegql_ingest_runs_total"));
        assertEquals(
                1,
                moved(before, after, "tracegql_ingest_rejected_total", Map.of("api", "langsmith", "status", "400")),
                "the malformed body is counted as rejected");
        Map<String, String> accepted = Map.of("uri", "/runs/batch", "status", "202", "method", "POST");
        Map<String, String> refused = Map.of("uri", "/runs/batch", "status", "400", "method", "POST");
        assertEquals(
                1,
                sample(after, "http_server_requests_seconds_count", accepted)
                        - sample(before, "http_server_requests_seconds_count", accepted));
        assertEquals(
                1,
                sample(after, "http_server_requests_seconds_count", refused)
                        - sample(before, "http_server_requests_seconds_count", refused));
        assertTrue(
                sample(after, "postgresql_processing_seconds_count")
                        > sample(before, "postgresql_processing_seconds_count"),
                "statements run by the database pool are timed");
    }

    @Test
    void shouldCountSubscriptionsOpenAndEventsSentAndTheChangeFeed() {
        TestRun.post(Api.api(), "metrics", TestRun.root("setup", "chain"));
        String project =
                data("{ project(name: \"metrics\") { id } }").at("/project/id").asText();
        Map<String, String> runCreated = Map.of("subscription", "runCreated");
        String before = Metrics.read();
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, RestAssured.port)) {
            String id = client.subscribe("subscription ($p: ID!) { runCreated(projectId: $p) { name } }", "p", project);
            client.awaitListening(() -> TestRun.post(Api.api(), "metrics", TestRun.root("probe", "chain")));
            String open = Metrics.read();
            assertEquals(
                    1,
                    sample(open, "tracegql_subscriptions_open", runCreated)
                            - sample(before, "tracegql_subscriptions_open", runCreated));
            assertTrue(sample(open, "tracegql_subscription_events_total", runCreated)
                    > sample(before, "tracegql_subscription_events_total", runCreated));
            assertTrue(sample(open, "tracegql_change_feed_notifications_total")
                    > sample(before, "tracegql_change_feed_notifications_total"));
            assertEquals(1, sample(open, "tracegql_change_feed_listening"));
            double notified = moved(before, open, "tracegql_change_feed_notifications_total", Map.of());
            assertEquals(
                    notified,
                    moved(before, open, "tracegql_change_feed_lag_seconds_count", Map.of()),
                    "every change's time from its write to its delivery is measured");
            assertTrue(moved(before, open, "tracegql_change_feed_lag_seconds_sum", Map.of()) > 0);
            client.complete(id);
        }
        double stillOpen = 1;
        for (int attempt = 0; attempt < 50 && stillOpen > 0; attempt++) {
            stillOpen = sample(Metrics.read(), "tracegql_subscriptions_open", runCreated)
                    - sample(before, "tracegql_subscriptions_open", runCreated);
            if (stillOpen > 0) {
                sleep();
            }
        }
        assertEquals(0, stillOpen, "a completed subscription is no longer counted as open");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldTimeGraphQLRequestsByOperationTypeOutcomeAndPath() throws Throwable {
        TestRun.post(Api.api(), "metrics", TestRun.root("graphql", "chain"));
        Map<String, String> compiledOk =
                Map.of("operation", "MetricsRuns", "type", "query", "outcome", "ok", "path", "compiled");
        Map<String, String> generalOk =
                Map.of("operation", "MetricsRuns", "type", "query", "outcome", "ok", "path", "general");
        Map<String, String> refusedInput =
                Map.of("operation", "anonymous", "type", "query", "outcome", "client_error", "path", "general");
        Map<String, String> unparseable =
                Map.of("operation", "unknown", "type", "unknown", "outcome", "client_error", "path", "none");
        Map<String, String> failed =
                Map.of("operation", "MetricsProbe", "type", "mutation", "outcome", "server_error", "path", "general");
        String runs = "query MetricsRuns { runs(first: 1) { nodes { name } } }";
        String before = Metrics.read();

        assertEquals("compiled", graphql(runs, Map.of()).header("X-Tracegql-Plan"));
        assertEquals("compiled", graphql(runs, Map.of()).header("X-Tracegql-Plan"));
        assertEquals(
                "general", graphql(runs, Map.of("X-Tracegql-Plan", "general")).header("X-Tracegql-Plan"));
        assertEquals(200, graphql("{ run(id: \"nope\") { id } }", Map.of()).statusCode());
        assertEquals(400, graphql("{ run(id: ", Map.of()).statusCode());
        try (RefusedProject refused = RefusedProject.named(sql, "metrics-probe");
                LogCapture ignored = LogCapture.start()) {
            graphql("mutation MetricsProbe { createProject(input: {name: \"metrics-probe\"}) { id } }", Map.of());
        }
        String after = Metrics.read();

        String timer = "tracegql_graphql_requests_seconds_count";
        assertEquals(2, moved(before, after, timer, compiledOk));
        assertEquals(1, moved(before, after, timer, generalOk));
        assertEquals(1, moved(before, after, timer, refusedInput));
        assertEquals(1, moved(before, after, timer, unparseable));
        assertEquals(1, moved(before, after, timer, failed));
        assertTrue(moved(before, after, "tracegql_graphql_requests_seconds_sum", compiledOk) > 0);
    }

    @Test
    void shouldReportTheRequestPoolAndTheChangeFeedConnectionApart() {
        String before = Metrics.read();
        data("{ projects { nodes { name } } }");
        String after = Metrics.read();
        Map<String, String> requests = Map.of("clientName", "<default>");
        Map<String, String> pool = Map.of("pool_name", "requests");
        assertTrue(moved(before, after, "postgresql_processing_seconds_count", requests) > 0, "statements are timed");
        assertTrue(moved(before, after, "postgresql_processing_seconds_sum", requests) > 0);
        assertTrue(moved(before, after, "sql_pool_usage_seconds_count", pool) > 0, "connections lent are timed");
        assertTrue(after.contains("sql_pool_ratio{pool_name=\"requests\""), after);
        assertTrue(after.contains("sql_pool_queue_size{pool_name=\"requests\""), after);
        assertTrue(
                after.contains("postgresql_processing_seconds_count{clientName=\"change-feed\""),
                "the change feed's connection has series of its own");
        assertFalse(
                after.contains("postgresql_queue_size") || after.contains("postgresql_current"),
                "no gauge of one connection stands for the pool");
    }
}
