package io.tracegql.scaleout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.tracegql.security.RequestBodies;
import io.tracegql.support.GatewayProcess;
import io.tracegql.support.GraphQL;
import io.tracegql.support.Nginx;
import io.tracegql.support.SubscriptionClient;
import io.tracegql.support.TestDatabase;
import io.tracegql.support.TestRun;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two packaged gateways on the tests' database behind an nginx of the test's own, configured by the
 * operators' example (docs/nginx.conf) with the test's ports: ingest to the first gateway and reads
 * and subscriptions to the second, or every request round robin. A subscription held through nginx
 * hears the runs ingested through it; what concurrent clients ingested is read back through nginx
 * exactly, with its updates; and when one gateway is killed mid-load, nginx sends what follows to
 * the other, resends cut-off reads itself, and the clients resend cut-off ingest, which leaves each
 * run once. The last test kills the first gateway: the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewaysBehindNginxIT {

    private static final String KEY = "tgq_gateways_behind_nginx_key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;
    private static final int UNITS_PER_CLIENT = 50;
    /** Fewer with a gateway killed: enough to cross the kill, while the whole class stays well under 2 minutes. */
    private static final int UNITS_PER_CLIENT_THROUGH_A_KILL = 30;

    private static final int RUNS_PER_UNIT = 20;
    private static final int RESENT_UNITS = 10;
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final DateTimeFormatter ORDER_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Pattern BODY_LIMIT = Pattern.compile("(?m)^\\s*client_max_body_size (\\d+)m;");

    /** The ingest pool's gateway (the read pool's backup); killed by the last test. */
    private static GatewayProcess first;
    /** The read pool's gateway (the ingest pool's backup). */
    private static GatewayProcess second;

    private static Nginx split;
    private static Nginx roundRobin;
    private static Vertx vertx;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @BeforeAll
    static void startGatewaysAndNginx() throws Exception {
        assumeTrue(GatewayProcess.packaged(), "the JVM application is packaged (not a native build)");
        assumeTrue(
                Nginx.installed(),
                "nginx is not installed at " + Nginx.BINARY + " (Debian: apt-get install nginx; .ci/run installs it)");
        first = gateway("first").start();
        second = gateway("second").start();
        first.awaitReady();
        second.awaitReady();
        split = Nginx.start(Path.of("target/nginx-split"), Nginx.Layout.SPLIT, first.port(), second.port());
        roundRobin =
                Nginx.start(Path.of("target/nginx-round-robin"), Nginx.Layout.ROUND_ROBIN, first.port(), second.port());
        vertx = Vertx.vertx();
    }

    private static GatewayProcess gateway(String name) throws IOException {
        return new GatewayProcess(
                TestDatabase.reactiveUrl(),
                TestDatabase.jdbcUrl(),
                KEY,
                Path.of("target/gateways-behind-nginx-" + name + ".log"));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        Exception failure = null;
        for (AutoCloseable closeable : new AutoCloseable[] {split, roundRobin, first, second}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                failure = e;
            }
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    @Order(1)
    void shouldDeliverRunsIngestedThroughNginxToASubscriptionHeldThroughNginx() throws Exception {
        int logged = split.accessLog().size();
        String project = project("nginx-live");
        TestRun root = TestRun.root("agent", "chain");
        TestRun.post(through(split), project, root);
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, split.port(), KEY, null)) {
            String id = client.subscribe(
                    "subscription ($t: ID!) { runUpdated(traceId: $t) { name } }",
                    "t",
                    root.id().toString());
            client.awaitListening(() -> TestRun.post(through(split), project, root.child("probe", "tool", 9)));

            TestRun.post(
                    through(split), project, root.child("retrieve", "retriever", 1), root.child("generate", "llm", 2));
            TestRun.post(through(split), project, root.child("parse", "parser", 3));

            List<String> names = new ArrayList<>();
            while (names.size() < 3) {
                String name = client.next(id).at("/data/runUpdated/name").asText();
                if (!name.equals("probe")) {
                    names.add(name);
                }
            }
            assertEquals(List.of("retrieve", "generate", "parse"), names);
        }
        // nginx logs the WebSocket's upgrade once its connection has ended.
        awaitLogged(split, logged, "GET /graphql 101");
        assertEquals(
                Map.of(
                        "POST /runs/batch 202", Set.of(address(first)),
                        "GET /graphql 101", Set.of(address(second))),
                routes(split, logged));
    }

    @Test
    @Order(2)
    void shouldPassBatchesOverNginxsDefaultLimitAndRefuseBodiesOverTheGatewaysLimitAsTheGatewayDoes() throws Exception {
        Matcher limit = BODY_LIMIT.matcher(Nginx.example());
        assertTrue(limit.find(), "the example sets client_max_body_size in MB");
        assertEquals(RequestBodies.MAX_BYTES, Long.parseLong(limit.group(1)) * 1024 * 1024, "nginx's body limit");

        // 20 runs of 100 KB each: twice nginx's default limit of 1 MB.
        String project = project("nginx-large");
        String text = "x".repeat(100 * 1024);
        TestRun[] runs = new TestRun[20];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = TestRun.root("large-" + i, "chain").asking(text);
        }
        TestRun.post(through(roundRobin), project, runs);
        GraphQL.assertJson(
                "{\"project\": {\"runCount\": 20}}",
                data(roundRobin, "query ($p: String!) { project(name: $p) { runCount } }", "p", project));

        // Refused on its Content-Length, before a byte of the body is sent, as the gateway itself refuses it.
        for (String path : List.of("/runs/batch", "/graphql")) {
            JsonNode byGateway = refusal(second.port(), path);
            assertEquals(413, byGateway.get("status").asInt(), () -> "the gateway's answer: " + byGateway);
            assertEquals(byGateway, refusal(roundRobin.port(), path), () -> "nginx's answer on " + path);
        }
    }

    /** The status and JSON body of the answer to the head of a POST whose Content-Length is over the limit. */
    private static JsonNode refusal(int port, String path) throws IOException {
        String answer = rawPost(port, path, RequestBodies.MAX_BYTES + 1);
        ObjectNode refusal = JSON.createObjectNode().put("status", Integer.parseInt(answer.substring(9, 12)));
        refusal.set("body", GraphQL.read(answer.substring(answer.indexOf("\r\n\r\n") + 4)));
        return refusal;
    }

    @Test
    @Order(3)
    void shouldReadBackThroughTheReadGatewayExactlyWhatConcurrentClientsIngestedThroughTheIngestGateway()
            throws Exception {
        int logged = split.accessLog().size();
        Load load = new Load(split, project("nginx-load"), UNITS_PER_CLIENT);
        load.run(0, null);
        Verdict verdict = load.verify();
        load.print("split layout", verdict);

        load.assertDelivered(verdict);
        assertEquals(List.of(), load.readFailures.stream().limit(5).toList(), "reads that failed");
        assertEquals(
                Map.of(
                        "POST /runs/batch 202", Set.of(address(first)),
                        "GET /graphql 200", Set.of(address(second)),
                        "POST /graphql 200", Set.of(address(second))),
                routes(split, logged));
    }

    @Test
    @Order(4)
    void shouldFailOverToTheOtherGatewayWhenOneIsKilledMidLoadAndStillReadBackExactly() throws Exception {
        int logged = roundRobin.accessLog().size();
        Load load = new Load(roundRobin, project("nginx-failover"), UNITS_PER_CLIENT_THROUGH_A_KILL);
        long total = (long) CLIENTS * UNITS_PER_CLIENT_THROUGH_A_KILL * 2;
        load.run(total / 3, () -> {
            try {
                first.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<String> beforeKill = roundRobin.accessLog().subList(logged, load.loggedAtKill);
        // Resent as a client does when an answer was lost: the upsert leaves each run once, as it was.
        load.resend(RESENT_UNITS);
        Verdict verdict = load.verify();
        load.print("round robin, first gateway killed after " + load.acknowledgedAtKill + " acknowledged", verdict);

        load.assertDelivered(verdict);
        assertTrue(load.acknowledged.get() > load.acknowledgedAtKill, "requests were acknowledged after the kill");
        // GET is idempotent: nginx resent every read that the kill cut off to the other gateway.
        assertEquals(List.of(), load.readFailures.stream().limit(5).toList(), "reads that failed");
        Set<String> ingestUpstreams = new TreeSet<>();
        for (String line : beforeKill) {
            if (line.startsWith("POST /runs/batch 202 ")) {
                ingestUpstreams.add(line.substring("POST /runs/batch 202 ".length()));
            }
        }
        assertEquals(Set.of(address(first), address(second)), ingestUpstreams, "round robin before the kill");
    }

    /** A project name of its own for each run of the test, on a database that other tests share. */
    private static String project(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestSpecification through(Nginx nginx) {
        return given().port(nginx.port()).header("x-api-key", KEY);
    }

    private static String address(GatewayProcess gateway) {
        return "127.0.0.1:" + gateway.port();
    }

    /** The data of a GraphQL request sent through nginx that must succeed. */
    private static JsonNode data(Nginx nginx, String query, Object... variables) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (int i = 0; i < variables.length; i += 2) {
            vars.put((String) variables[i], variables[i + 1]);
        }
        String text = through(nginx)
                .contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", vars))
                .when()
                .post("/graphql")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode response = GraphQL.read(text);
        assertFalse(response.has("errors"), () -> "unexpected errors: " + response.get("errors"));
        return response.get("data");
    }

    /** Requests logged since the given line, as "method path status" to the gateways that answered them. */
    private static Map<String, Set<String>> routes(Nginx nginx, int from) throws IOException {
        Map<String, Set<String>> routes = new TreeMap<>();
        List<String> lines = nginx.accessLog();
        for (String line : lines.subList(from, lines.size())) {
            int last = line.lastIndexOf(' ');
            routes.computeIfAbsent(line.substring(0, last), any -> new TreeSet<>())
                    .add(line.substring(last + 1));
        }
        return routes;
    }

    private static void awaitLogged(Nginx nginx, int from, String prefix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = nginx.accessLog();
            if (lines.subList(from, lines.size()).stream().anyMatch(line -> line.startsWith(prefix))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nginx logged no '" + prefix + "' within 10 s: " + nginx.accessLog());
    }

    /**
     * Sends the head of a POST with this Content-Length and no body; the answer's head and as much
     * body as its Content-Length says (the server may keep the connection open for the body it refused).
     */
    private static String rawPost(int port, String path, long length) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "x-api-key: " + KEY + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("the answer ended in its head: " + head);
                }
                head.append((char) c);
            }
            Matcher declared = Pattern.compile("(?im)^content-length: *(\\d+)").matcher(head);
            if (!declared.find()) {
                throw new IOException("an answer without a Content-Length: " + head);
            }
            byte[] body = in.readNBytes(Integer.parseInt(declared.group(1)));
            return head + new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Answer(int status, String body) {}

    /** Sends a request through nginx; status -1 when it could not be reached or did not answer. */
    private static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    HTTP.send(request.header("x-api-key", KEY).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        }
    }

    /** A run as its post and its patch carry it. */
    private record SentRun(
            UUID id, UUID traceId, UUID parentId, String dottedOrder, String name, Instant start, String error) {

        ObjectNode post(String project) {
            ObjectNode post = JSON.createObjectNode()
                    .put("id", id.toString())
                    .put("trace_id", traceId.toString())
                    .put("dotted_order", dottedOrder)
                    .put("name", name)
                    .put("run_type", parentId == null ? "chain" : "llm")
                    .put("session_name", project)
                    .put("start_time", start.toString());
            if (parentId != null) {
                post.put("parent_run_id", parentId.toString());
            }
            post.putObject("inputs").put("question", "what is " + name + "?");
            return post;
        }

        ObjectNode patch() {
            ObjectNode patch = JSON.createObjectNode()
                    .put("id", id.toString())
                    .put("trace_id", traceId.toString())
                    .put("dotted_order", dottedOrder)
                    .put("end_time", end().toString());
            patch.putObject("outputs").put("answer", "the answer of " + name);
            if (error != null) {
                patch.put("error", error);
            }
            return patch;
        }

        Instant end() {
            return start.plusMillis(750);
        }

        /** The run as GraphQL must show it once its patch is applied. */
        ObjectNode expected() {
            ObjectNode run = JSON.createObjectNode()
                    .put("id", id.toString())
                    .put("name", name)
                    .put("status", error == null ? "SUCCESS" : "ERROR")
                    .put("endTime", end().toString());
            run.putObject("outputs").put("answer", "the answer of " + name);
            run.put("error", error);
            return run;
        }
    }

    /** One trace of RUNS_PER_UNIT runs: a request of their posts, then, once acknowledged, one of their patches. */
    private static final class Unit {
        final List<SentRun> runs = new ArrayList<>();

        Unit(int client, int seq) {
            Instant start = BASE.plusSeconds(seq).plusMillis(client);
            UUID rootId = UUID.randomUUID();
            String rootOrder = ORDER_TIME.format(start) + rootId;
            SentRun root = new SentRun(rootId, rootId, null, rootOrder, "c" + client + "-" + seq, start, null);
            runs.add(root);
            for (int i = 1; i < RUNS_PER_UNIT; i++) {
                UUID id = UUID.randomUUID();
                Instant at = start.plusMillis(i);
                boolean fails = i == RUNS_PER_UNIT - 1 && seq % 3 == 0;
                runs.add(new SentRun(
                        id,
                        rootId,
                        rootId,
                        rootOrder + "." + ORDER_TIME.format(at) + id,
                        root.name + "-step-" + i,
                        at,
                        fails ? "StepError: step " + i + " failed" : null));
            }
        }

        String posts(String project) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("post");
            runs.forEach(run -> list.add(run.post(project)));
            return body.toString();
        }

        String patches() {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("patch");
            runs.forEach(run -> list.add(run.patch()));
            return body.toString();
        }
    }

    private record Verdict(long traces, long runs, long distinct, long errors, long pending, List<String> problems) {}

    /**
     * CLIENTS concurrent clients, each sending unitsPerClient units through nginx, retrying what
     * failed as SDKs do, while one more client reads through nginx with GET until they are done.
     */
    private static final class Load {
        final Nginx nginx;
        final String project;
        final int unitsPerClient;
        final List<List<Unit>> units = new ArrayList<>();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong givenUp = new AtomicLong();
        final Map<Integer, AtomicLong> statuses = new ConcurrentSkipListMap<>();
        final Queue<String> refusals = new ConcurrentLinkedQueue<>();
        final AtomicLong reads = new AtomicLong();
        final Queue<String> readFailures = new ConcurrentLinkedQueue<>();
        long acknowledgedAtKill;
        int loggedAtKill;
        long millis;

        Load(Nginx nginx, String project, int unitsPerClient) {
            this.nginx = nginx;
            this.project = project;
            this.unitsPerClient = unitsPerClient;
            for (int c = 0; c < CLIENTS; c++) {
                List<Unit> list = new ArrayList<>();
                for (int s = 0; s < unitsPerClient; s++) {
                    list.add(new Unit(c, s));
                }
                units.add(list);
            }
        }

        /** Sends every unit; once killAfter requests are acknowledged, runs the kill (when there is one). */
        void run(long killAfter, Runnable kill) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            AtomicBoolean writing = new AtomicBoolean(true);
            long started = System.nanoTime();
            try {
                List<Future<?>> clients = new ArrayList<>();
                for (List<Unit> list : units) {
                    clients.add(pool.submit(() -> {
                        for (Unit unit : list) {
                            if (deliver(unit.posts(project))) {
                                deliver(unit.patches());
                            }
                        }
                        return null;
                    }));
                }
                Future<?> reader = pool.submit(() -> {
                    read(writing);
                    return null;
                });
                if (kill != null) {
                    while (acknowledged.get() < killAfter && !clients.stream().allMatch(Future::isDone)) {
                        Thread.sleep(5);
                    }
                    acknowledgedAtKill = acknowledged.get();
                    loggedAtKill = nginx.accessLog().size();
                    kill.run();
                }
                for (Future<?> client : clients) {
                    client.get(2, TimeUnit.MINUTES);
                }
                millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                writing.set(false);
                reader.get(1, TimeUnit.MINUTES);
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }
        }

        /** Sends the first units of the first client again, posts then patches, as after lost answers. */
        void resend(int count) {
            for (Unit unit : units.get(0).subList(0, count)) {
                assertTrue(deliver(unit.posts(project)), "a resent post was acknowledged");
                assertTrue(deliver(unit.patches()), "a resent patch was acknowledged");
            }
        }

        /** Posts until acknowledged: retries what a gateway's death, an outage or a quota refused. */
        private boolean deliver(String body) {
            long giveUp = System.nanoTime() + GIVE_UP.toNanos();
            while (true) {
                Answer answer = send(HttpRequest.newBuilder(uri("/runs/batch"))
                        .timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
                int status = answer.status();
                statuses.computeIfAbsent(status, any -> new AtomicLong()).incrementAndGet();
                if (status >= 200 && status < 300) {
                    acknowledged.incrementAndGet();
                    return true;
                }
                boolean retryable = status == -1 || status == 429 || status == 502 || status == 503 || status == 504;
                if (!retryable) {
                    refusals.add(status + " " + answer.body());
                    return false;
                }
                if (System.nanoTime() > giveUp) {
                    givenUp.incrementAndGet();
                    return false;
                }
                retries.incrementAndGet();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }

        /** GraphQL over GET (idempotent, so nginx may resend it) until the writers are done. */
        private void read(AtomicBoolean writing) {
            String query = "{ project(name: \"" + project + "\") { runCount } }";
            URI uri = uri("/graphql?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
            while (writing.get()) {
                Answer answer = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)));
                reads.incrementAndGet();
                if (answer.status() != 200 || answer.body().contains("\"errors\"")) {
                    readFailures.add(answer.status() + " " + answer.body());
                }
            }
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + nginx.port() + path);
        }

        /** Reads the project's runs back through nginx and holds them against what was sent. */
        Verdict verify() {
            Map<String, JsonNode> expected = new HashMap<>();
            long errors = 0;
            for (List<Unit> list : units) {
                for (Unit unit : list) {
                    for (SentRun run : unit.runs) {
                        expected.put(run.id.toString(), run.expected());
                        errors += run.error == null ? 0 : 1;
                    }
                }
            }
            JsonNode project = data(
                            nginx, "query ($p: String!) { project(name: $p) { id runCount } }", "p", this.project)
                    .get("project");
            String projectId = project.get("id").asText();
            JsonNode stats = data(
                    nginx,
                    "query ($p: ID!) { all: runStats(filter: {projectId: $p}) { runCount errorCount }"
                            + " pending: runStats(filter: {projectId: $p, statuses: [PENDING]}) { runCount } }",
                    "p",
                    projectId);
            List<String> problems = new ArrayList<>();
            Map<String, JsonNode> stored = new HashMap<>();
            long read = 0;
            String after = null;
            do {
                JsonNode page = data(
                                nginx,
                                "query ($p: ID!, $after: String) { runs(filter: {projectId: $p}, first: 200, after: $after)"
                                        + " { nodes { id name status endTime outputs error }"
                                        + " pageInfo { hasNextPage endCursor } } }",
                                "p",
                                projectId,
                                "after",
                                after)
                        .get("runs");
                for (JsonNode node : page.get("nodes")) {
                    ObjectNode run = (ObjectNode) node;
                    // Compared as instants: the gateway may write an instant with fewer digits.
                    if (run.hasNonNull("endTime")) {
                        run.put(
                                "endTime",
                                OffsetDateTime.parse(run.get("endTime").asText())
                                        .toInstant()
                                        .toString());
                    }
                    read++;
                    stored.put(run.get("id").asText(), run);
                }
                after = page.at("/pageInfo/hasNextPage").asBoolean()
                        ? page.at("/pageInfo/endCursor").asText()
                        : null;
            } while (after != null);
            for (Map.Entry<String, JsonNode> run : expected.entrySet()) {
                JsonNode row = stored.get(run.getKey());
                if (!run.getValue().equals(row)) {
                    problems.add("sent " + run.getValue() + ", read " + row);
                }
            }
            for (String id : stored.keySet()) {
                if (!expected.containsKey(id)) {
                    problems.add("read a run that was never sent: " + stored.get(id));
                }
            }
            assertEquals(expected.size(), stats.at("/all/runCount").asLong(), "runStats.runCount");
            assertEquals(errors, stats.at("/all/errorCount").asLong(), "runStats.errorCount");
            return new Verdict(
                    project.get("runCount").asLong(),
                    read,
                    stored.size(),
                    stats.at("/all/errorCount").asLong(),
                    stats.at("/pending/runCount").asLong(),
                    problems);
        }

        void assertDelivered(Verdict verdict) {
            long runs = (long) CLIENTS * unitsPerClient * RUNS_PER_UNIT;
            assertEquals(List.of(), refusals.stream().limit(5).toList(), "requests refused");
            assertEquals(0, givenUp.get(), "requests given up after " + GIVE_UP);
            assertEquals(List.of(), verdict.problems.subList(0, Math.min(10, verdict.problems.size())));
            assertEquals(
                    List.of((long) CLIENTS * unitsPerClient, runs, runs, 0L),
                    List.of(verdict.traces, verdict.runs, verdict.distinct, verdict.pending),
                    "traces, runs read, distinct runs read, runs without their update");
        }

        void print(String what, Verdict verdict) {
            long requests =
                    statuses.values().stream().mapToLong(AtomicLong::get).sum();
            System.out.printf(
                    "gateways behind nginx, %s: %d ingest requests sent in %d ms (%d retried), %d acknowledged"
                            + " (%d runs posted and patched); answers %s; %d reads, %d failed; read back through"
                            + " nginx: %d traces, %d runs, %d distinct, %d errors, %d pending, %d problems%n",
                    what,
                    requests,
                    millis,
                    retries.get(),
                    acknowledged.get(),
                    (long) CLIENTS * unitsPerClient * RUNS_PER_UNIT,
                    statuses,
                    reads.get(),
                    readFailures.size(),
                    verdict.traces,
                    verdict.runs,
                    verdict.distinct,
                    verdict.errors,
                    verdict.pending,
                    verdict.problems.size());
        }
    }
}
