package io.tracegql.live;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tracegql.support.SubscriptionClient;
import io.tracegql.support.TestRun;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two gateway instances (the packaged application, started twice) on one database: a run written
 * through one instance reaches the subscribers of both, because the database is the bus.
 */
class TwoInstancesIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final String KEY = "tgq_two_instances_key";
    private static final List<Process> INSTANCES = new ArrayList<>();
    private static final List<Integer> PORTS = new ArrayList<>();
    private static Vertx vertx;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        assumeTrue(Files.exists(JAR), "the JVM application is packaged (not a native build)");
        for (int i = 0; i < 2; i++) {
            int port = freePort();
            Path log = Path.of("target/two-instances-" + i + ".log");
            Process process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Dquarkus.http.port=" + port,
                            "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/test",
                            "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/test",
                            "-Dtracegql.default-tenant-key=" + KEY,
                            "-jar",
                            JAR.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            INSTANCES.add(process);
            PORTS.add(port);
        }
        for (int i = 0; i < 2; i++) {
            awaitReady(PORTS.get(i), INSTANCES.get(i));
        }
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopInstances() throws Exception {
        for (Process process : INSTANCES) {
            process.destroy();
            process.waitFor();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitReady(int port, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("an instance exited at start; see target/two-instances-*.log");
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
        throw new AssertionError("an instance was not ready within 60 s");
    }

    private static RequestSpecification instance(int i) {
        return given().port(PORTS.get(i)).header("x-api-key", KEY);
    }

    @Test
    void shouldDeliverARunWrittenThroughOneInstanceToSubscribersOfBoth() {
        TestRun root = TestRun.root("agent", "chain");
        TestRun.post(instance(0), "two instances", root);
        String subscription = "subscription ($t: ID!) { runUpdated(traceId: $t) { name } }";
        try (SubscriptionClient first = SubscriptionClient.connect(vertx, PORTS.get(0), KEY, null);
                SubscriptionClient second = SubscriptionClient.connect(vertx, PORTS.get(1), KEY, null)) {
            String firstId = first.subscribe(subscription, "t", root.id().toString());
            String secondId = second.subscribe(subscription, "t", root.id().toString());
            awaitBothListening(root, first, second);

            TestRun.post(
                    instance(1),
                    "two instances",
                    root.child("retrieve", "retriever", 1),
                    root.child("generate", "llm", 2));
            TestRun.post(instance(0), "two instances", root.child("parse", "parser", 3));

            for (var client : List.of(first, second)) {
                String id = client == first ? firstId : secondId;
                List<String> names = new ArrayList<>();
                while (names.size() < 3) {
                    String name = client.next(id).at("/data/runUpdated/name").asText();
                    if (!name.equals("probe")) {
                        names.add(name);
                    }
                }
                assertEquals(List.of("retrieve", "generate", "parse"), names);
            }
        }
    }

    /** Posts probes (through the first instance) until both subscriptions delivered one. */
    private static void awaitBothListening(TestRun root, SubscriptionClient first, SubscriptionClient second) {
        boolean firstHeard = false;
        boolean secondHeard = false;
        for (int attempt = 0; attempt < 50 && !(firstHeard && secondHeard); attempt++) {
            TestRun.post(instance(0), "two instances", root.child("probe", "tool", 9));
            JsonNode a = first.poll(Duration.ofMillis(100));
            JsonNode b = second.poll(Duration.ofMillis(100));
            firstHeard |= a != null;
            secondHeard |= b != null;
        }
        assertEquals(List.of(true, true), List.of(firstHeard, secondHeard), "both subscriptions listening");
    }
}
