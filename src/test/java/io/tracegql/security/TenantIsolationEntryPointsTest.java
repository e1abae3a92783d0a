package io.tracegql.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.domain.Uuids;
import io.tracegql.support.Api;
import io.tracegql.support.GraphQL;
import io.tracegql.support.MultipartBody;
import io.tracegql.support.Tenants;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.TraceFixture.ALPHA;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The isolation matrix of {@link TenantIsolationTest}, through every entry point added since: the
 * v1 and v2 REST reads, OTLP ingest, threads, traces, deletes and retention, share links and the
 * shared view, and compiled reads. Tenant B asks with tenant A's ids and with ids that exist nowhere;
 * the two answers, status and body, are compared whole once the ids in them are replaced by their
 * role. Each request is also sent as A, whose answer must differ: the request does reach A's data.
 */
@QuarkusTest
class TenantIsolationEntryPointsTest {

    private static final String SINCE = "\"min_start_time\": \"2024-01-01T00:00:00Z\"";
    /** Root of a conversation turn of tenant A, in project alpha. */
    private static final UUID TURN = UUID.fromString("7a000000-0000-4000-8000-000000000001");

    private static final String OTEL_TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String OTEL_ROOT = "eee19b7ec3c1b174";
    private static final String OTEL_CHILD = "aaa19b7ec3c1b175";

    @Inject
    TraceFixture fixture;

    private String keyB;

    /** Tenant A's ids, and ids of nothing. */
    private Target ofA;

    private Target unknown;

    /** What a request names: a run, its trace, a project, a thread, a share token, an attachment. */
    private record Target(UUID run, UUID trace, UUID project, String thread, String token) {
        Map<String, String> roles() {
            Map<String, String> roles = new LinkedHashMap<>();
            roles.put(run.toString(), "<run>");
            roles.put(trace.toString(), "<trace>");
            roles.put(project.toString(), "<project>");
            roles.put(thread, "<thread>");
            roles.put(token, "<token>");
            return roles;
        }
    }

    private record Probe(String name, BiFunction<RequestSpecification, Target, Response> request) {}

    @BeforeEach
    void setUp() {
        fixture.load();
        keyB = Tenants.createWithKey("tenant-b-");
        Api.postBatch("""
                {"post": [{"id": "%s", "name": "turn", "run_type": "chain", "session_name": "alpha",
                           "start_time": "2024-05-05T10:00:00Z", "end_time": "2024-05-05T10:00:02Z",
                           "inputs": {"question": "hi"}, "outputs": {"answer": "hello"},
                           "extra": {"metadata": {"thread_id": "thread-a"}}}]}""".formatted(TURN));
        new MultipartBody()
                .file("attachment." + R1 + ".notes.txt", "text/plain", "secret notes".getBytes())
                .send(RestAssured.port, false);
        String token = shareLinkToken(Api.KEY, R1);
        ofA = new Target(R2, R1, ALPHA, "thread-a", token);
        unknown = new Target(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "thread-" + UUID.randomUUID(),
                "tgq_s_nothing");
    }

