package io.tracegql.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.GraphQL;
import io.tracegql.support.Statements;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.Api.api;
import static io.tracegql.support.Api.postBatch;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.TraceFixture.ALPHA;
import static io.tracegql.support.TraceFixture.BETA;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static io.tracegql.support.TraceFixture.R3;
import static io.tracegql.support.TraceFixture.R4;
import static io.tracegql.support.TraceFixture.R5;
import static io.tracegql.support.TraceFixture.R6;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * LangSmith's v2 read API (runs, threads, share links) and the v1 calls added with it (run stats, run
 * groups, share links, trace and tree filters), over the hand-checked fixture: alpha's traces are
 * R1 (pipeline: llm R2, tool R3 that failed, retriever R4 under R3), R5 (an llm root that failed) and
 * R6 (a pipeline still running); beta has R7.
 */
@QuarkusTest
class LangSmithV2ReadTest {

    /** Before every fixture run, so that no query is cut short by the one-day default window. */
    private static final String SINCE_2024 = "\"min_start_time\": \"2024-01-01T00:00:00Z\"";

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    @BeforeEach
    void load() {
        fixture.load();
    }

    private static JsonNode post(String path, String body, int status) {
        Response response =
                api().contentType(ContentType.JSON).body(body).when().post(path);
        assertEquals(status, response.statusCode(), response::asString);
        return GraphQL.read(response.asString());
    }

    private static JsonNode queryRuns(String body) {
        return post("/api/v2/runs/query", body, 200);
    }

    /** R2 is linked to a dataset example, and has no metadata. */
    @Test
    void shouldReturnTheSelectedFieldsOfARunInTheirV2Forms() {
        assertJson("""
                {"items": [{"id": "%s", "name": "ChatModel", "run_type": "LLM", "status": "SUCCESS",
                            "start_time": "2024-05-01T10:00:01Z", "prompt_tokens": 100, "total_tokens": 150,
                            "prompt_cost": 0.00025, "prompt_token_details": {"raw": {"cache_read": 40}},
                            "completion_cost_details": {"raw": {"reasoning": 0.0001}},
                            "manifest": {"model": "gpt-4o-mini"}, "thread_id": "thread-1",
                            "is_in_dataset": true, "metadata": null,
                            "feedback_stats": {}, "parent_run_ids": ["%s"], "is_root": false}],
                 "next_cursor": null}""".formatted(R2, R1), queryRuns("""
                        {"project_ids": ["%s"], "ids": ["%s"], %s,
                         "selects": ["NAME", "RUN_TYPE", "STATUS", "START_TIME", "PROMPT_TOKENS", "TOTAL_TOKENS",
                                     "PROMPT_COST", "PROMPT_TOKEN_DETAILS", "COMPLETION_COST_DETAILS", "MANIFEST",
                                     "THREAD_ID", "IS_IN_DATASET", "METADATA", "FEEDBACK_STATS", "PARENT_RUN_IDS",
                                     "IS_ROOT"]}""".formatted(ALPHA, R2, SINCE_2024)));
    }

    /**
     * TOTAL_TOKENS, TOTAL_COST and FIRST_TOKEN_TIME are the whole tree's (its llm runs': R1's is R2),
     * under trace_aggregates; the other selects are the root's. R6 has no llm run: no figures, not 0.
     */
    @Test
    void shouldQueryTracesWithTheirRootAndTheWholeTreesAggregates() {
        assertJson("""
                {"items": [
                   {"root_run": {"id": "%s", "name": "pipeline"},
                    "trace_aggregates": {"total_tokens": null, "total_cost": null, "first_token_time": null}},
                   {"root_run": {"id": "%s", "name": "pipeline"},
                    "trace_aggregates": {"total_tokens": 150, "total_cost": 0.00075,
                                         "first_token_time": "2024-05-01T10:00:01.500Z"}}],
                 "next_cursor": null}""".formatted(R6, R1), post("/api/v2/traces/query", """
                        {"project_id": "%s", %s, "trace_filter": "eq(name, \\"pipeline\\")",
                         "selects": ["NAME", "TOTAL_TOKENS", "TOTAL_COST", "FIRST_TOKEN_TIME"]}""".formatted(ALPHA, SINCE_2024), 200));
    }

