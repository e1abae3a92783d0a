package io.tracegql.graphql;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.Statements;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.api;
import static io.tracegql.support.Api.postBatch;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.userError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Threads as an SDK sends them: the conversation named in the runs' metadata (thread_id, else
 * session_id, else conversation_id).
 *
 * <pre>
 * project "chat"
 *   t-1 (metadata thread_id)   A 10:00:00-10:00:02 chain, llm child 10+5 tokens $0.01, feedback correctness 1
 *                              B 10:05:00-10:05:04 chain, error, llm child 20+10 tokens $0.02
 *   t-2 (metadata session_id)  C 09:00:00-09:00:01 chain
 *   no thread                  D 11:00:00-11:00:01 chain
 * </pre>
 */
@QuarkusTest
class ThreadsTest {

    private static final String THREADS = """
            query ($project: ID!, $after: String) {
              threads(projectId: $project, first: 1, after: $after) {
                nodes {
                  threadId turnCount firstStartTime lastStartTime firstInputsPreview lastOutputsPreview
                  latencyP50 latencyP99 errorCount lastError promptTokens completionTokens totalTokens totalCost
                  feedbackStats { key count meanScore }
                  traces(first: 1) { nodes { name error } pageInfo { hasNextPage } }
                }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    private String project;

    @BeforeEach
    void load() {
        fixture.reset();
        String a = root(1, "10:00:00", "10:00:02", "{\"thread_id\": \"t-1\"}", null);
        String b = root(2, "10:05:00", "10:05:04", "{\"thread_id\": \"t-1\", \"session_id\": \"ignored\"}", "Boom");
        String c = root(3, "09:00:00", "09:00:01", "{\"session_id\": \"t-2\"}", null);
        String d = root(4, "11:00:00", "11:00:01", "{\"user\": \"u\"}", null);
        postBatch("{\"post\": [" + String.join(", ", a, b, c, d, llm(1, 10, 5, "0.01"), llm(2, 20, 10, "0.02")) + "]}");
        api().contentType(ContentType.JSON)
                .body("{\"run_id\": \"%s\", \"key\": \"correctness\", \"score\": 1}".formatted(id(1)))
                .when()
                .post("/feedback")
                .then()
                .statusCode(200);
        project = data("{ project(name: \"chat\") { id } }")
                .get("project")
                .get("id")
                .asText();
    }

    @Test
    void shouldPageThreadsLatestTurnFirstWithTheirFigures() {
        JsonNode first = data(THREADS, "project", project);
        assertJson(
                """
                {"threads": {"nodes": [{
                   "threadId": "t-1", "turnCount": 2,
                   "firstStartTime": "2024-05-01T10:00:00Z", "lastStartTime": "2024-05-01T10:05:00Z",
                   "firstInputsPreview": "question 1", "lastOutputsPreview": "answer 2",
                   "latencyP50": 3.0, "latencyP99": 3.98, "errorCount": 1, "lastError": "Boom",
                   "promptTokens": 30, "completionTokens": 15, "totalTokens": 45, "totalCost": 0.03,
                   "feedbackStats": [{"key": "correctness", "count": 1, "meanScore": 1.0}],
                   "traces": {"nodes": [{"name": "turn 2", "error": "Boom"}], "pageInfo": {"hasNextPage": true}}}],
                 "pageInfo": {"hasNextPage": true, "endCursor": "%s"}}}""".formatted(
                        first.get("threads").get("pageInfo").get("endCursor").asText()),
                first);
        String after = first.get("threads").get("pageInfo").get("endCursor").asText();
        JsonNode second = data(THREADS, "project", project, "after", after);
        assertJson(
                """
                {"threads": {"nodes": [{
                   "threadId": "t-2", "turnCount": 1,
                   "firstStartTime": "2024-05-01T09:00:00Z", "lastStartTime": "2024-05-01T09:00:00Z",
                   "firstInputsPreview": "question 3", "lastOutputsPreview": "answer 3",
                   "latencyP50": 1.0, "latencyP99": 1.0, "errorCount": 0, "lastError": null,
                   "promptTokens": null, "completionTokens": null, "totalTokens": null, "totalCost": null,
                   "feedbackStats": [],
                   "traces": {"nodes": [{"name": "turn 3", "error": null}], "pageInfo": {"hasNextPage": false}}}],
                 "pageInfo": {"hasNextPage": false, "endCursor": "%s"}}}""".formatted(
                        second.get("threads").get("pageInfo").get("endCursor").asText()),
                second);
    }

    @Test
    void shouldReadOneThreadAndPageItsTraces() {
        String query = """
                query ($project: ID!, $thread: String!, $after: String) {
                  thread(projectId: $project, threadId: $thread) {
                    threadId turnCount
                    traces(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } }
                  }
                }""";
        JsonNode first = data(query, "project", project, "thread", "t-1");
        String after = first.get("thread")
                .get("traces")
                .get("pageInfo")
                .get("endCursor")
                .asText();
        assertJson("""
                {"thread": {"threadId": "t-1", "turnCount": 2, "traces": {"nodes": [{"name": "turn 2"}],
                  "pageInfo": {"hasNextPage": true, "endCursor": "%s"}}}}""".formatted(after), first);
        JsonNode second = data(query, "project", project, "thread", "t-1", "after", after);
        assertJson(
                """
                {"thread": {"threadId": "t-1", "turnCount": 2, "traces": {"nodes": [{"name": "turn 1"}],
                  "pageInfo": {"hasNextPage": false, "endCursor": "%s"}}}}""".formatted(second.get("thread")
                        .get("traces")
                        .get("pageInfo")
                        .get("endCursor")
                        .asText()),
                second);
        assertJson("{\"thread\": null}", data(query, "project", project, "thread", "none"));
    }

    @Test
    void shouldReadAPageOfThreadsWithTheirTracesAndFeedbackInThreeStatements() {
        // threads with their totals, their traces, their feedback
        assertEquals(
                3,
                Statements.of(
                        sql, () -> data(THREADS.replace("first: 1, after", "first: 50, after"), "project", project)));
    }

    @Test
    void shouldFilterRunsByThreadInBothFrontEnds() {
        String expected = "{\"runs\": {\"nodes\": [{\"name\": \"turn 2\"}, {\"name\": \"turn 1\"}]}}";
        assertJson(expected, data("{ runs(filter: {threadId: \"t-1\", isRoot: true}) { nodes { name } } }"));
        assertJson(
                expected,
                data("{ runs(filterExpression: \"and(eq(thread_id, \\\"t-1\\\"), eq(is_root, true))\")"
                        + " { nodes { name } } }"));
    }

    @Test
    void shouldListOnlyThreadsWithATurnThatMatchesTheFilterWithFiguresOverEveryTurn() {
        String query = """
                query ($project: ID!, $filter: RunFilter, $expression: String) {
                  threads(projectId: $project, filter: $filter, filterExpression: $expression) {
                    nodes { threadId turnCount errorCount }
                  }
                }""";
        assertJson(
                "{\"threads\": {\"nodes\": [{\"threadId\": \"t-1\", \"turnCount\": 2, \"errorCount\": 1}]}}",
                data(query, "project", project, "filter", Map.of("hasError", true)));
        assertJson(
                "{\"threads\": {\"nodes\": [{\"threadId\": \"t-2\", \"turnCount\": 1, \"errorCount\": 0}]}}",
                data(query, "project", project, "expression", "eq(name, \"turn 3\")"));
        // turn 4 has no thread; the llm runs are not turns
        assertJson(
                "{\"threads\": {\"nodes\": []}}",
                data(
                        query,
                        "project",
                        project,
                        "filter",
                        Map.of("or", List.of(Map.of("name", "turn 4"), Map.of("name", "model")))));
    }

    @Test
    void shouldRefuseAMalformedThreadCursor() {
        assertJson("""
                {"message": "after: 'nope' is not valid: it is not a thread cursor returned by this API; use a\
                 pageInfo.endCursor from a previous page", "code": "BAD_USER_INPUT"}""", message(userError(THREADS, "project", project, "after", "nope")));
    }

    private static JsonNode message(JsonNode error) {
        return io.tracegql.support.GraphQL.read("{\"message\": " + error.get("message") + ", \"code\": "
                + error.get("extensions").get("code") + "}");
    }

    private static UUID id(int n) {
        return UUID.fromString("0191e5a0-0000-7000-8000-0000000000%02d".formatted(n));
    }

    private static UUID llmId(int n) {
        return UUID.fromString("0191e5a0-0000-7000-8000-0000000001%02d".formatted(n));
    }

    private static String order(int n, String time) {
        return "20240501T" + time.replace(":", "") + "000000Z" + id(n);
    }

    private static String root(int n, String start, String end, String metadata, String error) {
        return """
                {"id": "%s", "dotted_order": "%s", "name": "turn %d", "run_type": "chain", "session_name": "chat",
                 "start_time": "2024-05-01T%sZ", "end_time": "2024-05-01T%sZ",
                 "inputs": {"question": "question %d"}, "outputs": {"answer": "answer %d"}, "error": %s,
                 "extra": {"metadata": %s}}""".formatted(
                id(n), order(n, start), n, start, end, n, n, error == null ? "null" : "\"" + error + "\"", metadata);
    }

    private static String llm(int parent, int prompt, int completion, String cost) {
        String start = parent == 1 ? "10:00:01" : "10:05:01";
        return """
                {"id": "%s", "parent_run_id": "%s", "trace_id": "%s", "dotted_order": "%s.20240501T%s000000Z%s",
                 "name": "model", "run_type": "llm", "session_name": "chat", "start_time": "2024-05-01T%sZ",
                 "prompt_tokens": %d, "completion_tokens": %d, "total_cost": %s}""".formatted(
                        llmId(parent),
                        id(parent),
                        id(parent),
                        order(parent, parent == 1 ? "10:00:00" : "10:05:00"),
                        start.replace(":", ""),
                        llmId(parent),
                        start,
                        prompt,
                        completion,
                        cost);
    }
}