    @Test
    void shouldAnswerAnotherTenantsIdsOverRestAsIdsThatDoNotExist() {
        assertLooksUnknown(List.of(
                new Probe("GET /runs/{id}", (as, t) -> as.get("/runs/" + t.run)),
                new Probe(
                        "GET /runs/{id}/attachments/{name}",
                        (as, t) -> as.get("/runs/" + t.trace + "/attachments/notes.txt")),
                new Probe("POST /runs/query by trace", (as, t) -> post(as, "/runs/query", """
                        {"trace": "%s"}""".formatted(t.trace))),
                new Probe("POST /runs/query by id", (as, t) -> post(as, "/runs/query", """
                        {"id": ["%s"]}""".formatted(t.run))),
                new Probe("POST /runs/stats", (as, t) -> post(as, "/runs/stats", """
                        {"session": ["%s"]}""".formatted(t.project))),
                new Probe("POST /runs/stats by trace", (as, t) -> post(as, "/runs/stats", """
                        {"trace": "%s"}""".formatted(t.trace))),
                new Probe("POST /runs/group", (as, t) -> post(as, "/runs/group", """
                        {"session_id": "%s", "group_by": "conversation"}""".formatted(t.project))),
                new Probe("GET /sessions/{id}", (as, t) -> as.get("/sessions/" + t.project + "?include_stats=true")),
                new Probe("GET /feedback", (as, t) -> as.get("/feedback?run=" + t.trace)),
                new Probe("GET /runs/{id}/share", (as, t) -> as.get("/runs/" + t.trace + "/share")),
                new Probe("GET /api/v2/runs/{id}", (as, t) -> as.get("/api/v2/runs/" + t.run + "?selects=NAME")),
                new Probe(
                        "POST /api/v2/runs/query",
                        (as, t) -> post(as, "/api/v2/runs/query", """
                        {"project_ids": ["%s"], %s, "selects": ["NAME", "TOTAL_TOKENS"]}""".formatted(t.project, SINCE))),
                new Probe(
                        "POST /api/v2/runs/query by id and trace",
                        (as, t) -> post(as, "/api/v2/runs/query", """
                        {"project_ids": ["%s"], "ids": ["%s"], "filter": "eq(trace_id, \\"%s\\")", %s}""".formatted(t.project, t.run, t.trace, SINCE))),
                new Probe(
                        "POST /api/v2/traces/query",
                        (as, t) -> post(as, "/api/v2/traces/query", """
                        {"project_id": "%s", %s, "selects": ["NAME", "TOTAL_TOKENS"]}""".formatted(t.project, SINCE))),
                new Probe(
                        "POST /api/v2/threads/query",
                        (as, t) -> post(as, "/api/v2/threads/query", """
                        {"project_id": "%s", %s}""".formatted(t.project, SINCE))),
                new Probe(
                        "GET /api/v2/threads/{thread}/stats",
                        (as, t) -> as.get("/api/v2/threads/" + t.thread + "/stats?session_id=" + t.project
                                + "&selects=TURNS&selects=TOTAL_TOKENS")),
                new Probe(
                        "GET /api/v2/threads/{thread}/traces",
                        (as, t) -> as.get(
                                "/api/v2/threads/" + t.thread + "/traces?project_id=" + t.project + "&selects=NAME")),
                new Probe("GET /runs/export", (as, t) -> as.get("/runs/export?session=" + t.project)),
                new Probe("POST /runs/export by trace", (as, t) -> post(as, "/runs/export", """
                        {"trace": "%s"}""".formatted(t.trace)))));
    }

    @Test
    void shouldNotLetAnotherTenantShareOrUnshareItsRunsOverRest() {
        assertLooksUnknown(List.of(
                new Probe("PUT /runs/{id}/share", (as, t) -> as.put("/runs/" + t.run + "/share")),
                new Probe("POST /api/v2/runs/{id}/share", (as, t) -> as.post("/api/v2/runs/" + t.run + "/share"))));
        // Revoking is answered alike whether or not the run exists; what counts is that A's link lives on.
        for (String path : List.of("/runs/" + R1 + "/share", "/api/v2/runs/" + R1 + "/share")) {
            Response revoke = asB().delete(path);
            assertEquals(
                    unknownAnswer(asB().delete(path.replace(
                            R1.toString(), UUID.randomUUID().toString()))),
                    unknownAnswer(revoke),
                    path);
        }
        assertEquals(
                ofA.token,
                GraphQL.read(Api.api().get("/runs/" + R1 + "/share").asString())
                        .get("share_token")
                        .asText());
    }

    @Test
    void shouldAnswerAnotherTenantsIdsOverGraphQLAsIdsThatDoNotExist() {
        String query = """
                query ($run: ID!, $trace: ID!, $project: ID!, $thread: String!) {
                  threads(projectId: $project) { nodes { threadId turnCount traces { nodes { id } } } }
                  thread(projectId: $project, threadId: $thread) { threadId turnCount }
                  traces(projectId: $project) { nodes { traceId runCount root { id } runs { id } } }
                  runStats(filter: {projectId: $project}) { runCount }
                  runFacets(filter: {traceId: $trace}) { key value count }
                  run(id: $run) { id trace { traceId runs { id } } }
                }""";
        assertLooksUnknown(List.of(new Probe(
                "GraphQL threads, thread, traces, Trace.runs, Run.trace",
                (as, t) ->
                        graphql(as, query, "run", t.run, "trace", t.trace, "project", t.project, "thread", t.thread))));
    }