    @Test
    void shouldReturnOnlyIdsWhenNothingIsSelectedAndLookBackOneDayByDefault() {
        assertJson(
                "{\"items\": [{\"id\": \"%s\"}, {\"id\": \"%s\"}, {\"id\": \"%s\"}], \"next_cursor\": null}"
                        .formatted(R6, R5, R1),
                queryRuns("{\"project_ids\": [\"%s\"], \"is_root\": true, %s}".formatted(ALPHA, SINCE_2024)));
        // The fixture's runs started in 2024: none in the last day.
        assertJson("{\"items\": [], \"next_cursor\": null}", queryRuns("{\"project_ids\": [\"%s\"]}".formatted(ALPHA)));
    }

    @Test
    void shouldPageRunsNewestFirstThroughNextCursor() {
        String body = "{\"project_ids\": [\"%s\"], \"has_error\": false, \"run_type\": \"CHAIN\", %s, \"page_size\": 1"
                .formatted(ALPHA, SINCE_2024);
        JsonNode first = queryRuns(body + "}");
        assertJson("[{\"id\": \"%s\"}]".formatted(R6), first.get("items"));
        JsonNode second =
                queryRuns(body + ", \"cursor\": \"" + first.get("next_cursor").asText() + "\"}");
        assertJson("{\"items\": [{\"id\": \"%s\"}], \"next_cursor\": null}".formatted(R1), second);
    }

    @Test
    void shouldReadAPageOfRunsWithTheirFeedbackInOneStatement() {
        String body = "{\"project_ids\": [\"%s\"], %s, \"selects\": [\"NAME\", \"FEEDBACK_STATS\", \"OUTPUTS\"]}"
                .formatted(ALPHA, SINCE_2024);
        assertEquals(1, Statements.of(sql, () -> queryRuns(body)));
        String withLinks = body.replace("\"OUTPUTS\"", "\"OUTPUTS\", \"SHARE_URL\"");
        assertEquals(2, Statements.of(sql, () -> queryRuns(withLinks)));
    }

    @Test
    void shouldRetrieveOneRunOfAProjectWithTheRepeatedSelects() {
        Response found = api().queryParam("project_id", ALPHA.toString())
                .queryParam("selects", "NAME", "STATUS", "ERROR", "LATENCY_SECONDS")
                .when()
                .get("/api/v2/runs/" + R3);
        assertEquals(200, found.statusCode(), found::asString);
        assertJson("""
                {"id": "%s", "name": "search", "status": "ERROR", "latency_seconds": 1.0,
                 "error": "ToolError: boom\\n  at search (tools.py:1)"}""".formatted(R3), GraphQL.read(found.asString()));
        Response elsewhere =
                api().queryParam("project_id", BETA.toString()).when().get("/api/v2/runs/" + R3);
        assertEquals(404, elsewhere.statusCode());
        assertJson(
                "{\"error\": \"not_found\", \"message\": \"run %s does not exist\"}".formatted(R3),
                GraphQL.read(elsewhere.asString()));
    }

    @Test
    void shouldRefuseUnknownSelectsBadCursorsBadIdsAndMissingProjects() {
        assertJson(
                """
                {"error": "malformed_request", "part": "selects",
                 "message": "selects: unknown field 'LS_USER_ID'; selectable fields are %s"}""".formatted(RunViewV2.supported()),
                post(
                        "/api/v2/runs/query",
                        "{\"project_ids\": [\"%s\"], \"selects\": [\"NAME\", \"LS_USER_ID\"]}".formatted(ALPHA),
                        400));
        assertJson(
                """
                {"error": "malformed_request", "part": "cursor",
                 "message": "cursor is not valid: it is not a cursor returned by this API"}""",
                post(
                        "/api/v2/runs/query",
                        "{\"project_ids\": [\"%s\"], \"cursor\": \"bm9wZQ\"}".formatted(ALPHA),
                        400));
        assertJson(
                """
                {"error": "malformed_request", "part": "ids", "message": "ids must be a UUID, got 'r1'"}""",
                post("/api/v2/runs/query", "{\"project_ids\": [\"%s\"], \"ids\": [\"r1\"]}".formatted(ALPHA), 400));
        assertJson("""
                {"error": "malformed_request", "part": "project_ids",
                 "message": "project_ids is required: the projects to read runs of"}""", post("/api/v2/runs/query", "{}", 400));
        assertJson(
                """
                {"error": "malformed_request", "part": "page_size",
                 "message": "page_size must be a whole number from 1 to 100, got 500"}""",
                post("/api/v2/runs/query", "{\"project_ids\": [\"%s\"], \"page_size\": 500}".formatted(ALPHA), 400));
        Response badId = api().when().get("/api/v2/runs/nope");
        assertEquals(400, badId.statusCode());
        assertJson(
                "{\"error\": \"malformed_request\", \"part\": \"id\", \"message\": \"id must be a UUID, got 'nope'\"}",
                GraphQL.read(badId.asString()));
    }

