package io.tracegql.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tracegql.support.GatewayProcess;
import io.tracegql.support.PrivatePostgres;
import io.tracegql.support.SubscriptionClient;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Acknowledged means durable. Clients ingest traces without pause through two gateways on a
 * PostgreSQL of the test's own, each recording the requests that were answered 2xx, while one gateway
 * is killed with SIGKILL three times (and started again) and the database is restarted twice, once
 * with a fast and once with an immediate (crash) shutdown. Afterwards every acknowledged run is in the
 * database with every field as sent and its update merged, every request that was not acknowledged is
 * there whole or not at all, and a subscription held on the gateway that was never killed still
 * delivers changes, written through either gateway, after each database restart.
 *
 * <p>Four clients retry a failed request with the same ids until it is acknowledged, as SDKs do; two
 * send each request once, so that requests cut off by a crash stay unacknowledged and the
 * all-or-nothing rule is checked on them.
 */
class CrashRecoveryIT {

    private static final String KEY = "tgq_crash_recovery_key";
    private static final String PROJECT = "crash-recovery";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ORDER_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final int RETRYING_CLIENTS = 4;
    private static final int ONE_SHOT_CLIENTS = 2;
    private static final Duration PHASE = Duration.ofSeconds(3);
    private static final Duration FEED_WAIT = Duration.ofSeconds(30);
    private static final String BOUNDARY = "----crash-recovery-boundary";

    private static PrivatePostgres postgres;
    /** Killed and started again. */
    private static GatewayProcess victim;
    /** Lives through every database restart; holds the subscription. */
    private static GatewayProcess survivor;

    private static Vertx vertx;

    @BeforeAll
    static void startDatabaseAndGateways() throws Exception {
        assumeTrue(GatewayProcess.packaged(), "the JVM application is packaged (not a native build)");
        assumeTrue(PrivatePostgres.binaries().isPresent(), "PostgreSQL 15 binaries are installed");
        postgres = PrivatePostgres.create();
        victim = gateway("target/crash-recovery-victim.log").start();
        survivor = gateway("target/crash-recovery-survivor.log").start();
        victim.awaitReady();
        survivor.awaitReady();
        vertx = Vertx.vertx();
    }