    @Test
    void shouldAnswerAnotherTenantsIdsOnTheCompiledPathAsIdsThatDoNotExist() {
        String query = """
                query ($run: ID!, $trace: ID!, $project: ID!) {
                  run(id: $run) { id name parentRun { id } childRuns { id } project { id name runCount } }
                  trace(traceId: $trace) { id name feedbackStats { key count } childRunIds }
                  runs(filter: {projectId: $project}) { nodes { id parentRunIds } pageInfo { hasNextPage } }
                  project(id: $project) { id name runCount totalTokens latencyP50 }
                  byName: project(name: "alpha") { id }
                  projects { nodes { id name } }
                }""";
        Probe post = new Probe(
                "compiled POST /graphql",
                (as, t) -> compiled(graphql(as, query, "run", t.run, "trace", t.trace, "project", t.project)));
        Probe get = new Probe(
                "compiled GET /graphql",
                (as, t) -> compiled(as.queryParam("query", query)
                        .queryParam(
                                "variables",
                                "{\"run\": \"%s\", \"trace\": \"%s\", \"project\": \"%s\"}"
                                        .formatted(t.run, t.trace, t.project))
                        .get("/graphql")));
        assertLooksUnknown(List.of(post, get));
    }

    @Test
    void shouldNeitherDeleteNorRetainAnotherTenantsTraces() {
        String seenByA = """
                query ($project: ID!, $run: ID!) {
                  project(id: $project) { runCount retention { maxAgeDays maxTraces } }
                  run(id: $run) { trace { traceId runCount } }
                  traces(projectId: $project) { nodes { traceId runCount } }
                }""";
        JsonNode before = GraphQL.data(seenByA, "project", ALPHA.toString(), "run", R1.toString());
        String delete = """
                mutation ($project: ID!, $trace: ID!) {
                  byId: deleteTraces(input: {projectId: $project, traceIds: [$trace]}) { traceCount runCount }
                  every: deleteTraces(input: {projectId: $project, filter: {}}) { traceCount runCount }
                  retention: setProjectRetention(projectId: $project, maxAgeDays: 1, maxTraces: 1) { maxAgeDays }
                }""";
        JsonNode ofAsIds = GraphQL.read(
                graphql(asB(), delete, "project", ALPHA, "trace", R1).asString());
        JsonNode ofNothing = GraphQL.read(graphql(asB(), delete, "project", unknown.project, "trace", unknown.trace)
                .asString());
        assertEquals(ofNothing, ofAsIds);
        assertJson("""
                {"data": {"byId": {"traceCount": 0, "runCount": 0}, "every": {"traceCount": 0, "runCount": 0},
                          "retention": null}}""", ofAsIds);
        assertEquals(before, GraphQL.data(seenByA, "project", ALPHA.toString(), "run", R1.toString()));
        assertEquals(4, before.at("/traces/nodes").size(), before::toPrettyString);
    }