    /**
     * In the trace R1 the root (pipeline, tagged prod) and its children differ: trace_filter tests the
     * root of each run's trace, tree_filter whether any run of the trace matches, the run or another.
     */
    @Test
    void shouldMatchTraceFiltersOnTheTraceRootAndTreeFiltersOnAnyRunOfTheTrace() {
        String alpha = "{\"session\": [\"%s\"], \"select\": [\"id\"], ".formatted(ALPHA);
        assertEquals(List.of(R6, R4, R3, R2, R1), v1Ids(alpha + "\"trace_filter\": \"eq(name, \\\"pipeline\\\")\"}"));
        assertEquals(
                List.of(R3),
                v1Ids(
                        alpha
                                + "\"filter\": \"eq(run_type, \\\"tool\\\")\", \"trace_filter\": \"has(tags, \\\"prod\\\")\"}"));
        assertEquals(
                List.of(R1), v1Ids(alpha + "\"is_root\": true, \"tree_filter\": \"eq(run_type, \\\"retriever\\\")\"}"));
        // R5 failed itself; R1's tool R3 failed.
        assertEquals(List.of(R5, R1), v1Ids(alpha + "\"is_root\": true, \"tree_filter\": \"eq(error, true)\"}"));
        assertJson(
                "{\"items\": [{\"id\": \"%s\"}, {\"id\": \"%s\"}], \"next_cursor\": null}".formatted(R4, R2),
                queryRuns("""
                        {"project_ids": ["%s"], %s, "filter": "neq(run_type, \\"tool\\")",
                         "trace_filter": "has(tags, \\"prod\\")", "tree_filter": "eq(error, true)", "is_root": false}""".formatted(ALPHA, SINCE_2024)));
        assertJson("""
                {"error": "malformed_request", "part": "tree_filter",
                 "message": "tree_filter: unsupported comparator 'like' at position 0; supported: eq, neq, gt, gte, lt, lte, has, in, search, and, or"}""", post("/runs/query", alpha + "\"tree_filter\": \"like(name, 'a%')\"}", 400));
    }

    private static List<UUID> v1Ids(String body) {
        List<UUID> ids = new ArrayList<>();
        post("/runs/query", body, 200)
                .get("runs")
                .forEach(run -> ids.add(UUID.fromString(run.get("id").asText())));
        return ids;
    }

    /**
     * Alpha's root runs: R1 (10 s, no first token), R5 (2 s, failed, first token after 0.2 s, 10 + 5
     * = 20 tokens as sent, $0.001) and R6 (running: no latency). Percentiles interpolate: p50 of 2 and
     * 10 is 6, p99 is 2 + 0.99 × 8. Feedback: R1's correctness 1 and 0, rating good on R1 and R5, bad on R5.
     */
    @Test
    void shouldComputeRunStatsOfTheRunsABodySelects() {
        assertJson("""
                {"run_count": 3, "latency_p50": 6.0, "latency_p99": 9.92, "first_token_p50": 0.2,
                 "first_token_p99": 0.2, "total_tokens": 20, "prompt_tokens": 10, "completion_tokens": 5,
                 "total_cost": 0.001, "prompt_cost": 0, "completion_cost": 0, "error_rate": 0.3333333333333333,
                 "feedback_stats": {"correctness": {"n": 2, "avg": 0.5, "values": {}},
                                    "rating": {"n": 3, "avg": null, "values": {"good": 2, "bad": 1}}}}""", post("/runs/stats", "{\"session\": [\"%s\"], \"is_root\": true}".formatted(ALPHA), 200));
        assertJson(
                """
                {"run_count": 0, "latency_p50": null, "latency_p99": null, "first_token_p50": null,
                 "first_token_p99": null, "total_tokens": 0, "prompt_tokens": 0, "completion_tokens": 0,
                 "total_cost": 0, "prompt_cost": 0, "completion_cost": 0, "error_rate": null, "feedback_stats": {}}""",
                post(
                        "/runs/stats",
                        "{\"session\": [\"%s\"], \"filter\": \"eq(name, \\\"nothing\\\")\"}".formatted(ALPHA),
                        200));
    }

