package io.tracegql.graphql;

import java.util.Map;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.Statements;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.userError;
import static io.tracegql.support.TraceFixture.ALPHA;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class RunFacetsTest {

    private static final String FACETS = """
            query ($filter: RunFilter, $expression: String, $limit: Int) {
              runFacets(filter: $filter, filterExpression: $expression, limit: $limit) { key value count }
            }""";

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    @BeforeEach
    void load() {
        fixture.load();
    }

    @Test
    void shouldCountEveryFacetOverAllRunsWithoutAFilter() {
        // The 7 runs of alpha and beta. Metadata: R1 {user_id: u1, env: prod}, R6 {env: dev}. Names:
        // ChatModel R2 R5, pipeline R1 R6, other R7, retrieve R4, search R3. Types: chain R1 R6 R7, llm R2
        // R5. Statuses: error R3 R5, pending R6 (no end), success the other 4. Tags: v1 on R1 and R5,
        // prod on R1, model:small on R2. Ties are ordered by value.
        assertJson("""
                {"runFacets": [
                  {"key": "metadata", "value": "env", "count": 2},
                  {"key": "metadata", "value": "user_id", "count": 1},
                  {"key": "metadata.env", "value": "dev", "count": 1},
                  {"key": "metadata.env", "value": "prod", "count": 1},
                  {"key": "metadata.user_id", "value": "u1", "count": 1},
                  {"key": "name", "value": "ChatModel", "count": 2},
                  {"key": "name", "value": "pipeline", "count": 2},
                  {"key": "name", "value": "other", "count": 1},
                  {"key": "name", "value": "retrieve", "count": 1},
                  {"key": "name", "value": "search", "count": 1},
                  {"key": "run_type", "value": "chain", "count": 3},
                  {"key": "run_type", "value": "llm", "count": 2},
                  {"key": "run_type", "value": "retriever", "count": 1},
                  {"key": "run_type", "value": "tool", "count": 1},
                  {"key": "status", "value": "success", "count": 4},
                  {"key": "status", "value": "error", "count": 2},
                  {"key": "status", "value": "pending", "count": 1},
                  {"key": "tag", "value": "v1", "count": 2},
                  {"key": "tag", "value": "model:small", "count": 1},
                  {"key": "tag", "value": "prod", "count": 1}
                ]}""", data(FACETS));
    }

    @Test
    void shouldKeepTheTopValuesPerFacetAndCountValuesOnlyOfTheTopMetadataKeys() {
        // alpha's R1-R6 with one value per facet: env (2 runs) beats user_id (1), so only env's values
        // are counted, and of its tied values dev comes first; ChatModel and pipeline tie at 2, as do
        // chain and llm; success 3; v1 2.
        assertJson("""
                {"runFacets": [
                  {"key": "metadata", "value": "env", "count": 2},
                  {"key": "metadata.env", "value": "dev", "count": 1},
                  {"key": "name", "value": "ChatModel", "count": 2},
                  {"key": "run_type", "value": "chain", "count": 2},
                  {"key": "status", "value": "success", "count": 3},
                  {"key": "tag", "value": "v1", "count": 2}
                ]}""", data(FACETS, "filter", Map.of("projectId", ALPHA.toString()), "limit", 1));
    }

    @Test
    void shouldCountOnlyRunsThatMatchBothTheFilterAndTheExpression() {
        // "hello" is in the outputs of R1 (chain) and R2 (llm); the expression keeps R2 only.
        assertJson("""
                {"runFacets": [
                  {"key": "name", "value": "ChatModel", "count": 1},
                  {"key": "run_type", "value": "llm", "count": 1},
                  {"key": "status", "value": "success", "count": 1},
                  {"key": "tag", "value": "model:small", "count": 1}
                ]}""", data(FACETS, "filter", Map.of("search", "hello"), "expression", "eq(run_type, \"llm\")"));
        // R1 and R6 are roots with metadata env; only R1's env is prod.
        assertJson(
                """
                {"runFacets": [
                  {"key": "metadata", "value": "env", "count": 1},
                  {"key": "metadata", "value": "user_id", "count": 1},
                  {"key": "metadata.env", "value": "prod", "count": 1},
                  {"key": "metadata.user_id", "value": "u1", "count": 1},
                  {"key": "name", "value": "pipeline", "count": 1},
                  {"key": "run_type", "value": "chain", "count": 1},
                  {"key": "status", "value": "success", "count": 1},
                  {"key": "tag", "value": "prod", "count": 1},
                  {"key": "tag", "value": "v1", "count": 1}
                ]}""",
                data(
                        FACETS,
                        "filter",
                        Map.of("isRoot", true),
                        "expression",
                        "and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\"))"));
    }

    @Test
    void shouldAnswerAnEmptyListWhenNothingMatches() {
        assertJson("{\"runFacets\": []}", data(FACETS, "filter", Map.of("search", "nowhere")));
    }

    @Test
    void shouldCountInOneStatement() {
        assertEquals(1, Statements.of(sql, () -> data(FACETS, "filter", Map.of("isRoot", true), "limit", 100)));
    }

    @Test
    void shouldRefuseALimitOutsideOneToAHundred() {
        assertEquals(
                "limit: 101 is not between 1 and 100 (values per facet); leave it out for 10",
                userError(FACETS, "limit", 101).get("message").asText());
        assertEquals(
                "limit: 0 is not between 1 and 100 (values per facet); leave it out for 10",
                userError(FACETS, "limit", 0).get("message").asText());
    }

    @Test
    void shouldRefuseAFilterExpressionItCannotParse() {
        assertEquals(
                "filterExpression: unknown field 'colour' at position 3; supported fields: id, trace_id, parent_run_id,"
                        + " session_id, project_id, is_root, error, run_type, status, name, thread_id, tags, start_time,"
                        + " latency, latency_seconds, total_tokens, total_cost, metadata_key, metadata_value, feedback_key, feedback_score",
                userError(FACETS, "expression", "eq(colour, \"red\")")
                        .get("message")
                        .asText());
    }
}