    @Test
    void shouldShowASharedTraceOnlyToItsLinkAndNotLetAnotherTenantShareIt() {
        String share = "mutation ($run: ID!) { shareRun(runId: $run) unshareRun(runId: $run) }";
        assertEquals(
                GraphQL.read(graphql(asB(), share, "run", unknown.trace).asString()),
                GraphQL.read(graphql(asB(), share, "run", R1).asString()));
        assertJson(
                "{\"data\": {\"shareRun\": null, \"unshareRun\": false}}",
                GraphQL.read(graphql(asB(), share, "run", R1).asString()));

        // B's own run with the id of A's root: its link shows B's run, never A's trace.
        Response posted =
                asB().contentType(ContentType.JSON).body("""
                {"post": [{"id": "%s", "name": "b-run", "run_type": "chain", "session_name": "alpha",
                           "start_time": "2024-06-01T00:00:00Z"}]}""".formatted(R1)).post("/runs/batch");
        assertEquals(202, posted.statusCode(), posted::asString);
        String tokenOfB = shareLinkToken(keyB, R1);
        String sharedView = "query ($token: String!) { sharedRun(token: $token) { id name parentRunId } }";
        assertJson(
                """
                {"data": {"sharedRun": [{"id": "%s", "name": "b-run", "parentRunId": null}]}}""".formatted(R1),
                GraphQL.read(graphql(given(), sharedView, "token", tokenOfB).asString()));
        assertJson(
                """
                {"data": {"sharedRun": [{"id": "%s", "name": "pipeline"}, {"id": "%s", "name": "ChatModel"},
                                        {"id": "%s", "name": "search"}, {"id": "%s", "name": "retrieve"}]}}""".formatted(R1, R2, TraceFixture.R3, TraceFixture.R4),
                GraphQL.read(graphql(
                                given(),
                                "query ($token: String!) { sharedRun(token: $token) { id name } }",
                                "token",
                                ofA.token)
                        .asString()));
        assertJson(
                "{\"data\": {\"sharedRun\": null}}",
                GraphQL.read(
                        graphql(given(), sharedView, "token", unknown.token).asString()));

        assertEquals(204, asB().delete("/runs/" + R1 + "/share").statusCode());

        // The explorer's shared page is the same page for a live link and for one that does not exist.
        Response page = given().get("/public/" + ofA.token + "/r");
        Response nothing = given().get("/public/" + unknown.token + "/r");
        assertEquals(200, page.statusCode());
        assertEquals(nothing.statusCode() + nothing.asString(), page.statusCode() + page.asString());
    }

    @Test
    void shouldKeepSpansOfAnotherTenantOutOfATraceWithTheSameOpenTelemetryIds() {
        Response ofA = otlp(
                Api.api(), span(OTEL_TRACE, OTEL_ROOT, null, "agent"), span(OTEL_TRACE, OTEL_CHILD, OTEL_ROOT, "llm"));
        assertEquals(200, ofA.statusCode(), ofA::asString);

        // B: a child of A's root span, and a span with the very ids of A's child; then the same into nowhere.
        String nowhereTrace = "0000000000000000000000000000abcd";
        Response intoA = otlp(
                asB(),
                span(OTEL_TRACE, "bbb19b7ec3c1b176", OTEL_ROOT, "b-child"),
                span(OTEL_TRACE, OTEL_CHILD, null, "b-copy"));
        Response intoNowhere = otlp(
                asB(),
                span(nowhereTrace, "bbb19b7ec3c1b176", "ccc19b7ec3c1b177", "b-child"),
                span(nowhereTrace, OTEL_CHILD, null, "b-copy"));
        assertEquals(intoNowhere.statusCode() + intoNowhere.asString(), intoA.statusCode() + intoA.asString());

        String view = """
                query ($child: ID!, $copy: ID!) {
                  child: run(id: $child) { name isRoot parentRunId traceId parentRun { id } trace { runCount runs { name } } }
                  copy: run(id: $copy) { name isRoot parentRunId traceId trace { runCount runs { name } } }
                }""";
        Map<String, String> rolesInA = Map.of(
                Uuids.ofSpan(hex(OTEL_TRACE), hex("bbb19b7ec3c1b176")).toString(), "<child>",
                Uuids.ofSpan(hex(OTEL_TRACE), hex(OTEL_ROOT)).toString(), "<parent>",
                Uuids.ofSpan(hex(OTEL_TRACE), hex(OTEL_CHILD)).toString(), "<copy>");
        Map<String, String> rolesInNowhere = Map.of(
                Uuids.ofSpan(hex(nowhereTrace), hex("bbb19b7ec3c1b176")).toString(), "<child>",
                Uuids.ofSpan(hex(nowhereTrace), hex("ccc19b7ec3c1b177")).toString(), "<parent>",
                Uuids.ofSpan(hex(nowhereTrace), hex(OTEL_CHILD)).toString(), "<copy>");
        Response seenInA = graphql(asB(), view, "child", key(rolesInA, "<child>"), "copy", key(rolesInA, "<copy>"));
        Response seenInNowhere =
                graphql(asB(), view, "child", key(rolesInNowhere, "<child>"), "copy", key(rolesInNowhere, "<copy>"));
        assertEquals(roles(seenInNowhere.asString(), rolesInNowhere), roles(seenInA.asString(), rolesInA));
        assertJson("""
                {"data": {"child": {"name": "b-child", "isRoot": false, "parentRunId": "<parent>", "traceId": "<child>",
                                    "parentRun": null, "trace": {"runCount": 1, "runs": [{"name": "b-child"}]}},
                          "copy": {"name": "b-copy", "isRoot": true, "parentRunId": null, "traceId": "<copy>",
                                   "trace": {"runCount": 1, "runs": [{"name": "b-copy"}]}}}}""", GraphQL.read(roles(seenInA.asString(), rolesInA)));

        assertJson(
                """
                {"run": {"name": "agent", "trace": {"runCount": 2, "runs": [{"name": "agent"}, {"name": "llm"}]}}}""",
                GraphQL.data(
                        "query ($id: ID!) { run(id: $id) { name trace { runCount runs { name } } } }",
                        "id",
                        key(rolesInA, "<parent>")));
    }