    /** Two conversations: t-a (two turns of 2 s and 4 s, each with an llm step) and t-b (one failed turn of 1 s). */
    private UUID postConversations() {
        fixture.reset();
        postBatch("{\"post\": ["
                + String.join(
                        ", ",
                        turn("t-a", 1, "12:00:00", "12:00:02", null),
                        llm(1, "12:00:00", 100, 20, "0.001", "0.002"),
                        turn("t-a", 2, "12:01:00", "12:01:04", null),
                        llm(2, "12:01:00", 200, 40, "0.002", "0.004"),
                        turn("t-b", 3, "12:02:00", "12:02:01", "boom"))
                + "]}");
        return UUID.fromString(api().queryParam("name", "conversations")
                .when()
                .get("/sessions")
                .then()
                .statusCode(200)
                .extract()
                .path("[0].id"));
    }

    private static UUID turnId(int n) {
        return UUID.fromString("d0000000-0000-4000-8000-00000000000" + n);
    }

    private static UUID llmId(int n) {
        return UUID.fromString("e0000000-0000-4000-8000-00000000000" + n);
    }

    private static String order(String time, UUID id) {
        return "20240601T" + time.replace(":", "") + "000000Z" + id;
    }

    private static String turn(String thread, int n, String start, String end, String error) {
        UUID id = turnId(n);
        return """
                {"id": "%s", "trace_id": "%s", "dotted_order": "%s", "name": "chat", "run_type": "chain",
                 "session_name": "conversations", "start_time": "2024-06-01T%sZ", "end_time": "2024-06-01T%sZ",
                 "inputs": {"question": "question %d"}, "outputs": {"answer": "answer %d"}, %s
                 "extra": {"metadata": {"thread_id": "%s"}}}""".formatted(
                        id,
                        id,
                        order(start, id),
                        start,
                        end,
                        n,
                        n,
                        error == null ? "" : "\"error\": \"" + error + "\",",
                        thread);
    }

    private static String llm(
            int turn, String start, int prompt, int completion, String promptCost, String completionCost) {
        UUID id = llmId(turn);
        return """
                {"id": "%s", "trace_id": "%s", "parent_run_id": "%s", "dotted_order": "%s.%s", "name": "model",
                 "run_type": "llm", "session_name": "conversations", "start_time": "2024-06-01T%sZ",
                 "end_time": "2024-06-01T%sZ", "prompt_tokens": %d, "completion_tokens": %d, "total_tokens": %d,
                 "prompt_cost": %s, "completion_cost": %s, "total_cost": %s}""".formatted(
                        id,
                        turnId(turn),
                        turnId(turn),
                        order(start, turnId(turn)),
                        order(start, id),
                        start,
                        start,
                        prompt,
                        completion,
                        prompt + completion,
                        promptCost,
                        completionCost,
                        new java.math.BigDecimal(promptCost).add(new java.math.BigDecimal(completionCost)));
    }

    /** t-a: 2 turns, p50 of 2 and 4 s is 3, p99 2 + 0.99 × 2; 120 + 240 tokens, $0.003 + $0.006. */
    private static final String THREAD_A = """
            {"thread_id": "t-a", "filter": "eq(thread_id, \\"t-a\\")", "count": 2, "total_tokens": 360,
             "total_cost": 0.009, "min_start_time": "2024-06-01T12:00Z", "max_start_time": "2024-06-01T12:01Z",
             "latency_p50": 3.0, "latency_p99": 3.98, "feedback_stats": {},
             "first_inputs": "question 1", "last_outputs": "answer 2", "last_error": null}""";

