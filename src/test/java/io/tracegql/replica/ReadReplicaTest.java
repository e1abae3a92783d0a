package io.tracegql.replica;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.Metrics;
import io.tracegql.support.TestRun;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.executeWithKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads served by a real streaming replica whose replay a test pauses: a run written by one key is
 * missing for another key of the same tenant until the replica applies it, while the key that wrote it
 * reads it at once; with the replica stopped every read is answered by the primary, without an error,
 * and the restarted replica serves again. The gateway's read counters tell which server answered.
 */
@QuarkusTest
@TestProfile(ReadReplicaProfile.class)
class ReadReplicaTest {

    private static final String RUN = "query ($id: ID!) { run(id: $id) { id name } }";
    /** How long a test waits for what must happen (the replica's state, a replayed run). */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private String writer;
    private String reader;

    @BeforeEach
    void twoKeysOfOneTenantAndAServingReplica() {
        JsonNode created = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($name: String!) { createTenant(name: $name) { tenant { id } apiKey { key } } }",
                        "name",
                        "replica-" + java.util.UUID.randomUUID())
                .get("data")
                .get("createTenant");
        writer = created.get("apiKey").get("key").asText();
        reader = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($t: ID!) { createApiKey(tenantId: $t, name: \"reader\") { key } }",
                        "t",
                        created.get("tenant").get("id").asText())
                .get("data")
                .get("createApiKey")
                .get("key")
                .asText();
        awaitReplica("up");
    }

    @Test
    void shouldServeReadsFromTheReplicaAndAWriterItsOwnWritesFromThePrimary() throws SQLException {
        TestRun run = TestRun.root("written", "chain");
        ReadReplicaProfile.pair.pauseReplay();
        try {
            TestRun.post(given().header("x-api-key", writer), "replica-project", run);

            // The replica has not applied the run: the other key reads it there and finds nothing.
            String before = Metrics.read();
            assertJson(
                    "{\"data\": {\"run\": null}}",
                    executeWithKey(reader, RUN, "id", run.id().toString()));
            given().header("x-api-key", reader).get("/runs/" + run.id()).then().statusCode(404);
            assertAnsweredBy("replica", before, Metrics.read());
            // The key that wrote it reads it from the primary, by GraphQL and by REST.
            before = Metrics.read();
            assertJson(
                    "{\"data\": {\"run\": {\"id\": \"%s\", \"name\": \"written\"}}}".formatted(run.id()),
                    executeWithKey(writer, RUN, "id", run.id().toString()));
            given().header("x-api-key", writer).get("/runs/" + run.id()).then().statusCode(200);
            assertAnsweredBy("primary", before, Metrics.read());
        } finally {
            ReadReplicaProfile.pair.resumeReplay();
        }

        JsonNode applied = await(
                () -> executeWithKey(reader, RUN, "id", run.id().toString()),
                response -> !response.get("data").get("run").isNull());
        assertJson("{\"data\": {\"run\": {\"id\": \"%s\", \"name\": \"written\"}}}".formatted(run.id()), applied);

        // The replica's connections are the read pool's; the primary has none of them.
        assertTrue(readConnections(ReadReplicaProfile.pair.replicaPort) > 0);
        assertEquals(0, readConnections(ReadReplicaProfile.pair.primaryPort));
    }

    @Test
    void shouldAnswerFromThePrimaryWhileTheReplicaIsStoppedAndFromTheReplicaOnceItIsBack() {
        TestRun before = TestRun.root("before", "chain");
        TestRun.post(given().header("x-api-key", writer), "replica-project", before);
        await(
                () -> executeWithKey(reader, RUN, "id", before.id().toString()),
                response -> !response.get("data").get("run").isNull());

        ReadReplicaProfile.pair.stopReplica();
        try {
            // The first read may still be sent to the stopped replica: it is answered by the primary.
            assertJson(
                    "{\"data\": {\"run\": {\"id\": \"%s\", \"name\": \"before\"}}}".formatted(before.id()),
                    executeWithKey(reader, RUN, "id", before.id().toString()));
            awaitReplica("down");
            TestRun during = TestRun.root("during", "chain");
            TestRun.post(given().header("x-api-key", writer), "replica-project", during);
            assertJson(
                    "{\"data\": {\"run\": {\"id\": \"%s\", \"name\": \"during\"}}}".formatted(during.id()),
                    executeWithKey(reader, RUN, "id", during.id().toString()));
        } finally {
            ReadReplicaProfile.pair.startReplica();
        }

        awaitReplica("up");
        TestRun after = TestRun.root("after", "chain");
        ReadReplicaProfile.pair.pauseReplay();
        try {
            TestRun.post(given().header("x-api-key", writer), "replica-project", after);
            String counted = Metrics.read();
            assertJson(
                    "{\"data\": {\"run\": null}}",
                    executeWithKey(reader, RUN, "id", after.id().toString()));
            assertAnsweredBy("replica", counted, Metrics.read());
        } finally {
            ReadReplicaProfile.pair.resumeReplay();
        }
    }

    @Test
    void shouldShowTheReplicaInReadinessWithoutFailingIt() {
        JsonNode health = await(
                () -> readiness(),
                h -> replicaCheck(h).get("data").get("state").asText().equals("up"));
        assertEquals("UP", health.get("status").asText());
        JsonNode check = replicaCheck(health);
        assertEquals("UP", check.get("status").asText());
        assertTrue(check.get("data").has("lagMillis") && check.get("data").has("lagBytes"), check::toString);

        ReadReplicaProfile.pair.stopReplica();
        try {
            JsonNode down = await(
                    () -> readiness(),
                    h -> replicaCheck(h).get("data").get("state").asText().equals("down"));
            assertEquals("UP", down.get("status").asText(), "a stopped replica does not make the gateway unready");
        } finally {
            ReadReplicaProfile.pair.startReplica();
        }
        awaitReplica("up");
    }

    /** Every read between two readings of the metrics was answered by this server, and there was one. */
    private static void assertAnsweredBy(String server, String before, String after) {
        String other = server.equals("replica") ? "primary" : "replica";
        double answered = Metrics.moved(before, after, "tracegql_reads_total", Map.of("server", server));
        double elsewhere = Metrics.moved(before, after, "tracegql_reads_total", Map.of("server", other));
        assertTrue(
                answered > 0 && elsewhere == 0,
                "reads answered by the " + server + ": " + answered + ", by the " + other + ": " + elsewhere);
    }

    private static JsonNode readiness() {
        return io.tracegql.support.GraphQL.read(
                given().get("/q/health/ready").then().extract().asString());
    }

    private static JsonNode replicaCheck(JsonNode health) {
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("Read replica")) {
                return check;
            }
        }
        throw new AssertionError("no read replica check in " + health);
    }

    private static void awaitReplica(String state) {
        await(
                () -> readiness(),
                h -> replicaCheck(h).get("data").get("state").asText().equals(state));
    }

    private static <T> T await(Supplier<T> probe, java.util.function.Predicate<T> done) {
        Instant deadline = Instant.now().plus(PATIENCE);
        T last = probe.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("still not so after " + PATIENCE.toSeconds() + " s: " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = probe.get();
        }
        return last;
    }

    private static int readConnections(int port) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery(
                                "select count(*) from pg_stat_activity where application_name = 'tracegql-read'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