    /**
     * Sends each probe as B with A's ids and with unknown ids, and as A with A's ids; B's two answers
     * must be the same once ids are replaced by their roles, and A's must not be B's.
     */
    private void assertLooksUnknown(List<Probe> probes) {
        List<String> failures = new ArrayList<>();
        for (Probe probe : probes) {
            String ofAsIds = answer(probe.request.apply(asB(), ofA), ofA);
            String ofNothing = answer(probe.request.apply(asB(), unknown), unknown);
            String asA = answer(probe.request.apply(Api.api(), ofA), ofA);
            if (!ofAsIds.equals(ofNothing)) {
                failures.add(probe.name + ": B reading A's ids got\n  " + ofAsIds + "\nbut for ids of nothing\n  "
                        + ofNothing);
            }
            if (asA.equals(ofAsIds)) {
                failures.add(probe.name + ": A's own answer is B's, so it shows nothing of A's data: " + asA);
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Status and body, with the ids of the target replaced by their roles. */
    private static String answer(Response response, Target target) {
        return response.statusCode() + " " + roles(response.asString(), target.roles());
    }

    private static String unknownAnswer(Response response) {
        return response.statusCode() + " " + response.asString().replaceAll("[0-9a-f-]{36}", "<id>");
    }

    private static String roles(String text, Map<String, String> roles) {
        String replaced = text;
        for (Map.Entry<String, String> role : roles.entrySet()) {
            replaced = replaced.replace(role.getKey(), role.getValue());
        }
        return replaced;
    }

    private static String key(Map<String, String> roles, String role) {
        return roles.entrySet().stream()
                .filter(e -> e.getValue().equals(role))
                .findFirst()
                .orElseThrow()
                .getKey();
    }

    private RequestSpecification asB() {
        return given().header("x-api-key", keyB);
    }

    private static Response post(RequestSpecification as, String path, String body) {
        return as.contentType(ContentType.JSON).body(body).post(path);
    }

    private static Response graphql(RequestSpecification as, String query, Object... variables) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (int i = 0; i < variables.length; i += 2) {
            vars.put((String) variables[i], String.valueOf(variables[i + 1]));
        }
        return as.contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", vars))
                .post("/graphql");
    }

    /** The response, after checking that the compiled statement answered it. */
    private static Response compiled(Response response) {
        assertEquals("compiled", response.header("X-Tracegql-Plan"), response::asString);
        return response;
    }

    /** The share token of the run's trace, shared now with this key. */
    private static String shareLinkToken(String key, UUID run) {
        Response shared = given().header("x-api-key", key).put("/runs/" + run + "/share");
        assertEquals(200, shared.statusCode(), shared::asString);
        return GraphQL.read(shared.asString()).get("share_token").asText();
    }

    private static Response otlp(RequestSpecification as, String... spans) {
        return post(as, "/v1/traces", """
                {"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "alpha"}}]},
                  "scopeSpans": [{"spans": [%s]}]}]}""".formatted(String.join(", ", spans)));
    }

    private static String span(String trace, String span, String parent, String name) {
        return """
                {"traceId": "%s", "spanId": "%s", %s "name": "%s",
                 "startTimeUnixNano": "1746093600000000000", "endTimeUnixNano": "1746093601250000000"}""".formatted(trace, span, parent == null ? "" : "\"parentSpanId\": \"" + parent + "\",", name);
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