    private static final String THREAD_B = """
            {"thread_id": "t-b", "filter": "eq(thread_id, \\"t-b\\")", "count": 1, "total_tokens": null,
             "total_cost": null, "min_start_time": "2024-06-01T12:02Z", "max_start_time": "2024-06-01T12:02Z",
             "latency_p50": 1.0, "latency_p99": 1.0, "feedback_stats": {},
             "first_inputs": "question 3", "last_outputs": "answer 3", "last_error": "boom"}""";

    @Test
    void shouldGroupRunsByConversationPageByOffsetWithTheTotal() {
        UUID project = postConversations();
        String body = "{\"session_id\": \"%s\", \"group_by\": \"conversation\"".formatted(project);
        assertJson(
                "{\"groups\": [" + THREAD_B + ", " + THREAD_A + "], \"total\": 2}",
                post("/runs/group", body + "}", 200));
        assertJson(
                "{\"groups\": [" + THREAD_A + "], \"total\": 2}",
                post("/runs/group", body + ", \"limit\": 1, \"offset\": 1}", 200));
        assertJson("{\"groups\": [], \"total\": 2}", post("/runs/group", body + ", \"offset\": 5}", 200));
        assertJson(
                "{\"groups\": [" + THREAD_B + "], \"total\": 1}",
                post("/runs/group", body + ", \"filter\": \"eq(error, true)\"}", 200));
        assertJson(
                """
                {"error": "malformed_request", "part": "group_by",
                 "message": "group_by must be \\"conversation\\" (runs are grouped by thread), got user"}""", post("/runs/group", "{\"session_id\": \"%s\", \"group_by\": \"user\"}".formatted(project), 400));
    }

    @Test
    void shouldQueryThreadsPageByPageAndNarrowThemByTheirTraces() {
        UUID project = postConversations();
        String body = "{\"project_id\": \"%s\", %s".formatted(project, SINCE_2024);
        String threadA = """
                {"thread_id": "t-a", "count": 2, "start_time": "2024-06-01T12:01Z", "min_start_time": "2024-06-01T12:00Z",
                 "max_start_time": "2024-06-01T12:01Z", "first_inputs": "question 1", "last_outputs": "answer 2",
                 "last_error": null, "num_errored_turns": 0, "latency_p50": 3.0, "latency_p99": 3.98,
                 "total_tokens": 360, "total_cost": 0.009, "feedback_stats": {}}""";
        String threadB = """
                {"thread_id": "t-b", "count": 1, "start_time": "2024-06-01T12:02Z", "min_start_time": "2024-06-01T12:02Z",
                 "max_start_time": "2024-06-01T12:02Z", "first_inputs": "question 3", "last_outputs": "answer 3",
                 "last_error": "boom", "num_errored_turns": 1, "latency_p50": 1.0, "latency_p99": 1.0,
                 "total_tokens": null, "total_cost": null, "feedback_stats": {}}""";
        JsonNode first = post("/api/v2/threads/query", body + ", \"page_size\": 1}", 200);
        assertJson("[" + threadB + "]", first.get("items"));
        assertJson(
                "{\"items\": [" + threadA + "], \"next_cursor\": null}",
                post(
                        "/api/v2/threads/query",
                        body + ", \"page_size\": 1, \"cursor\": \""
                                + first.get("next_cursor").asText() + "\"}",
                        200));
        assertJson(
                "{\"items\": [" + threadA + "], \"next_cursor\": null}",
                post("/api/v2/threads/query", body + ", \"tree_filter\": \"eq(run_type, \\\"llm\\\")\"}", 200));
        assertJson(
                "{\"items\": [" + threadB + "], \"next_cursor\": null}",
                post("/api/v2/threads/query", body + ", \"trace_filter\": \"eq(error, true)\"}", 200));
        assertJson(
                "{\"items\": [], \"next_cursor\": null}",
                post("/api/v2/threads/query", "{\"project_id\": \"%s\"}".formatted(project), 200));
        assertJson("""
                {"error": "malformed_request", "part": "thread_filter",
                 "message": "thread_filter is not supported by this server; leave it out"}""", post("/api/v2/threads/query", body + ", \"thread_filter\": \"gt(count, 1)\"}", 400));
    }

