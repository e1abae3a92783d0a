package io.tracegql.live;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.faults.FaultyTcpProxy;
import io.tracegql.security.ApiKeys;
import io.tracegql.store.TenantStore;
import io.tracegql.support.SubscriptionClient;
import io.tracegql.support.TestRun;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The caps on subscriptions per connection and per key and on connections per key
 * ({@link SmallSubscriptionCapsProfile}), over real WebSockets: what is refused, how, and that what a
 * subscription or connection held is given back when it completes or its connection goes away.
 * Every test has keys of its own.
 */
@QuarkusTest
@TestProfile(SmallSubscriptionCapsProfile.class)
class SubscriptionCapsTest {

    private static final String WATCH = "subscription ($t: ID!) { runUpdated(traceId: $t) { name } }";

    @Inject
    Vertx vertx;

    @Inject
    TenantStore tenants;

    @Inject
    ApiKeys apiKeys;

    private int port;

    @BeforeEach
    void setUp() {
        port = RestAssured.port;
    }

    private String newKey() {
        return tenants.create("caps-" + UUID.randomUUID())
                .flatMap(tenant -> apiKeys.create(tenant.id(), "caps test"))
                .await()
                .indefinitely()
                .key();
    }

    /** A trace of the key's with its root run written. */
    private static TestRun trace(String key) {
        TestRun root = TestRun.root("agent", "chain");
        TestRun.post(given().header("x-api-key", key), "caps", root);
        return root;
    }

    private static String watch(SubscriptionClient client, TestRun trace) {
        return client.subscribe(WATCH, "t", trace.id().toString());
    }

    /**
     * Checks that a subscription is live: writes probe runs into its trace until an event of it
     * arrives (events of the connection's other subscriptions are skipped).
     */
    private static void assertListening(SubscriptionClient client, String id, String key, TestRun trace) {
        for (int attempt = 0; attempt < 50; attempt++) {
            TestRun.post(given().header("x-api-key", key), "caps", trace.child("probe", "tool", 1));
            JsonNode message;
            while ((message = client.poll(Duration.ofMillis(200))) != null) {
                assertEquals("next", message.path("type").asText(), message::toString);
                if (message.path("id").asText().equals(id)) {
                    // A run of the trace, a probe or its root (whose change may be announced after
                    // the subscription started): either shows it is live.
                    JsonNode payload = message.get("payload");
                    assertEquals(false, payload.has("errors"), message::toString);
                    assertEquals(true, payload.at("/data/runUpdated/name").isTextual(), message::toString);
                    return;
                }
            }
        }
        throw new AssertionError("subscription " + id + " got no event for 50 probes");
    }

