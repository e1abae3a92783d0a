package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.userError;
import static io.tracegql.support.TraceFixture.ALPHA;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static io.tracegql.support.TraceFixture.R3;
import static io.tracegql.support.TraceFixture.R4;
import static io.tracegql.support.TraceFixture.R5;
import static io.tracegql.support.TraceFixture.R6;
import static io.tracegql.support.TraceFixture.R7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RunsConnectionTest {

    private static final String PAGE = """
            query ($filter: RunFilter, $orderBy: RunOrder, $first: Int, $after: String) {
              runs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
                edges { cursor node { id } }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    @Inject
    TraceFixture fixture;

    @BeforeEach
    void load() {
        fixture.load();
    }

    private static List<UUID> ids(Map<String, Object> filter) {
        return all(filter, null, 200);
    }

    /** Every run of the filter, walking pages of the given size. */
    private static List<UUID> all(Map<String, Object> filter, Map<String, Object> orderBy, int pageSize) {
        List<UUID> ids = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 20; page++) {
            JsonNode runs = data(PAGE, "filter", filter, "orderBy", orderBy, "first", pageSize, "after", after)
                    .get("runs");
            runs.get("edges")
                    .forEach(edge ->
                            ids.add(UUID.fromString(edge.get("node").get("id").asText())));
            if (!runs.get("pageInfo").get("hasNextPage").asBoolean()) {
                return ids;
            }
            after = runs.get("pageInfo").get("endCursor").asText();
        }
        throw new AssertionError("more pages than runs");
    }

    @Test
    void shouldListNewestRunsFirstByDefault() {
        assertEquals(List.of(R7, R6, R5, R4, R3, R2, R1), ids(null));
    }

    @Test
    void shouldFilterOnEveryCondition() {
        String alpha = ALPHA.toString();
        assertEquals(List.of(R6, R5, R1), ids(Map.of("projectId", alpha, "isRoot", true)));
        assertEquals(List.of(R4, R3, R2), ids(Map.of("isRoot", false)));
        assertEquals(List.of(R4, R3, R2, R1), ids(Map.of("traceId", R1.toString())));
        assertEquals(List.of(R3, R2), ids(Map.of("parentRunId", R1.toString())));
        assertEquals(List.of(R5, R2), ids(Map.of("runTypes", List.of("LLM"))));
        assertEquals(List.of(R6), ids(Map.of("statuses", List.of("PENDING"))));
        assertEquals(List.of(R5, R3), ids(Map.of("hasError", true)));
        assertEquals(List.of(R6, R1), ids(Map.of("name", "pipeline")));
        assertEquals(List.of(R5, R1), ids(Map.of("tagsAny", List.of("v1", "nope"))));
        assertEquals(List.of(R1), ids(Map.of("tagsAll", List.of("v1", "prod"))));
        assertEquals(
                List.of(R5),
                ids(Map.of("startTime", Map.of("from", "2024-05-02T00:00:00Z", "to", "2024-05-03T00:00:00Z"))));
        assertEquals(List.of(R7, R5, R2), ids(Map.of("latencySeconds", Map.of("min", 2.0, "max", 5.0))));
        assertEquals(List.of(R5), ids(Map.of("totalTokens", Map.of("max", 100))));
        assertEquals(List.of(R2), ids(Map.of("totalCost", Map.of("min", 0.0005, "max", 0.00075))));
        assertEquals(
                List.of(R1),
                ids(Map.of(
                        "metadata",
                        List.of(Map.of("key", "env", "value", "prod"), Map.of("key", "user_id", "value", "u1")))));
        assertEquals(List.of(R1), ids(Map.of("feedback", Map.of("key", "correctness", "minScore", 0.5))));
        assertEquals(List.of(R5, R1), ids(Map.of("feedback", Map.of("key", "rating"))));
        assertEquals(List.of(R2, R1), ids(Map.of("ids", List.of(R1.toString(), R2.toString()))));
        assertEquals(
                List.of(R7, R5),
                ids(Map.of(
                        "or", List.of(Map.of("runTypes", List.of("LLM"), "isRoot", true), Map.of("name", "other")))));
        assertEquals(List.of(R5), ids(Map.of("and", List.of(Map.of("hasError", true), Map.of("isRoot", true)))));
    }

    @Test
    void shouldReturnAnEmptyConnectionForAnUnknownProject() {
        assertJson("""
                {"runs": {"edges": [], "pageInfo": {"hasNextPage": false, "endCursor": null}}}""", data(PAGE, "filter", Map.of("projectId", "00000000-0000-4000-8000-00000000ffff")));
    }

    @ParameterizedTest
    @CsvSource({
        "START_TIME,DESC",
        "START_TIME,ASC",
        "LATENCY,DESC",
        "LATENCY,ASC",
        "TOTAL_TOKENS,DESC",
        "TOTAL_TOKENS,ASC",
        "TOTAL_COST,DESC",
        "TOTAL_COST,ASC"
    })
    void shouldWalkEverySortOrderPageByPageWithoutGapsOrRepeats(String field, String direction) {
        Map<String, Object> order = Map.of("field", field, "direction", direction);
        List<UUID> onePage = all(null, order, 200);
        assertEquals(7, onePage.size());
        for (int pageSize = 1; pageSize <= 7; pageSize++) {
            assertEquals(onePage, all(null, order, pageSize), "page size " + pageSize);
        }
    }

    @Test
    void shouldSortByLatencyWithUnfinishedRunsLast() {
        // R1 10s, R7 4s, R2 3s, R5 2s, R3 1s, R4 0.2s, R6 still running
        assertEquals(
                List.of(R1, R7, R2, R5, R3, R4, R6), all(null, Map.of("field", "LATENCY", "direction", "DESC"), 3));
        assertEquals(List.of(R4, R3, R5, R2, R7, R1, R6), all(null, Map.of("field", "LATENCY", "direction", "ASC"), 2));
    }

    @Test
    void shouldSortByTokensAndCostWithTiesBrokenById() {
        // R5 20 tokens / .001, R2 150 tokens / .00075, everything else has none (ties, by id)
        assertEquals(
                List.of(R2, R5, R7, R6, R4, R3, R1),
                all(null, Map.of("field", "TOTAL_TOKENS", "direction", "DESC"), 2));
        assertEquals(
                List.of(R2, R5, R1, R3, R4, R6, R7), all(null, Map.of("field", "TOTAL_COST", "direction", "ASC"), 4));
    }

    @Test
    void shouldSayThereIsNoNextPageOnTheLastPage() {
        JsonNode runs = data(PAGE, "first", 7).get("runs");
        assertEquals(7, runs.get("edges").size());
        assertEquals(false, runs.get("pageInfo").get("hasNextPage").asBoolean());
        JsonNode first = data(PAGE, "first", 6).get("runs");
        assertEquals(true, first.get("pageInfo").get("hasNextPage").asBoolean());
        String after = first.get("pageInfo").get("endCursor").asText();
        JsonNode last = data(PAGE, "first", 6, "after", after).get("runs");
        assertEquals(1, last.get("edges").size());
        assertEquals(false, last.get("pageInfo").get("hasNextPage").asBoolean());
    }

    @Test
    void shouldRejectAPageSizeOverTheMaximum() {
        JsonNode error = userError(PAGE, "first", 201);
        assertEquals(
                "first must be between 1 and 200 (the maximum page size), got 201",
                error.get("message").asText());
        assertEquals(
                "first must be between 1 and 200 (the maximum page size), got 0",
                userError(PAGE, "first", 0).get("message").asText());
    }

    @Test
    void shouldRejectAnInvalidCursor() {
        JsonNode error = userError(PAGE, "after", "garbage!");
        assertTrue(error.get("message").asText().startsWith("after: 'garbage!' is not valid"), error::toString);
    }

    @Test
    void shouldRejectACursorIssuedForAnotherSortOrder() {
        String cursor = data(PAGE, "first", 1)
                .get("runs")
                .get("pageInfo")
                .get("endCursor")
                .asText();
        JsonNode error = userError(PAGE, "after", cursor, "orderBy", Map.of("field", "LATENCY"));
        assertTrue(
                error.get("message").asText().contains("the cursor was issued for orderBy {field: START_TIME"),
                error::toString);
    }

    @Test
    void shouldRejectAnEmptyTimeWindowAndInvertedRanges() {
        JsonNode window = userError(
                PAGE,
                "filter",
                Map.of("startTime", Map.of("from", "2024-05-03T00:00:00Z", "to", "2024-05-02T00:00:00Z")));
        assertEquals(
                "conditions filter.startTime.from (2024-05-03T00:00Z) and filter.startTime.to (2024-05-02T00:00Z)"
                        + " cannot both hold, so the filter would match nothing; check the bounds",
                window.get("message").asText());
        JsonNode latency = userError(PAGE, "filter", Map.of("latencySeconds", Map.of("min", 5.0, "max", 1.0)));
        assertEquals(
                "conditions filter.latencySeconds.min (5.0) and filter.latencySeconds.max (1.0) cannot both hold, so"
                        + " the filter would match nothing; check the bounds",
                latency.get("message").asText());
    }

    @Test
    void shouldRejectAMalformedIdInAFilter() {
        JsonNode error = userError(PAGE, "filter", Map.of("or", List.of(Map.of("traceId", "123"))));
        assertTrue(error.get("message").asText().startsWith("filter.or[0].traceId must be a UUID"), error::toString);
    }

    @Test
    void shouldServeNodesBesideEdges() {
        JsonNode runs = data("""
                        { runs(first: 2, filter: {isRoot: true}) { nodes { name } edges { node { name } } } }""").get("runs");
        assertEquals(runs.get("nodes").get(0), runs.get("edges").get(0).get("node"));
        assertEquals(2, runs.get("nodes").size());
    }

    @Test
    void shouldCombineAFilterExpressionWithTheTypedFilter() {
        JsonNode runs = data("""
                        query ($expression: String) {
                          runs(filter: {projectId: "a0000000-0000-4000-8000-000000000001"}, filterExpression: $expression) {
                            nodes { id }
                          }
                        }""", "expression", "and(eq(run_type, \"llm\"), gt(latency, \"2.5s\"))")
                .get("runs");
        assertJson("{\"nodes\": [{\"id\": \"%s\"}]}".formatted(R2), runs);
    }

    @Test
    void shouldRejectAFilterExpressionItCannotParse() {
        JsonNode error = userError("{ runs(filterExpression: \"like(name, \\\"a%\\\")\") { nodes { id } } }");
        assertTrue(
                error.get("message").asText().startsWith("filterExpression: unsupported comparator 'like'"),
                error::toString);
    }
}
