package io.tracegql.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A GraphQL-over-WebSocket client (graphql-transport-ws) on Vert.x's WebSocket client: connects,
 * initialises, subscribes, and hands out the server's messages (pings left out) one at a time.
 */
public final class SubscriptionClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WebSocketClient client;
    private final WebSocket socket;
    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private long lastReceivedAt;
    private volatile String closeReason;
    private final java.util.concurrent.CompletableFuture<String> closed =
            new java.util.concurrent.CompletableFuture<>();
    private int nextId = 1;

    private SubscriptionClient(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(text -> {
            JsonNode message = GraphQL.read(text);
            if ("ping".equals(message.path("type").asText())) {
                socket.writeTextMessage("{\"type\":\"pong\"}");
            } else {
                messages.add(new Received(message, System.nanoTime()));
            }
        });
        socket.closeHandler(ignored -> {
            closeReason = socket.closeStatusCode() + " " + socket.closeReason();
            closed.complete(closeReason);
        });
    }

    /**
     * Connects to /graphql on the given port with the API key in the x-api-key header (none when null)
     * and sends connection_init with this payload (none when null); waits for connection_ack.
     */
    public static SubscriptionClient connect(Vertx vertx, int port, String headerKey, Map<String, String> initPayload) {
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocket socket = client.connect(options(port, headerKey))
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        SubscriptionClient subscriptions = new SubscriptionClient(client, socket);
        ObjectNode init = JSON.createObjectNode().put("type", "connection_init");
        if (initPayload != null) {
            init.set("payload", JSON.valueToTree(initPayload));
        }
        subscriptions.send(init);
        assertEquals("connection_ack", subscriptions.nextMessage().path("type").asText());
        return subscriptions;
    }

    /**
     * Tries to open a WebSocket with the key in its headers, expecting the handshake to be refused:
     * the status and body of the refusal.
     */
    public static String refusedHandshake(Vertx vertx, int port, String headerKey) {
        WebSocketClient client = vertx.createWebSocketClient();
        try {
            client.connect(options(port, headerKey))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .join()
                    .close();
            throw new AssertionError("the WebSocket handshake was accepted");
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof io.vertx.core.http.UpgradeRejectedException rejected) {
                return rejected.getStatus() + " " + rejected.getBody();
            }
            throw e;
        } finally {
            client.close();
        }
    }

    private static WebSocketConnectOptions options(int port, String headerKey) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("localhost")
                .setPort(port)
                .setURI("/graphql")
                .addSubProtocol("graphql-transport-ws");
        if (headerKey != null) {
            options.addHeader("x-api-key", headerKey);
        }
        return options;
    }

    /** The close code and reason the server closed the connection with; fails when it stays open 10 s. */
    public String awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the connection was not closed within " + WAIT);
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects as the default tenant. */
    public static SubscriptionClient connect(Vertx vertx, int port) {
        return connect(vertx, port, Api.KEY, null);
    }

    /** Starts a subscription; returns its id. Variables as name, value pairs. */
    public String subscribe(String query, Object... variables) {
        String id = String.valueOf(nextId++);
        ObjectNode payload = JSON.createObjectNode().put("query", query);
        ObjectNode vars = payload.putObject("variables");
        for (int i = 0; i < variables.length; i += 2) {
            vars.set((String) variables[i], JSON.valueToTree(variables[i + 1]));
        }
        ObjectNode message =
                JSON.createObjectNode().put("id", id).put("type", "subscribe").set("payload", payload);
        send(message);
        return id;
    }

    /** Stops reading from the socket, as a client that fell behind does: the server's writes back up. */
    public void pause() {
        socket.pause();
    }

    /** Reads from the socket again. */
    public void resume() {
        socket.resume();
    }

    /** Ends a subscription. */
    public void complete(String id) {
        send(JSON.createObjectNode().put("id", id).put("type", "complete"));
    }

    /** The next message from the server; fails when none comes within 10 s. */
    public JsonNode nextMessage() {
        JsonNode message = poll(WAIT);
        assertNotNull(
                message, () -> "no message within " + WAIT + (closeReason == null ? "" : "; closed: " + closeReason));
        return message;
    }

    /**
     * Writes probes until a subscription of this client delivers an event: from then on it is
     * listening. The probes' own events (some may trail) are the caller's to skip.
     */
    public void awaitListening(Runnable writeProbe) {
        for (int attempt = 0; attempt < 50; attempt++) {
            writeProbe.run();
            JsonNode message = poll(Duration.ofMillis(200));
            if (message != null) {
                assertEquals("next", message.path("type").asText(), () -> "not an event: " + message);
                return;
            }
        }
        throw new AssertionError("no event for 50 probes" + (closeReason == null ? "" : "; closed: " + closeReason));
    }

    /** The payload of the next message, which must be a "next" of this subscription. */
    public JsonNode next(String id) {
        JsonNode message = nextMessage();
        assertEquals("next", message.path("type").asText(), () -> "expected next, got " + message);
        assertEquals(id, message.path("id").asText(), () -> "message of another subscription: " + message);
        return message.get("payload");
    }

    /** When the message last handed out arrived (System.nanoTime), whenever the test read it. */
    public long lastReceivedAt() {
        return lastReceivedAt;
    }

    /** The next message, or null when none comes within the time. */
    public JsonNode poll(Duration within) {
        try {
            Received received = messages.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (received == null) {
                return null;
            }
            lastReceivedAt = received.at();
            return received.message();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Checks that no message arrived (and none arrives within the time). */
    public void assertNoMessage(Duration within) {
        JsonNode message = poll(within);
        assertNull(message, () -> "unexpected message: " + message);
    }

    private record Received(JsonNode message, long at) {}

    private void send(JsonNode message) {
        socket.writeTextMessage(message.toString())
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.close().toCompletionStage().toCompletableFuture().join();
        }
        client.close();
    }
}