    private static GatewayProcess gateway(String log) throws IOException {
        // A short request timeout: requests that meet a database restart fail fast and are retried.
        return new GatewayProcess(
                postgres.reactiveUrl(), postgres.jdbcUrl(), KEY, Path.of(log), "tracegql.database.request-timeout=5s");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {victim, survivor, postgres}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedRunWholeThroughGatewayKillsAndDatabaseRestarts() throws Exception {
        Unit probe = new Unit(-1, 0, Mode.BATCH);
        assertEquals(
                202,
                send(HttpClient.newHttpClient(), survivor.port(), probe.batch(true, false))
                        .status());
        Queue<Unit> units = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong retries = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new ConcurrentSkipListMap<>();
        Queue<String> refusals = new ConcurrentLinkedQueue<>();
        List<String> feedDelays = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(RETRYING_CLIENTS + ONE_SHOT_CLIENTS);
        long started = System.nanoTime();
        try (SubscriptionClient subscription = SubscriptionClient.connect(vertx, survivor.port(), KEY, null)) {
            String id = subscription.subscribe(
                    "subscription ($t: ID!) { runUpdated(traceId: $t) { name } }",
                    "t",
                    probe.runs.get(0).id.toString());
            feedDelays.add("at start " + awaitFeed(subscription, id, probe, survivor));

            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < RETRYING_CLIENTS + ONE_SHOT_CLIENTS; c++) {
                Client client = new Client(c, c < RETRYING_CLIENTS, units, stop, retries, statuses, refusals);
                running.add(clients.submit(() -> {
                    client.run();
                    return null;
                }));
            }

            Thread.sleep(PHASE.toMillis());
            killAndRestartVictim();
            Thread.sleep(PHASE.toMillis());
            restartDatabase("fast");
            feedDelays.add("after fast restart " + awaitFeed(subscription, id, probe, survivor));
            Thread.sleep(PHASE.toMillis());
            killAndRestartVictim();
            Thread.sleep(PHASE.toMillis());
            restartDatabase("immediate");
            feedDelays.add("after immediate restart " + awaitFeed(subscription, id, probe, victim));
            Thread.sleep(PHASE.toMillis());
            killAndRestartVictim();
            Thread.sleep(PHASE.toMillis());

            stop.set(true);
            for (Future<?> client : running) {
                client.get(3, TimeUnit.MINUTES);
            }
            feedDelays.add("at the end " + awaitFeed(subscription, id, probe, victim));
        } finally {
            stop.set(true);
            clients.shutdownNow();
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        Verdict verdict = verify(units);
        System.out.printf(
                "crash recovery: %d s, %d requests sent (%d retries), %d requests acknowledged with %d runs,"
                        + " %d present and whole, %d lost; of %d requests not acknowledged %d are written whole"
                        + " and the others not at all; %d problems; answers %s; feed delivered %s%n",
                seconds,
                statuses.values().stream().mapToLong(AtomicLong::get).sum(),
                retries.get(),
                verdict.acknowledgedRequests,
                verdict.acknowledgedRuns,
                verdict.presentRuns,
                verdict.acknowledgedRuns - verdict.presentRuns,
                verdict.unacknowledgedRequests,
                verdict.unacknowledgedWhole,
                verdict.problems.size(),
                statuses,
                String.join(", ", feedDelays));
        assertEquals(List.of(), refusals.stream().limit(5).toList(), "requests refused");
        assertTrue(verdict.acknowledgedRuns > 0, "some runs were acknowledged");
        assertTrue(retries.get() > 0, "the faults made some requests fail and be retried");
        assertEquals(List.of(), verdict.problems.subList(0, Math.min(20, verdict.problems.size())));
        assertEquals(verdict.acknowledgedRuns, verdict.presentRuns, "lost runs");
        // A restart is an outage (503, retried by clients), never an internal error.
        assertEquals(
                Set.of(),
                statuses.keySet().stream().filter(s -> s >= 300 && s != 503).collect(toSet()));
        for (GatewayProcess gateway : List.of(victim, survivor)) {
            assertEquals(List.of(), gateway.logLines(CrashRecoveryIT::isError), "errors logged");
        }
    }

    /**
     * An error the gateway logged. The SQL client's pool also reports, as an uncaught exception, each
     * request that found the database down, once its acquisition timeout passes (its timer is not
     * cancelled when the acquisition fails: vertx-sql-client issue 1706); the request itself was
     * answered 503 at once, so that line is left out.
     */
    private static boolean isError(String line) {
        return line.contains(" ERROR ")
                && !(line.contains("Uncaught exception received by Vert.x")
                        && line.endsWith("IllegalStateException: Result is already complete"));
    }

    private static void killAndRestartVictim() throws Exception {
        victim.kill();
        victim.start().awaitReady();
    }

    private static void restartDatabase(String mode) throws Exception {
        postgres.stop(mode);
        // Long enough for every client to meet the outage.
        Thread.sleep(1500);
        postgres.start();
        survivor.awaitReady();
        victim.awaitReady();
    }

    /**
     * Writes probe runs into the probe trace through a gateway until the subscription on the survivor
     * hears one; returns how long that took. The feed may miss changes made while it reconnects.
     */
    private static String awaitFeed(SubscriptionClient subscription, String id, Unit probe, GatewayProcess through)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        long deadline = start + FEED_WAIT.toNanos();
        int n = 0;
        while (System.nanoTime() < deadline) {
            Unit child = probe.probeChild(++n);
            send(http, through.port(), child.batch(true, false));
            JsonNode message = subscription.poll(Duration.ofMillis(500));
            if (message != null) {
                String delay = Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms";
                // Events of earlier probes may trail; none may end the subscription.
                for (; message != null; message = subscription.poll(Duration.ofMillis(300))) {
                    assertEquals("next", message.path("type").asText(), "the subscription ended: " + message);
                    assertEquals(id, message.path("id").asText());
                }
                return delay;
            }
        }
        throw new AssertionError("the subscription heard nothing for " + FEED_WAIT);
    }

