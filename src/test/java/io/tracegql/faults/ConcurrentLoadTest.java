package io.tracegql.faults;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.GraphQL;
import io.tracegql.support.TraceFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest and queries hammer the gateway together for a bounded time; afterwards every accepted run
 * is readable and the counts match. Correctness under load, not speed (that is bench/'s job).
 */
@QuarkusTest
class ConcurrentLoadTest {

    private static final Duration LOAD = Duration.ofSeconds(6);
    private static final int RUNS_PER_BATCH = 20;

    @Inject
    TraceFixture fixture;

    @TestHTTPResource("/")
    URL base;

    @Test
    void shouldKeepEveryAcceptedRunWhileQueriesRunAlongside() throws Exception {
        fixture.reset();
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong acceptedRuns = new AtomicLong();
        AtomicLong queries = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long deadline = System.nanoTime() + LOAD.toNanos();
        ExecutorService workers = Executors.newFixedThreadPool(6);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            running.add(workers.submit(() -> {
                while (System.nanoTime() < deadline) {
                    HttpResponse<String> response = http.send(batchRequest(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        acceptedRuns.addAndGet(RUNS_PER_BATCH);
                    } else {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
            running.add(workers.submit(() -> {
                while (System.nanoTime() < deadline) {
                    JsonNode response = GraphQL.execute(
                            "{ runs(first: 50, filter: {isRoot: true}) { nodes { name latencySeconds childRunIds"
                                    + " project { runCount latencyP50 } } } }");
                    if (response.has("errors")) {
                        failures.incrementAndGet();
                    }
                    queries.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get(LOAD.toSeconds() + 60, TimeUnit.SECONDS);
        }
        workers.shutdown();

        assertEquals(0, failures.get(), "failed requests");
        assertTrue(acceptedRuns.get() > 0 && queries.get() > 0, "both kinds of load ran");
        JsonNode project =
                GraphQL.data("{ project(name: \"load\") { runCount } }").get("project");
        assertEquals(acceptedRuns.get(), project.get("runCount").asLong(), "accepted runs vs stored runs");
    }

    private HttpRequest batchRequest() {
        StringBuilder body = new StringBuilder("{\"post\": [");
        for (int i = 0; i < RUNS_PER_BATCH; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("""
                    {"id": "%s", "name": "load-%d", "run_type": "chain", "session_name": "load",
                     "start_time": "2024-06-01T00:00:00Z", "end_time": "2024-06-01T00:00:01Z",
                     "inputs": {"question": "how fast?"}, "outputs": {"answer": "fast"}}""".formatted(UUID.randomUUID(), i));
        }
        body.append("]}");
        return HttpRequest.newBuilder(URI.create(base.toString()).resolve("/runs/batch"))
                .header("Content-Type", "application/json")
                .header("x-api-key", Api.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }
}