    @Test
    void shouldComputeTheSelectedStatsOfOneThread() {
        UUID project = postConversations();
        Response stats = api().queryParam("session_id", project.toString())
                .queryParam("selects", "TURNS", "FIRST_START_TIME", "LATENCY_P50", "PROMPT_TOKENS", "TOTAL_COST")
                .when()
                .get("/api/v2/threads/t-a/stats");
        assertEquals(200, stats.statusCode(), stats::asString);
        assertJson("""
                {"turns": 2, "first_start_time": "2024-06-01T12:00Z", "latency_p50_seconds": 3.0,
                 "prompt_tokens": 300, "total_cost": 0.009}""", GraphQL.read(stats.asString()));
        Response unknown = api().queryParam("session_id", project.toString())
                .queryParam("selects", "TURNS")
                .when()
                .get("/api/v2/threads/t-z/stats");
        assertEquals(404, unknown.statusCode());
        assertJson(
                "{\"error\": \"not_found\", \"message\": \"thread 't-z' has no turns in project %s\"}"
                        .formatted(project),
                GraphQL.read(unknown.asString()));
        Response badSelect = api().queryParam("session_id", project.toString())
                .queryParam("selects", "TURN_COUNT")
                .when()
                .get("/api/v2/threads/t-a/stats");
        assertEquals(400, badSelect.statusCode());
        assertJson("""
                {"error": "malformed_request", "part": "selects",
                 "message": "selects: unknown thread stat 'TURN_COUNT'; supported are TURNS, FIRST_START_TIME, LAST_START_TIME, LATENCY_P50, LATENCY_P99, PROMPT_TOKENS, COMPLETION_TOKENS, TOTAL_TOKENS, PROMPT_COST, COMPLETION_COST, TOTAL_COST, FEEDBACK_STATS"}""", GraphQL.read(badSelect.asString()));
    }

    @Test
    void shouldListTheTracesOfAThreadWithTheirRootsSelectedFields() {
        UUID project = postConversations();
        JsonNode first = traces(project, "t-a", "&page_size=1", 200);
        assertJson("""
                [{"trace_id": "%s", "name": "chat", "start_time": "2024-06-01T12:01Z", "latency": 4.0,
                  "inputs_preview": "question 2", "outputs": {"answer": "answer 2"}}]""".formatted(turnId(2)), first.get("items"));
        assertJson(
                """
                {"items": [{"trace_id": "%s", "name": "chat", "start_time": "2024-06-01T12:00Z", "latency": 2.0,
                            "inputs_preview": "question 1", "outputs": {"answer": "answer 1"}}],
                 "next_cursor": null}""".formatted(turnId(1)),
                traces(
                        project,
                        "t-a",
                        "&page_size=1&cursor=" + first.get("next_cursor").asText(),
                        200));
        assertJson(
                "{\"items\": [], \"next_cursor\": null}",
                traces(project, "t-b", "&tree_filter=eq(run_type, \"llm\")", 200));
        assertJson("""
                {"error": "malformed_request", "part": "selects",
                 "message": "selects: TOTAL_TOKENS of a trace is a total over its runs, which this server does not serve per trace yet"}""", traces(project, "t-a", "&selects=TOTAL_TOKENS", 400));
    }

    private static JsonNode traces(UUID project, String thread, String query, int status) {
        Response response = api().when()
                .get("/api/v2/threads/" + thread + "/traces?project_id=" + project
                        + "&selects=NAME&selects=START_TIME&selects=LATENCY&selects=INPUTS_PREVIEW&selects=OUTPUTS"
                        + query);
        assertEquals(status, response.statusCode(), response::asString);
        return GraphQL.read(response.asString());
    }