    /** Posts a body; the answer, or status -1 when the gateway could not be reached or did not answer. */
    private static Answer send(HttpClient http, int port, Body body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + body.path))
                .timeout(Duration.ofSeconds(15))
                .header("x-api-key", KEY)
                .header("content-type", body.contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        }
    }

    private record Answer(int status, String body) {}

    private enum Mode {
        /** Posts and their patches in one /runs/batch request. */
        BATCH,
        /** Posts and their patches as parts of one /runs/multipart request. */
        MULTIPART,
        /** A /runs/batch of posts, then, once it is acknowledged, one of their patches. */
        SPLIT
    }

    /** One client: a trace per unit of work, sent through its gateway until told to stop. */
    private static final class Client {
        private final int number;
        private final boolean retrying;
        private final Queue<Unit> units;
        private final AtomicBoolean stop;
        private final AtomicLong retries;
        private final Map<Integer, AtomicLong> statuses;
        private final Queue<String> refusals;
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        Client(
                int number,
                boolean retrying,
                Queue<Unit> units,
                AtomicBoolean stop,
                AtomicLong retries,
                Map<Integer, AtomicLong> statuses,
                Queue<String> refusals) {
            this.number = number;
            this.retrying = retrying;
            this.units = units;
            this.stop = stop;
            this.retries = retries;
            this.statuses = statuses;
            this.refusals = refusals;
        }

        void run() throws InterruptedException {
            int port = number % 2 == 0 ? victim.port() : survivor.port();
            for (int seq = 0; !stop.get(); seq++) {
                Unit unit = new Unit(number, seq, Mode.values()[seq % Mode.values().length]);
                units.add(unit);
                switch (unit.mode) {
                    case BATCH ->
                        unit.postAcknowledged = unit.patchAcknowledged = deliver(port, unit.batch(true, true));
                    case MULTIPART -> unit.postAcknowledged = unit.patchAcknowledged = deliver(port, unit.multipart());
                    case SPLIT -> {
                        unit.postAcknowledged = deliver(port, unit.batch(true, false));
                        if (unit.postAcknowledged) {
                            unit.patchSent = true;
                            unit.patchAcknowledged = deliver(port, unit.batch(false, true));
                        }
                    }
                }
                Thread.sleep(10);
            }
        }

        /** Sends until acknowledged (a retrying client) or once; true when acknowledged. */
        private boolean deliver(int port, Body body) throws InterruptedException {
            long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) {
                Answer answer = send(http, port, body);
                int status = answer.status();
                statuses.computeIfAbsent(status, any -> new AtomicLong()).incrementAndGet();
                if (status >= 200 && status < 300) {
                    return true;
                }
                if (status >= 400 && status < 500) {
                    refusals.add(
                            status + " " + answer.body() + " for " + new String(body.bytes, StandardCharsets.UTF_8));
                    return false;
                }
                if (!retrying || System.nanoTime() > giveUp) {
                    Thread.sleep(100);
                    return false;
                }
                retries.incrementAndGet();
                Thread.sleep(200);
            }
        }
    }

    private record Body(String path, String contentType, byte[] bytes) {}

    /** A run as sent: what its post and its patch carry. */
    private record SentRun(
            UUID id,
            UUID traceId,
            UUID parentId,
            String dottedOrder,
            String name,
            String runType,
            Instant start,
            Instant end,
            ObjectNode inputs,
            ObjectNode outputs,
            String error,
            List<String> tags,
            ObjectNode metadata) {

        ObjectNode post() {
            ObjectNode post = JSON.createObjectNode()
                    .put("id", id.toString())
                    .put("trace_id", traceId.toString())
                    .put("dotted_order", dottedOrder)
                    .put("name", name)
                    .put("run_type", runType)
                    .put("session_name", PROJECT)
                    .put("start_time", start.toString());
            if (parentId != null) {
                post.put("parent_run_id", parentId.toString());
            }
            post.set("inputs", inputs);
            ArrayNode tagList = post.putArray("tags");
            tags.forEach(tagList::add);
            post.putObject("extra").set("metadata", metadata);
            return post;
        }

        ObjectNode patch() {
            ObjectNode patch = JSON.createObjectNode()
                    .put("id", id.toString())
                    .put("trace_id", traceId.toString())
                    .put("dotted_order", dottedOrder)
                    .put("end_time", end.toString());
            patch.set("outputs", outputs);
            if (error != null) {
                patch.put("error", error);
            }
            return patch;
        }
    }

    /** One trace (a chain with an llm and a failing tool step) and what became of its requests. */
    private static final class Unit {
        final Mode mode;
        final List<SentRun> runs = new ArrayList<>();
        volatile boolean postAcknowledged;
        volatile boolean patchSent;
        volatile boolean patchAcknowledged;

        Unit(int client, int seq, Mode mode) {
            this.mode = mode;
            Instant start = BASE.plusSeconds(seq).plusMillis(client);
            SentRun root = run(client, seq, null, "root", "chain", start, null);
            runs.add(root);
            runs.add(run(client, seq, root, "llm", "llm", start.plusMillis(100), null));
            runs.add(run(
                    client, seq, root, "tool", "tool", start.plusMillis(200), "ToolError: step " + seq + " failed"));
        }

        private Unit(SentRun only) {
            this.mode = Mode.BATCH;
            runs.add(only);
        }

        private static SentRun run(
                int client, int seq, SentRun parent, String role, String type, Instant start, String error) {
            UUID id = UUID.randomUUID();
            String order = ORDER_TIME.format(start) + id;
            ObjectNode metadata = JSON.createObjectNode().put("client", client).put("seq", seq);
            return new SentRun(
                    id,
                    parent == null ? id : parent.traceId,
                    parent == null ? null : parent.id,
                    parent == null ? order : parent.dottedOrder + "." + order,
                    "c" + client + "-" + seq + "-" + role,
                    type,
                    start,
                    start.plusMillis(1500),
                    JSON.createObjectNode().put("question", "question " + seq + " of client " + client),
                    JSON.createObjectNode().put("answer", role + " answer " + seq),
                    error,
                    List.of("crash", "client-" + client),
                    metadata);
        }

        /** A child of this unit's root, to probe the change feed. */
        Unit probeChild(int n) {
            SentRun root = runs.get(0);
            return new Unit(run(-1, n, root, "probe", "tool", root.start.plusMillis(n), null));
        }

        Body batch(boolean posts, boolean patches) {
            ObjectNode body = JSON.createObjectNode();
            if (posts) {
                ArrayNode list = body.putArray("post");
                runs.forEach(run -> list.add(run.post()));
            }
            if (patches) {
                ArrayNode list = body.putArray("patch");
                runs.forEach(run -> list.add(run.patch()));
            }
            return new Body("/runs/batch", "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
        }

        Body multipart() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (SentRun run : runs) {
                part(body, "post." + run.id, run.post());
                part(body, "patch." + run.id, run.patch());
            }
            body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return new Body("/runs/multipart", "multipart/form-data; boundary=" + BOUNDARY, body.toByteArray());
        }

        private static void part(ByteArrayOutputStream body, String name, JsonNode json) {
            byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name
                            + "\"\r\nContent-Type: application/json; length=" + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bytes);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final class Verdict {
        long acknowledgedRequests;
        /** Runs of acknowledged requests, and of those the ones found whole, as sent. */
        long acknowledgedRuns;

        long presentRuns;
        long unacknowledgedRequests;
        /** Requests that were not acknowledged but had committed (the answer was lost). */
        long unacknowledgedWhole;

        final List<String> problems = new ArrayList<>();

        /** A request, acknowledged or not, and whether all of it is in the database. */
        void count(boolean acknowledged, boolean written) {
            if (acknowledged) {
                acknowledgedRequests++;
            } else {
                unacknowledgedRequests++;
                unacknowledgedWhole += written ? 1 : 0;
            }
        }
    }

    /** Reads every run the clients sent from the database and holds it against what was sent. */
    private static Verdict verify(Queue<Unit> units) throws Exception {
        Map<UUID, JsonNode> stored = new HashMap<>();
        List<UUID> ids = units.stream()
                .flatMap(unit -> unit.runs.stream())
                .map(SentRun::id)
                .toList();
        long waitingPatches;
        try (Connection connection = postgres.connect()) {
            try (PreparedStatement select = connection.prepareStatement(
                    "select r.id, json_build_object('trace_id', r.trace_id, 'parent_run_id', r.parent_run_id,"
                            + " 'dotted_order', r.dotted_order, 'name', r.name, 'run_type', r.run_type,"
                            + " 'status', r.status, 'start_time', to_char(r.start_time at time zone 'UTC',"
                            + " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), 'end_time', to_char(r.end_time at time zone"
                            + " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), 'inputs', r.inputs, 'outputs', r.outputs,"
                            + " 'error', r.error, 'tags', r.tags, 'metadata', r.extra -> 'metadata',"
                            + " 'project', p.name)::text from runs r join projects p on p.id = r.project_id"
                            + " where r.id = any(?)")) {
                Array array = connection.createArrayOf("uuid", ids.toArray());
                select.setArray(1, array);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        stored.put(UUID.fromString(rows.getString(1)), JSON.readTree(rows.getString(2)));
                    }
                }
            }
            try (Statement count = connection.createStatement();
                    ResultSet rows = count.executeQuery("select count(*) from run_patches")) {
                rows.next();
                waitingPatches = rows.getLong(1);
            }
        }
        Verdict verdict = new Verdict();
        if (waitingPatches != 0) {
            verdict.problems.add(waitingPatches + " patches wait for runs that were never sent");
        }
        for (Unit unit : units) {
            int size = unit.runs.size();
            long present =
                    unit.runs.stream().filter(run -> stored.containsKey(run.id)).count();
            long patched = unit.runs.stream()
                    .filter(run -> stored.containsKey(run.id)
                            && !stored.get(run.id).path("end_time").isNull())
                    .count();
            String what = unit.mode + " trace of " + unit.runs.get(0).name;
            if (present != 0 && present != size) {
                verdict.problems.add(what + ": " + present + " of " + size + " runs written");
            }
            if (patched != 0 && patched != size) {
                verdict.problems.add(what + ": " + patched + " of " + size + " updates written");
            }
            if (unit.mode != Mode.SPLIT && present != patched) {
                verdict.problems.add(what + ": posts written without the updates of the same request");
            }
            verdict.count(unit.postAcknowledged, present == size);
            if (unit.patchSent) {
                verdict.count(unit.patchAcknowledged, patched == size);
            }
            for (SentRun run : unit.runs) {
                JsonNode row = stored.get(run.id);
                if (unit.postAcknowledged) {
                    verdict.acknowledgedRuns++;
                }
                if (row == null) {
                    continue;
                }
                JsonNode expected = expected(run, patched == size);
                if (!expected.equals(row)) {
                    verdict.problems.add(what + ": run " + run.name + " is " + row + ", sent as " + expected);
                } else if (unit.postAcknowledged && (patched == size || !unit.patchAcknowledged)) {
                    verdict.presentRuns++;
                }
            }
            if (unit.patchAcknowledged && patched != size) {
                verdict.problems.add(what + ": an acknowledged update is missing");
            }
        }
        return verdict;
    }

    /** The row a run must have: every posted field, and the patch's when it was applied. */
    private static JsonNode expected(SentRun run, boolean patched) {
        ObjectNode row = JSON.createObjectNode()
                .put("trace_id", run.traceId.toString())
                .put("parent_run_id", run.parentId == null ? null : run.parentId.toString())
                .put("dotted_order", run.dottedOrder)
                .put("name", run.name)
                .put("run_type", run.runType)
                .put("status", !patched ? "pending" : run.error == null ? "success" : "error")
                .put("start_time", MILLIS.format(run.start))
                .put("end_time", patched ? MILLIS.format(run.end) : null);
        row.set("inputs", run.inputs);
        row.set("outputs", patched ? run.outputs : null);
        row.put("error", patched ? run.error : null);
        ArrayNode tags = row.putArray("tags");
        run.tags.forEach(tags::add);
        row.set("metadata", run.metadata);
        row.put("project", PROJECT);
        return row;
    }
}
