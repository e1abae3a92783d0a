package io.tracegql.live;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.SubscriptionClient;
import io.tracegql.support.TestRun;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of a sample, by metric name and labels (a subset, in any order); 0 when absent. */
    private static double sample(String text, String name, Map<String, String> labels) {
        // A sample may end with an OpenMetrics exemplar (" # {trace_id=...} 1.0 <time>"): the trace
        // of a request that counted, since the gateway can trace itself.
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)( # .*)?$")
                .matcher(text);
        double sum = 0;
        while (line.find()) {
            String found = line.group(1) == null ? "" : line.group(1);
            if (labels.entrySet().stream().allMatch(l -> found.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                sum += Double.parseDouble(line.group(2));
            }
        }
        return sum;
    }

    private static double sample(String text, String name) {
        return sample(text, name, Map.of());
    }

    @Test
    void shouldCountIngestedRunsAndRequestsByRouteAndStatus() {
        String before = metrics();
        TestRun root = TestRun.root("agent", "chain");
        TestRun.post(Api.api(), "metrics", root, root.child("llm", "llm", 1), root.child("tool", "tool", 2));
        Api.api()
                .contentType("application/json")
                .body("{")
                .post("/runs/batch")
                .then()
                .statusCode(400);
        String after = metrics();

        assertEquals(3, sample(after, "tracegql_ingest_runs_total") - sample(before, "tracegql_ingest_runs_total"));
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
        String before = metrics();
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, RestAssured.port)) {
            String id = client.subscribe("subscription ($p: ID!) { runCreated(projectId: $p) { name } }", "p", project);
            client.awaitListening(() -> TestRun.post(Api.api(), "metrics", TestRun.root("probe", "chain")));
            String open = metrics();
            assertEquals(
                    1,
                    sample(open, "tracegql_subscriptions_open", runCreated)
                            - sample(before, "tracegql_subscriptions_open", runCreated));
            assertTrue(sample(open, "tracegql_subscription_events_total", runCreated)
                    > sample(before, "tracegql_subscription_events_total", runCreated));
            assertTrue(sample(open, "tracegql_change_feed_notifications_total")
                    > sample(before, "tracegql_change_feed_notifications_total"));
            assertEquals(1, sample(open, "tracegql_change_feed_listening"));
            client.complete(id);
        }
        double stillOpen = 1;
        for (int attempt = 0; attempt < 50 && stillOpen > 0; attempt++) {
            stillOpen = sample(metrics(), "tracegql_subscriptions_open", runCreated)
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
}
