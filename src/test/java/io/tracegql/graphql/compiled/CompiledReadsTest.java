package io.tracegql.graphql.compiled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.domain.RunField;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;
import io.tracegql.store.JsonProjection;
import io.tracegql.store.JsonRead;
import io.tracegql.store.ProjectAggregate;
import io.tracegql.store.Sql;
import io.tracegql.support.Api;
import io.tracegql.support.Statements;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every query here is sent twice, once answered by the compiled path and once, asked for with {@code
 * X-Tracegql-Plan: general}, field by field; the two answers must be the same JSON, members in the
 * same order, strings the same, numbers the same numbers written alike (an integer or with a point). Queries with an error must be answered by
 * the general path both times, with the same errors.
 */
@QuarkusTest
class CompiledReadsTest {

    /** Every field of Run that the catalogue defines, by every GraphQL name, as the walk reads them. */
    private static final String EVERY_RUN_FIELD = java.util.Arrays.stream(RunField.values())
                    .filter(field -> field != RunField.FEEDBACK_STATS)
                    .flatMap(field -> field.graphqlNames().stream())
                    .collect(Collectors.joining(" "))
            + " isRoot parentRunIds childRunIds feedbackStats { key count meanScore values { value count } } __typename";

    /** Every field of Project with a compiled form: its stored fields and the aggregates of its runs. */
    private static final String EVERY_PROJECT_FIELD = Stream.concat(
                            Arrays.stream(JsonRead.ProjectField.values()).map(JsonRead.ProjectField::graphqlName),
                            Arrays.stream(ProjectAggregate.values()).map(ProjectAggregate::graphqlName))
                    .collect(Collectors.joining(" "))
            + " __typename";

    private static final List<UUID> RUNS = List.of(
            TraceFixture.R1,
            TraceFixture.R2,
            TraceFixture.R3,
            TraceFixture.R4,
            TraceFixture.R5,
            TraceFixture.R6,
            TraceFixture.R7,
            TraceFixture.run(999));

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    @BeforeEach
    void load() {
        fixture.load();
        fixture.loadDemo(4);
    }

    private static Response send(String key, boolean general, String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        var request = given().contentType(ContentType.JSON);
        if (key != null) {
            request.header("x-api-key", key);
        }
        if (general) {
            request.header("X-Tracegql-Plan", "general");
        }
        return request.body(body).when().post("/graphql").then().extract().response();
    }