    /** A link made over either REST API is the GraphQL one: the same token, read and revoked anywhere. */
    @Test
    void shouldShareARunsTraceWithTheSameLinkOverV1V2AndGraphQL() {
        Response shared = api().when().put("/runs/" + R3 + "/share");
        assertEquals(200, shared.statusCode(), shared::asString);
        String token = shared.jsonPath().getString("share_token");
        assertJson(
                "{\"run_id\": \"%s\", \"share_token\": \"%s\"}".formatted(R3, token), GraphQL.read(shared.asString()));
        assertJson(
                "{\"run_id\": \"%s\", \"share_token\": \"%s\"}".formatted(R1, token),
                GraphQL.read(api().when().get("/runs/" + R1 + "/share").asString()));
        assertJson(
                "{\"share_token\": \"%s\"}".formatted(token),
                post(
                        "/api/v2/runs/" + R2 + "/share",
                        "{\"session_id\": \"%s\", \"trace_id\": \"%s\"}".formatted(ALPHA, R1),
                        200));
        assertJson(
                "{\"run\": {\"shareUrl\": \"http://localhost:8080/public/%s/r\"}}".formatted(token),
                GraphQL.data("query ($id: ID!) { run(id: $id) { shareUrl } }", "id", R4.toString()));
        assertJson(
                "{\"items\": [{\"id\": \"%s\"}, {\"id\": \"%s\", \"share_url\": \"http://localhost:8080/public/%s/r\"}],"
                                .formatted(R5, R1, token)
                        + " \"next_cursor\": null}",
                queryRuns("{\"project_ids\": [\"%s\"], \"ids\": [\"%s\", \"%s\"], %s, \"selects\": [\"SHARE_URL\"]}"
                        .formatted(ALPHA, R1, R5, SINCE_2024)));

        assertEquals(204, api().when().delete("/runs/" + R2 + "/share").statusCode());
        assertEquals("null", api().when().get("/runs/" + R1 + "/share").asString());
        assertEquals(200, api().when().put("/runs/" + R1 + "/share").statusCode());
        assertEquals(
                204,
                api().contentType(ContentType.JSON)
                        .body("{\"session_id\": \"%s\"}".formatted(ALPHA))
                        .when()
                        .delete("/api/v2/runs/" + R1 + "/share")
                        .statusCode());
        assertJson(
                "{\"run\": {\"shareUrl\": null}}",
                GraphQL.data("query ($id: ID!) { run(id: $id) { shareUrl } }", "id", R1.toString()));
        Response unknown = api().when().put("/runs/" + TraceFixture.run(999) + "/share");
        assertEquals(404, unknown.statusCode());
    }

    /** Another tenant's runs, threads and links look exactly like ones that do not exist. */
    @Test
    void shouldServeOnlyTheKeysTenant() {
        String otherKey = GraphQL.executeWithKey(
                        io.tracegql.support.Api.ADMIN_KEY,
                        "mutation ($name: String!) { createTenant(name: $name) { apiKey { key } } }",
                        "name",
                        "v2-other-" + UUID.randomUUID())
                .get("data")
                .get("createTenant")
                .get("apiKey")
                .get("key")
                .asText();
        Response run = given().header("x-api-key", otherKey)
                .queryParam("selects", "NAME")
                .when()
                .get("/api/v2/runs/" + R1);
        assertEquals(404, run.statusCode(), run::asString);
        assertJson(
                "{\"items\": [], \"next_cursor\": null}",
                GraphQL.read(given().header("x-api-key", otherKey)
                        .contentType(ContentType.JSON)
                        .body("{\"project_ids\": [\"%s\"], %s}".formatted(ALPHA, SINCE_2024))
                        .when()
                        .post("/api/v2/runs/query")
                        .asString()));
        assertEquals(
                404,
                given().header("x-api-key", otherKey)
                        .when()
                        .put("/runs/" + R1 + "/share")
                        .statusCode());
        Response stats = given().header("x-api-key", otherKey)
                .contentType(ContentType.JSON)
                .body("{\"session\": [\"%s\"]}".formatted(ALPHA))
                .when()
                .post("/runs/stats");
        assertEquals(0, stats.jsonPath().getInt("run_count"), stats::asString);
        assertEquals(401, given().when().get("/api/v2/runs/" + R1).statusCode());
    }
}