    /**
     * The errors of the message that refuses subscription {@code id}, the only message it gets
     * (events of the connection's other subscriptions, late probes among them, are skipped).
     */
    private static JsonNode refusal(SubscriptionClient client, String id) {
        JsonNode message = client.nextMessage();
        while (!message.path("id").asText().equals(id)) {
            assertEquals("next", message.path("type").asText(), message::toString);
            message = client.nextMessage();
        }
        assertEquals("error", message.path("type").asText(), message::toString);
        JsonNode errors = message.get("payload").deepCopy();
        errors.forEach(error -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) error).remove("locations");
            ((com.fasterxml.jackson.databind.node.ObjectNode) error.get("extensions")).retain("code");
        });
        return errors;
    }

    private static final String PER_CONNECTION = """
            [{"message": "this connection already has 2 subscriptions open, the most one connection may have \
            (tracegql.subscriptions.max-per-connection); complete one first or open another connection", \
            "path": ["runUpdated"], "extensions": {"code": "TOO_MANY_SUBSCRIPTIONS"}}]""";

    private static final String PER_KEY = """
            [{"message": "this API key already has 3 subscriptions open on this gateway instance, the most one \
            key may have (tracegql.subscriptions.max-per-key); complete one first", \
            "path": ["runUpdated"], "extensions": {"code": "TOO_MANY_SUBSCRIPTIONS"}}]""";

    @Test
    void shouldRefuseASubscriptionOverTheConnectionsCapUntilOneCompletes() {
        String key = newKey();
        TestRun trace = trace(key);
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, port, key, null)) {
            String first = watch(client, trace);
            String second = watch(client, trace);
            String third = watch(client, trace);
            assertJson(PER_CONNECTION, refusal(client, third));
            assertListening(client, second, key, trace);

            client.complete(first);
            String fourth = watch(client, trace);
            assertListening(client, fourth, key, trace);
        }
    }

    @Test
    void shouldRefuseASubscriptionOverTheKeysCapAcrossConnectionsButNotAnotherKeys() {
        String key = newKey();
        TestRun trace = trace(key);
        String otherKey = newKey();
        TestRun otherTrace = trace(otherKey);
        try (SubscriptionClient one = SubscriptionClient.connect(vertx, port, key, null);
                SubscriptionClient two = SubscriptionClient.connect(vertx, port, null, Map.of("x-api-key", key));
                SubscriptionClient other = SubscriptionClient.connect(vertx, port, otherKey, null)) {
            // Connections are served in parallel: the first one's subscriptions are open before the second's.
            watch(one, trace);
            assertListening(one, watch(one, trace), key, trace);
            String third = watch(two, trace);
            String fourth = watch(two, trace);
            assertJson(PER_KEY, refusal(two, fourth));
            assertListening(two, third, key, trace);

            String others = watch(other, otherTrace);
            assertListening(other, others, otherKey, otherTrace);
        }
    }

    @Test
    void shouldGiveBackAConnectionsSubscriptionsWhenItCloses() {
        String key = newKey();
        TestRun trace = trace(key);
        try (SubscriptionClient stays = SubscriptionClient.connect(vertx, port, key, null)) {
            try (SubscriptionClient leaves = SubscriptionClient.connect(vertx, port, key, null)) {
                watch(leaves, trace);
                assertListening(leaves, watch(leaves, trace), key, trace);
                watch(stays, trace);
                assertJson(PER_KEY, refusal(stays, watch(stays, trace)));
            }
            assertListening(stays, subscribeOnceFreed(stays, trace), key, trace);
        }
    }

    @Test
    void shouldGiveBackWhatAConnectionHeldWhenItsClientVanishes() throws IOException {
        String key = newKey();
        TestRun trace = trace(key);
        try (FaultyTcpProxy network = new FaultyTcpProxy(new InetSocketAddress("localhost", port));
                SubscriptionClient stays = SubscriptionClient.connect(vertx, port, key, null)) {
            SubscriptionClient vanishes = SubscriptionClient.connect(vertx, network.port(), key, null);
            watch(vanishes, trace);
            assertListening(vanishes, watch(vanishes, trace), key, trace);
            watch(stays, trace);
            assertJson(PER_KEY, refusal(stays, watch(stays, trace)));
            assertEquals(
                    429,
                    Integer.parseInt(SubscriptionClient.refusedHandshake(vertx, port, key)
                            .split(" ", 2)[0]));

            // The TCP connection ends without a WebSocket close: the server learns it from the socket.
            network.cut();
            assertListening(stays, subscribeOnceFreed(stays, trace), key, trace);
            connectOnceFreed(key).close();
            vanishes.close();
        }
    }

    /**
     * Subscribes until the server has given back what a closed connection held: it learns of the
     * close a moment after the client, so a subscription made at once may still be refused.
     */
    private static String subscribeOnceFreed(SubscriptionClient client, TestRun trace) {
        for (int attempt = 0; attempt < 50; attempt++) {
            String id = watch(client, trace);
            JsonNode message = client.poll(Duration.ofMillis(200));
            // Events of the connection's other subscriptions (late probes) are not the answer.
            while (message != null && !message.path("id").asText().equals(id)) {
                assertEquals("next", message.path("type").asText(), message::toString);
                message = client.poll(Duration.ofMillis(200));
            }
            if (message == null || message.path("type").asText().equals("next")) {
                return id;
            }
            assertEquals("error", message.path("type").asText(), message::toString);
        }
        throw new AssertionError("the closed connection's subscriptions were not given back");
    }

    @Test
    void shouldRefuseTheHandshakeOfAConnectionOverTheKeysCapWith429UntilOneCloses() {
        String key = newKey();
        SubscriptionClient first = SubscriptionClient.connect(vertx, port, key, null);
        try (SubscriptionClient second = SubscriptionClient.connect(vertx, port, key, null)) {
            assertEquals(
                    "429 {\"errors\":[{\"message\":\"too many WebSocket connections with this API key: 2 are open"
                            + " (tracegql.subscriptions.max-connections-per-key)\","
                            + "\"extensions\":{\"code\":\"TOO_MANY_CONNECTIONS\"}}]}",
                    SubscriptionClient.refusedHandshake(vertx, port, key));
            first.close();
            connectOnceFreed(key).close();
        }
    }

    private SubscriptionClient connectOnceFreed(String key) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return SubscriptionClient.connect(vertx, port, key, null);
            } catch (java.util.concurrent.CompletionException refused) {
                sleep(100);
            }
        }
        throw new AssertionError("the closed connection was not given back");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldCloseAConnectionWhoseKeyInConnectionInitIsOverTheCapWith4429() {
        String key = newKey();
        TestRun trace = trace(key);
        Map<String, String> init = Map.of("x-api-key", key);
        try (SubscriptionClient one = SubscriptionClient.connect(vertx, port, null, init);
                SubscriptionClient two = SubscriptionClient.connect(vertx, port, null, init);
                SubscriptionClient three = SubscriptionClient.connect(vertx, port, null, init)) {
            assertListening(one, watch(one, trace), key, trace);
            assertListening(two, watch(two, trace), key, trace);
            watch(three, trace);
            assertEquals(
                    "4429 too many WebSocket connections with this API key: 2 are open"
                            + " (tracegql.subscriptions.max-connections-per-key)",
                    three.awaitClose());
        }
    }
}
