package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.Api;
import io.tracegql.support.Statements;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.postBatch;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.execute;
import static io.tracegql.support.GraphQL.executeWithKey;
import static io.tracegql.support.GraphQL.read;
import static io.tracegql.support.GraphQL.userError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Traces as a whole, posted as an SDK posts them. Totals cover the whole tree; tokens and costs its llm
 * runs only (the root chain's own 5+2 tokens and $0.5 are left out, as a client rolls usage up onto it).
 *
 * <pre>
 * project "shop"
 *   A checkout (chain) 10:00:00-10:00:10, its own tokens 5+2, cost 0.5
 *       model (llm) 10:00:01-10:00:04 100+50 tokens, $0.001 + $0.002 = $0.003, first token 10:00:01.5
 *       model (llm) 10:00:05-10:00:07  40+10 tokens, no cost (no price), first token 10:00:05.2
 *       search (tool) 10:00:08-10:00:09 error
 *   B quick (llm root) 11:00:00-11:00:02 10+5 tokens, $0.0005
 *   C idle (chain) 09:00:00, running
 *   D draft (chain) 08:00:00, running
 * </pre>
 */
@QuarkusTest
class TracesTest {

    private static final String FIELDS = "traceId runCount errorCount promptTokens completionTokens totalTokens"
            + " promptCost completionCost totalCost firstTokenTime startTime endTime latencySeconds status error"
            + " root { name totalTokens totalCost }";

    private static final String PAGE = """
            query ($project: ID!, $order: TraceOrder, $first: Int, $after: String) {
              traces(projectId: $project, orderBy: $order, first: $first, after: $after) {
                nodes { root { name } } pageInfo { hasNextPage endCursor }
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
        postBatch("{\"post\": ["
                + String.join(
                        ", ",
                        rootA(),
                        child(11, "10:00:01", "10:00:04", """
                "name": "model", "run_type": "llm", "first_token_time": "2024-05-01T10:00:01.500Z",
                "prompt_tokens": 100, "completion_tokens": 50,
                "prompt_cost": 0.001, "completion_cost": 0.002, "total_cost": 0.003"""),
                        child(12, "10:00:05", "10:00:07", """
                "name": "model", "run_type": "llm", "first_token_time": "2024-05-01T10:00:05.200Z",
                "prompt_tokens": 40, "completion_tokens": 10"""),
                        child(13, "10:00:08", "10:00:09", """
                "name": "search", "run_type": "tool", "error": "ToolError: down\""""),
                        root(2, "quick", "llm", "11:00:00", """
                "end_time": "2024-05-01T11:00:02Z", "prompt_tokens": 10, "completion_tokens": 5, "total_cost": 0.0005"""),
                        root(3, "idle", "chain", "09:00:00", null),
                        root(4, "draft", "chain", "08:00:00", null))
                + "]}");
        project = data("{ project(name: \"shop\") { id } }")
                .get("project")
                .get("id")
                .asText();
    }

    @Test
    void shouldSumTheWholeTreeOfEachTraceNewestFirst() {
        assertJson(
                """
                {"traces": {"nodes": [
                  {"traceId": "%s", "runCount": 1, "errorCount": 0, "promptTokens": 10, "completionTokens": 5,
                   "totalTokens": 15, "promptCost": null, "completionCost": null, "totalCost": 0.0005,
                   "firstTokenTime": null, "startTime": "2024-05-01T11:00:00Z", "endTime": "2024-05-01T11:00:02Z",
                   "latencySeconds": 2.0, "status": "SUCCESS", "error": null,
                   "root": {"name": "quick", "totalTokens": 15, "totalCost": 0.0005}},
                  {"traceId": "%s", "runCount": 4, "errorCount": 1, "promptTokens": 140, "completionTokens": 60,
                   "totalTokens": 200, "promptCost": 0.001, "completionCost": 0.002, "totalCost": 0.003,
                   "firstTokenTime": "2024-05-01T10:00:01.5Z", "startTime": "2024-05-01T10:00:00Z",
                   "endTime": "2024-05-01T10:00:10Z", "latencySeconds": 10.0, "status": "SUCCESS", "error": null,
                   "root": {"name": "checkout", "totalTokens": 7, "totalCost": 0.5}},
                  {"traceId": "%s", "runCount": 1, "errorCount": 0, "promptTokens": null, "completionTokens": null,
                   "totalTokens": null, "promptCost": null, "completionCost": null, "totalCost": null,
                   "firstTokenTime": null, "startTime": "2024-05-01T09:00:00Z", "endTime": null,
                   "latencySeconds": null, "status": "PENDING", "error": null,
                   "root": {"name": "idle", "totalTokens": null, "totalCost": null}},
                  {"traceId": "%s", "runCount": 1, "errorCount": 0, "promptTokens": null, "completionTokens": null,
                   "totalTokens": null, "promptCost": null, "completionCost": null, "totalCost": null,
                   "firstTokenTime": null, "startTime": "2024-05-01T08:00:00Z", "endTime": null,
                   "latencySeconds": null, "status": "PENDING", "error": null,
                   "root": {"name": "draft", "totalTokens": null, "totalCost": null}}]}}""".formatted(id(2), id(1), id(3), id(4)),
                data(
                        "query ($project: ID!) { traces(projectId: $project) { nodes { " + FIELDS + " } } }",
                        "project",
                        project));
    }

    /** Every order, walked one trace per page: traces without a value come last, ties by trace id. */
    @Test
    void shouldPageEveryOrderByCursorWithTracesWithoutAValueLast() {
        Map<String, List<String>> walked = new LinkedHashMap<>();
        for (String field :
                List.of("START_TIME", "LATENCY", "TOTAL_TOKENS", "TOTAL_COST", "RUN_COUNT", "ERROR_COUNT")) {
            for (String direction : List.of("DESC", "ASC")) {
                walked.put(field + " " + direction, walk(Map.of("field", field, "direction", direction)));
            }
        }
        assertJson("""
                {"START_TIME DESC": ["quick", "checkout", "idle", "draft"],
                 "START_TIME ASC": ["draft", "idle", "checkout", "quick"],
                 "LATENCY DESC": ["checkout", "quick", "draft", "idle"],
                 "LATENCY ASC": ["quick", "checkout", "idle", "draft"],
                 "TOTAL_TOKENS DESC": ["checkout", "quick", "draft", "idle"],
                 "TOTAL_TOKENS ASC": ["quick", "checkout", "idle", "draft"],
                 "TOTAL_COST DESC": ["checkout", "quick", "draft", "idle"],
                 "TOTAL_COST ASC": ["quick", "checkout", "idle", "draft"],
                 "RUN_COUNT DESC": ["checkout", "draft", "idle", "quick"],
                 "RUN_COUNT ASC": ["quick", "idle", "draft", "checkout"],
                 "ERROR_COUNT DESC": ["checkout", "draft", "idle", "quick"],
                 "ERROR_COUNT ASC": ["quick", "idle", "draft", "checkout"]}""", asJson(walked));
    }

    @Test
    void shouldGiveTheSecondPageAfterTheFirstPagesCursor() {
        Map<String, String> order = Map.of("field", "TOTAL_TOKENS", "direction", "DESC");
        JsonNode first = data(PAGE, "project", project, "order", order, "first", 2);
        String after = first.get("traces").get("pageInfo").get("endCursor").asText();
        assertJson("""
                {"traces": {"nodes": [{"root": {"name": "checkout"}}, {"root": {"name": "quick"}}],
                  "pageInfo": {"hasNextPage": true, "endCursor": "%s"}}}""".formatted(after), first);
        JsonNode second = data(PAGE, "project", project, "order", order, "first", 2, "after", after);
        assertJson(
                """
                {"traces": {"nodes": [{"root": {"name": "draft"}}, {"root": {"name": "idle"}}],
                  "pageInfo": {"hasNextPage": false, "endCursor": "%s"}}}""".formatted(
                        second.get("traces").get("pageInfo").get("endCursor").asText()),
                second);
    }

    @Test
    void shouldFilterByTheRootRunAndByTheTotals() {
        String query = """
                query ($project: ID!, $filter: RunFilter, $expression: String, $totals: TraceTotalsFilter) {
                  traces(projectId: $project, filter: $filter, filterExpression: $expression, totals: $totals) {
                    nodes { root { name } }
                  }
                }""";
        assertJson(names("checkout"), data(query, "project", project, "totals", Map.of("hasErrors", true)));
        assertJson(
                names("quick", "idle", "draft"), data(query, "project", project, "totals", Map.of("hasErrors", false)));
        assertJson(
                names("checkout"),
                data(
                        query,
                        "project",
                        project,
                        "filter",
                        Map.of("runTypes", List.of("CHAIN")),
                        "totals",
                        Map.of("totalTokens", Map.of("min", 16))));
        assertJson(
                names("quick", "checkout"),
                data(query, "project", project, "totals", Map.of("totalCost", Map.of("min", 0.0005))));
        assertJson(names("checkout"), data(query, "project", project, "totals", Map.of("runCount", Map.of("min", 2))));
        assertJson(names("quick"), data(query, "project", project, "expression", "eq(name, \"quick\")"));
    }

    @Test
    void shouldRefuseBadCursorsOrdersAndBounds() {
        assertJson("""
                {"message": "after: 'nope' is not valid: it is not a trace cursor returned by this API; use a\
                 pageInfo.endCursor or edge cursor from a previous page", "code": "BAD_USER_INPUT"}""", message(userError(PAGE, "project", project, "after", "nope")));
        String startTimeCursor = data(PAGE, "project", project, "first", 1)
                .get("traces")
                .get("pageInfo")
                .get("endCursor")
                .asText();
        assertJson(
                """
                {"message": "after: the cursor was issued for orderBy {field: START_TIME, direction: DESC}; repeat\
                 that orderBy or start again without after", "code": "BAD_USER_INPUT"}""",
                message(userError(
                        PAGE, "project", project, "order", Map.of("field", "RUN_COUNT"), "after", startTimeCursor)));
        String bounds = "query ($project: ID!, $totals: TraceTotalsFilter) {"
                + " traces(projectId: $project, totals: $totals) { nodes { traceId } } }";
        assertJson(
                """
                {"message": "conditions totals.totalTokens.min (10) and totals.totalTokens.max (5) cannot both\
                 hold, so the filter would match nothing; check the bounds", "code": "BAD_USER_INPUT"}""",
                message(userError(
                        bounds, "project", project, "totals", Map.of("totalTokens", Map.of("min", 10, "max", 5)))));
        assertJson(
                """
                {"message": "totals.runCount.min (-1): negative bound, but runCount is never below 0",
                 "code": "BAD_USER_INPUT"}""", message(userError(bounds, "project", project, "totals", Map.of("runCount", Map.of("min", -1)))));
        JsonNode badOrder = execute(PAGE, "project", project, "order", Map.of("field", "NAME"));
        assertJson("""
                {"errors": [{"message": "Variable 'order' has an invalid value: Invalid input for enum\
                 'TraceSortField'. No value found for name 'NAME'", "locations": [{"line": 1, "column": 23}],
                 "extensions": {"classification": "ValidationError"}}]}""", badOrder);
    }

    @Test
    void shouldKeepTotalsRightWhenAChildArrivesLateAndARunIsPatched() {
        String query = """
                query ($project: ID!) {
                  traces(projectId: $project, first: 1, orderBy: {field: TOTAL_TOKENS}) {
                    nodes { root { name } runCount errorCount promptTokens totalTokens totalCost }
                  }
                }""";
        assertJson("""
                {"traces": {"nodes": [{"root": {"name": "checkout"}, "runCount": 4, "errorCount": 1,
                  "promptTokens": 140, "totalTokens": 200, "totalCost": 0.003}]}}""", data(query, "project", project));
        postBatch("{\"post\": [" + child(14, "10:00:09", "10:00:09", """
                "name": "late-model", "run_type": "llm", "prompt_tokens": 1000, "completion_tokens": 0,
                "total_cost": 0.01""") + "]}");
        assertJson("""
                {"traces": {"nodes": [{"root": {"name": "checkout"}, "runCount": 5, "errorCount": 1,
                  "promptTokens": 1140, "totalTokens": 1200, "totalCost": 0.013}]}}""", data(query, "project", project));
        postBatch("""
                {"patch": [{"id": "%s", "trace_id": "%s", "dotted_order": "%s", "end_time": "2024-05-01T10:00:07Z",
                            "error": "Timeout", "prompt_tokens": 60, "completion_tokens": 20, "total_tokens": 80}]}""".formatted(id(12), id(1), childOrder(12, "10:00:05")));
        assertJson("""
                {"traces": {"nodes": [{"root": {"name": "checkout"}, "runCount": 5, "errorCount": 2,
                  "promptTokens": 1160, "totalTokens": 1230, "totalCost": 0.013}]}}""", data(query, "project", project));
    }

    @Test
    void shouldReadTheTraceOfEveryRunOfALevelInOneStatement() {
        String query = """
                query ($project: ID!) {
                  runs(filter: {projectId: $project, runTypes: [LLM]}) {
                    nodes { name trace { traceId runCount totalTokens root { name } } }
                  }
                }""";
        assertJson("""
                {"runs": {"nodes": [
                  {"name": "quick", "trace": {"traceId": "%s", "runCount": 1, "totalTokens": 15,
                   "root": {"name": "quick"}}},
                  {"name": "model", "trace": {"traceId": "%s", "runCount": 4, "totalTokens": 200,
                   "root": {"name": "checkout"}}},
                  {"name": "model", "trace": {"traceId": "%s", "runCount": 4, "totalTokens": 200,
                   "root": {"name": "checkout"}}}]}}""".formatted(id(2), id(1), id(1)), data(query, "project", project));
        // the runs, their traces with totals and roots
        assertEquals(2, Statements.of(sql, () -> data(query, "project", project)));
    }

    @Test
    void shouldListTheRunsOfEachTraceInExecutionOrder() {
        assertJson(
                """
                {"traces": {"nodes": [{"runs": [{"name": "checkout"}, {"name": "model"}, {"name": "model"},
                  {"name": "search"}]}]}}""",
                data(
                        "query ($project: ID!) { traces(projectId: $project, totals: {hasErrors: true})"
                                + " { nodes { runs { name } } } }",
                        "project",
                        project));
    }

    @Test
    void shouldShowAnotherTenantNoneOfTheTraces() {
        String keyB = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($name: String!) { createTenant(name: $name) { apiKey { key } } }",
                        "name",
                        "tenant-b-" + UUID.randomUUID())
                .get("data")
                .get("createTenant")
                .get("apiKey")
                .get("key")
                .asText();
        assertJson(
                """
                {"data": {"traces": {"nodes": [], "pageInfo": {"hasNextPage": false, "endCursor": null}}}}""",
                executeWithKey(
                        keyB,
                        "query ($project: ID!) { traces(projectId: $project) { nodes { traceId runCount }"
                                + " pageInfo { hasNextPage endCursor } } }",
                        "project",
                        project));
    }

    private List<String> walk(Map<String, String> order) {
        List<String> names = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 10; page++) {
            JsonNode traces = data(PAGE, "project", project, "order", order, "first", 1, "after", after)
                    .get("traces");
            traces.get("nodes")
                    .forEach(node -> names.add(node.get("root").get("name").asText()));
            if (!traces.get("pageInfo").get("hasNextPage").asBoolean()) {
                return names;
            }
            after = traces.get("pageInfo").get("endCursor").asText();
        }
        throw new AssertionError("more pages than traces in " + order + ": " + names);
    }

    private static String names(String... names) {
        List<String> nodes = new ArrayList<>();
        for (String name : names) {
            nodes.add("{\"root\": {\"name\": \"" + name + "\"}}");
        }
        return "{\"traces\": {\"nodes\": [" + String.join(", ", nodes) + "]}}";
    }

    private static JsonNode message(JsonNode error) {
        return read("{\"message\": " + error.get("message") + ", \"code\": "
                + error.get("extensions").get("code") + "}");
    }

    /** Walked orders as JSON, for one whole comparison. */
    private static JsonNode asJson(Map<String, List<String>> walked) {
        StringBuilder json = new StringBuilder("{");
        walked.forEach((key, names) -> json.append(json.length() > 1 ? ", " : "")
                .append('"')
                .append(key)
                .append("\": [")
                .append(String.join(
                        ", ", names.stream().map(n -> "\"" + n + "\"").toList()))
                .append(']'));
        return read(json.append('}').toString());
    }

    private static UUID id(int n) {
        return UUID.fromString("0191e5a0-0000-7000-8000-0000000000%02d".formatted(n));
    }

    private static String order(int n, String time) {
        return "20240501T" + time.replace(":", "") + "000000Z" + id(n);
    }

    private static String childOrder(int n, String start) {
        return order(1, "10:00:00") + "." + order(n, start);
    }

    private static String rootA() {
        return root(1, "checkout", "chain", "10:00:00", """
                "end_time": "2024-05-01T10:00:10Z", "prompt_tokens": 5, "completion_tokens": 2, "total_cost": 0.5""");
    }

    private static String root(int n, String name, String runType, String start, String more) {
        return """
                {"id": "%s", "dotted_order": "%s", "name": "%s", "run_type": "%s", "session_name": "shop",
                 "start_time": "2024-05-01T%sZ", "inputs": {"question": "q%d"}%s}""".formatted(id(n), order(n, start), name, runType, start, n, more == null ? "" : ", " + more);
    }

    private static String child(int n, String start, String end, String more) {
        return """
                {"id": "%s", "trace_id": "%s", "parent_run_id": "%s", "dotted_order": "%s", "session_name": "shop",
                 "start_time": "2024-05-01T%sZ", "end_time": "2024-05-01T%sZ", %s}""".formatted(id(n), id(1), id(1), childOrder(n, start), start, end, more);
    }
}