    private static Map<String, Object> vars(Object... entries) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            map.put((String) entries[i], entries[i + 1]);
        }
        return map;
    }

    /** The compiled answer of a query that the compiled path answers, after checking it is the general one. */
    private static JsonNode same(String key, String query, Map<String, Object> variables) {
        Response compiled = send(key, false, query, variables);
        Response general = send(key, true, query, variables);
        assertEquals("general", general.header("X-Tracegql-Plan"));
        assertEquals("compiled", compiled.header("X-Tracegql-Plan"), () -> query + " -> " + compiled.asString());
        JsonNode compiledJson = read(compiled.asString());
        JsonNode generalJson = read(general.asString());
        assertSameJson(generalJson, compiledJson, "", query);
        return compiledJson;
    }

    /** A query the general path answers unasked, as it answers when asked. */
    private static void answeredGenerally(String query, Map<String, Object> variables) {
        Response unasked = send(Api.KEY, false, query, variables);
        Response general = send(Api.KEY, true, query, variables);
        assertEquals("general", unasked.header("X-Tracegql-Plan"), () -> query + " " + variables);
        assertEquals(200, unasked.statusCode(), unasked::asString);
        assertEquals(read(general.asString()), read(unasked.asString()));
    }

    private static JsonNode same(String query, Object... variables) {
        return same(Api.KEY, query, vars(variables));
    }

    /** A request the endpoint refuses itself (an invalid document, no key): neither path runs it. */
    private static void refusedBeforeEitherPath(String key, String query, int status) {
        Response first = send(key, false, query, Map.of());
        Response general = send(key, true, query, Map.of());
        assertEquals(status, first.statusCode(), first::asString);
        assertEquals(null, first.header("X-Tracegql-Plan"), first::asString);
        assertEquals(read(first.asString()), read(general.asString()));
    }

    /** A query with an error: both requests answered by the general path, with the same errors. */
    private static JsonNode sameError(String key, String query, Map<String, Object> variables) {
        Response first = send(key, false, query, variables);
        Response general = send(key, true, query, variables);
        assertEquals("general", first.header("X-Tracegql-Plan"), first::asString);
        JsonNode json = read(first.asString());
        assertTrue(json.has("errors"), () -> "expected errors: " + json);
        assertSameJson(read(general.asString()), json, "", query);
        return json;
    }

    /**
     * The same JSON: members in the same order, numbers equal and both integers or both not (JSON
     * payloads are embedded as stored, where the general path may write 0.0001 as 0.00010).
     */
    static void assertSameJson(JsonNode expected, JsonNode actual, String at, String query) {
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.isIntegralNumber() != actual.isIntegralNumber()
                    || expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                fail(query + "\nat " + at + ": " + expected + " but compiled " + actual);
            }
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            List<String> names = new ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            List<String> actualNames = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            assertEquals(names, actualNames, () -> query + "\nmembers at " + at + "\n" + actual);
            for (String name : names) {
                assertSameJson(expected.get(name), actual.get(name), at + "/" + name, query);
            }
            return;
        }
        if (expected.isArray() && actual.isArray()) {
            assertEquals(expected.size(), actual.size(), () -> query + "\nitems at " + at + "\n" + actual);
            Iterator<JsonNode> a = expected.elements();
            Iterator<JsonNode> b = actual.elements();
            for (int i = 0; a.hasNext(); i++) {
                assertSameJson(a.next(), b.next(), at + "/" + i, query);
            }
            return;
        }
        assertEquals(expected, actual, () -> query + "\nat " + at);
    }

    @Test
    void shouldAnswerEveryRunFieldAsTheGeneralPathDoes() {
        for (UUID run : RUNS) {
            same("query ($id: ID!) { run(id: $id) { " + EVERY_RUN_FIELD + " } }", "id", run.toString());
        }
        JsonNode r2 = same("{ run(id: \"" + TraceFixture.R2 + "\") { startTime firstTokenTime latencySeconds } }");
        assertEquals("2024-05-01T10:00:01.5Z", r2.at("/data/run/firstTokenTime").asText());
    }

    @Test
    void shouldAnswerTracesWithEveryFieldAndNestedRunsAsTheGeneralPathDoes() {
        String query = "query ($trace: ID!) { trace(traceId: $trace) { " + EVERY_RUN_FIELD
                + " childRuns { id name childRuns { name parentRun { name parentRun { id } } } }"
                + " parentRun { id name feedbackStats { key } } } }";
        for (UUID trace : List.of(TraceFixture.R1, TraceFixture.R5, TraceFixture.R7, TraceFixture.run(999))) {
            same(query, "trace", trace.toString());
        }
        JsonNode none = same("{ trace(traceId: \"" + TraceFixture.run(999) + "\") { id } }");
        assertEquals("{\"data\":{\"trace\":[]}}", none.toString());
    }

    @Test
    void shouldAnswerAliasesFragmentsAndDirectivesAsTheGeneralPathDoes() {
        String query = """
                query ($id: ID!, $trace: ID!, $withKids: Boolean!, $skipName: Boolean!) {
                  first: run(id: $id) { ...Basics label: name name @skip(if: $skipName) }
                  again: run(id: $id) { id ... on Run { runType status } }
                  tree: trace(traceId: $trace) {
                    ...Basics
                    kids: childRuns @include(if: $withKids) { ...Basics up: parentRun { ...Basics } }
                  }
                  __typename
                }
                fragment Basics on Run { id name startTime endTime __typename }""";
        for (boolean withKids : new boolean[] {true, false}) {
            same(
                    query,
                    "id",
                    TraceFixture.R2.toString(),
                    "trace",
                    TraceFixture.R1.toString(),
                    "withKids",
                    withKids,
                    "skipName",
                    !withKids);
        }
    }

    @Test
    void shouldAnswerJsonPathsAsTheGeneralPathDoes() {
        StringBuilder fields = new StringBuilder();
        int n = 0;
        for (RunField column : JsonProjection.COLUMNS) {
            for (String path : List.of("$", "$.messages[last].content", "$.nothing", "$.generations[0].text")) {
                fields.append(" p")
                        .append(n++)
                        .append(": ")
                        .append(column.graphqlNames().get(0))
                        .append("(path: \"")
                        .append(path)
                        .append("\")");
            }
        }
        same(
                "query ($trace: ID!) { trace(traceId: $trace) { id" + fields
                        + " childRuns { inputs(path: \"$.input\") } } }",
                "trace",
                TraceFixture.R1.toString());
        same(
                "query ($trace: ID!, $path: String) { trace(traceId: $trace) { question: inputs(path: $path) } }",
                "trace",
                TraceFixture.R1.toString(),
                "path",
                "$.messages[0].role");
    }

    @Test
    void shouldWalkEveryOrderPageByPageAsTheGeneralPathDoes() {
        String query = """
                query ($order: RunOrder, $after: String, $first: Int) {
                  runs(orderBy: $order, first: $first, after: $after) {
                    __typename
                    nodes { id name latencySeconds totalTokens totalCost startTime }
                    edges { cursor node { id feedbackStats { key count } } __typename }
                    pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
                  }
                }""";
        for (RunSortField field : RunSortField.values()) {
            for (SortDirection direction : SortDirection.values()) {
                Map<String, Object> order = Map.of("field", field.name(), "direction", direction.name());
                Object after = null;
                int pages = 0;
                boolean more = true;
                while (more) {
                    JsonNode page = same(Api.KEY, query, vars("order", order, "after", after, "first", 7));
                    JsonNode info = page.at("/data/runs/pageInfo");
                    more = info.get("hasNextPage").asBoolean();
                    after = info.get("endCursor").isNull()
                            ? null
                            : info.get("endCursor").asText();
                    assertTrue(++pages < 50, "pages end");
                }
                assertTrue(pages > 1, field + " " + direction + " walks more than one page");
            }
        }
    }

    @Test
    void shouldCompilePagesOfAProjectAndLeavePagesFilteredByValuesToTheGeneralPath() {
        String query = """
                query ($filter: RunFilter, $expression: String, $first: Int) {
                  runs(filter: $filter, filterExpression: $expression, first: $first,
                       orderBy: {field: LATENCY, direction: DESC}) {
                    nodes { id name runType status tags metadata latencySeconds
                            childRuns { name feedbackStats { key meanScore values { value count } } } }
                    pageInfo { hasNextPage endCursor }
                  }
                }""";
        // An index holds such a page in its order whatever the values: one kept statement serves them all.
        same(
                Api.KEY,
                query,
                vars(
                        "filter",
                        Map.of("projectId", TraceFixture.ALPHA.toString(), "isRoot", true),
                        "expression",
                        null,
                        "first",
                        3));
        List<Map<String, Object>> filters = List.of(
                Map.of("runTypes", List.of("LLM", "TOOL"), "hasError", false),
                Map.of("tagsAll", List.of("v1")),
                Map.of("metadata", List.of(Map.of("key", "env", "value", "prod"))),
                Map.of("latencySeconds", Map.of("min", 0.5, "max", 5)),
                Map.of("startTime", Map.of("from", "2024-05-01T10:00:00Z", "to", "2024-05-03T00:00:00Z")),
                Map.of("or", List.of(Map.of("name", "search"), Map.of("feedback", Map.of("key", "rating")))));
        for (Map<String, Object> filter : filters) {
            answeredGenerally(query, vars("filter", filter, "expression", null, "first", 3));
        }
        answeredGenerally(
                query,
                vars("filter", null, "expression", "and(eq(run_type, \"llm\"), gt(latency, \"1s\"))", "first", 2));
    }

    @Test
    void shouldAnswerProjectsWithTheirAggregatesAsTheGeneralPathDoes() {
        String byId = "query ($id: ID!) { project(id: $id) { " + EVERY_PROJECT_FIELD + " } }";
        for (UUID project : List.of(TraceFixture.ALPHA, TraceFixture.BETA, TraceFixture.EMPTY, TraceFixture.run(998))) {
            same(byId, "id", project.toString());
        }
        same("{ project(name: \"alpha\") { name runCount totalCost errorRate } }");
        String pages = "query ($after: String) { projects(first: 2, after: $after) { nodes { " + EVERY_PROJECT_FIELD
                + " } edges { cursor node { name lastRunStartTime } } pageInfo { hasNextPage startCursor endCursor } } }";
        Object after = null;
        boolean more = true;
        for (int page = 0; more; page++) {
            JsonNode answer = same(Api.KEY, pages, vars("after", after));
            more = answer.at("/data/projects/pageInfo/hasNextPage").asBoolean();
            after = answer.at("/data/projects/pageInfo/endCursor").asText();
            assertTrue(page < 10, "pages end");
        }
        same("{ projects(nameContains: \"ALP\") { nodes { name } } }");
        same("{ runs(first: 10) { nodes { name project { name runCount latencyP50 } } } trace(traceId: \""
                + TraceFixture.R1 + "\") { project { id } childRuns { project { name } } } }");
        sameError(Api.KEY, "{ project { name } }", Map.of());
        sameError(Api.KEY, "{ project(id: \"nope\") { name } }", Map.of());
        sameError(Api.KEY, "{ projects(after: \"bm9wZQ\") { nodes { name } } }", Map.of());
        assertEquals(
                1,
                Statements.of(
                        sql,
                        () -> send(
                                Api.KEY,
                                false,
                                "{ runs(first: 50) { nodes { project { name runCount } } } }",
                                Map.of())));
    }

    @Test
    void shouldAnswerErrorsOnTheGeneralPathAsItAnswersThem() {
        String runs = "query ($first: Int, $after: String) { runs(first: $first, after: $after) { nodes { id } } }";
        sameError(Api.KEY, "{ run(id: \"not-a-uuid\") { id } }", Map.of());
        sameError(Api.KEY, "{ trace(traceId: \"42\") { id } }", Map.of());
        sameError(Api.KEY, runs, vars("first", 500, "after", null));
        sameError(Api.KEY, runs, vars("first", 0, "after", null));
        sameError(Api.KEY, runs, vars("first", 2, "after", "bm90LWEtY3Vyc29y"));
        sameError(Api.KEY, "query ($id: ID!) { run(id: $id) { id } }", vars("id", 17));
        sameError(Api.KEY, "query ($id: ID!) { run(id: $id) { id } }", Map.of());
        sameError(Api.KEY, "{ runs(filter: {latencySeconds: {min: 5, max: 1}}) { nodes { id } } }", Map.of());
        sameError(Api.KEY, "{ runs(filterExpression: \"eq(nope, 1)\") { nodes { id } } }", Map.of());
        sameError(
                Api.KEY,
                "{ run(id: \"" + TraceFixture.R1 + "\") { a: inputs(path: \"$.[\") b: inputs(path: \" \") } }",
                Map.of());
        sameError(Api.KEY, "{ runs { nodes { inputs(path: \"$.[\") } } }", Map.of());
        refusedBeforeEitherPath(Api.KEY, "{ run(id: \"" + TraceFixture.R1 + "\") { nope } }", 400);
        refusedBeforeEitherPath(null, "{ run(id: \"" + TraceFixture.R1 + "\") { id } }", 401);
        String deep = "{ run(id: \"" + TraceFixture.R1 + "\") { " + "childRuns { ".repeat(12) + "id" + " }".repeat(12)
                + " } }";
        JsonNode tooDeep = sameError(Api.KEY, deep, Map.of());
        assertEquals(
                "QUERY_LIMIT_EXCEEDED", tooDeep.at("/errors/0/extensions/code").asText());
    }

    @Test
    void shouldReadOneStatementForEachCompiledRequest() {
        String alpha = TraceFixture.ALPHA.toString();
        // The shapes of the benchmark's Q1, Q2, Q3 and Q5 (pages 1 and 2), on a level of many rows.
        String projectPage = "query ($p: ID!) { runs(first: 50, filter: {projectId: $p, isRoot: true}) {"
                + " nodes { id name status startTime latencySeconds totalTokens totalCost inputsPreview } } }";
        String traceTree = "query ($t: ID!) { trace(traceId: $t) { id parentRunId name runType status startTime"
                + " endTime latencySeconds inputs outputs error totalTokens totalCost } }";
        String nested = "query ($p: ID!) { runs(first: 20, filter: {projectId: $p, isRoot: true}) { nodes {"
                + " id name startTime latencySeconds"
                + " childRuns { id name runType status latencySeconds feedbackStats { key count meanScore } } } } }";
        String search = "query ($p: ID!, $after: String) { runs(first: 2, after: $after, filter: {projectId: $p},"
                + " orderBy: {field: LATENCY, direction: DESC}) { nodes { id name latencySeconds }"
                + " pageInfo { hasNextPage endCursor } } }";
        String page2 = same(Api.KEY, search, vars("p", alpha, "after", null))
                .at("/data/runs/pageInfo/endCursor")
                .asText();
        Map<String, Map<String, Object>> requests = new LinkedHashMap<>();
        requests.put(projectPage, vars("p", alpha));
        requests.put(traceTree, vars("t", TraceFixture.R1.toString()));
        requests.put(nested, vars("p", alpha));
        requests.put(search, vars("p", alpha, "after", page2));
        requests.put(
                "{ a: run(id: \"" + TraceFixture.R1 + "\") { childRuns { childRuns { parentRun { name } } } }"
                        + " b: runs(first: 50) { edges { node { childRunIds childRuns { feedbackStats { key } } } } } }",
                Map.of());
        requests.forEach((query, variables) -> {
            same(Api.KEY, query, variables);
            assertEquals(1, Statements.of(sql, () -> send(Api.KEY, false, query, variables)), query);
        });
    }

    @Test
    void shouldAnswerAnotherTenantWithNothingOfThisOne() {
        String admin = "tgq_test_admin_key";
        Response created = given().header("x-api-key", admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "query",
                        "mutation { createTenant(name: \"compiled-" + UUID.randomUUID() + "\") { apiKey { key } } }"))
                .when()
                .post("/graphql")
                .then()
                .extract()
                .response();
        String other =
                read(created.asString()).at("/data/createTenant/apiKey/key").asText();
        String query = "query ($id: ID!) { run(id: $id) { id childRuns { id } } trace(traceId: $id) { id }"
                + " runs(first: 5) { nodes { id } pageInfo { hasNextPage endCursor } } }";
        JsonNode seen = same(other, query, vars("id", TraceFixture.R1.toString()));
        assertEquals(
                "{\"data\":{\"run\":null,\"trace\":[],\"runs\":{\"nodes\":[],\"pageInfo\":"
                        + "{\"hasNextPage\":false,\"endCursor\":null}}}}",
                seen.toString());
    }
}
