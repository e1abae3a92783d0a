package io.tracegql.graphql;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.userError;
import static io.tracegql.support.TraceFixture.ALPHA;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class ProjectQueriesTest {

    @Inject
    TraceFixture fixture;

    @BeforeEach
    void load() {
        fixture.load();
    }

    @Test
    void shouldComputeEveryAggregateOfAProject() {
        JsonNode data = data("""
                query ($id: ID!) {
                  project(id: $id) {
                    name description tags metadata extra startTime endTime referenceDatasetId
                    runCount latencyP50 latencyP99 firstTokenP50 firstTokenP99
                    totalTokens promptTokens completionTokens totalCost promptCost completionCost
                    errorRate lastRunStartTime
                    feedbackStats { key count meanScore values { value count } }
                    sessionFeedbackStats { key count meanScore values { value count } }
                  }
                }""", "id", ALPHA.toString());
        // Roots R1 (10 s, ok), R5 (2 s, error), R6 (running): p50 of [2, 10] = 6, p99 = 2 + 0.99 * 8 = 9.92.
        // First tokens 0.5 s (R2) and 0.2 s (R5): p50 0.35, p99 0.497. The quantiles are read from the
        // rollups' histograms, each within 1% of those exact values. Tokens and costs: llm runs R2 and R5.
        assertJson("""
                {"project": {
                  "name": "alpha", "description": "the alpha project", "tags": ["t1"], "metadata": {"team": "x"},
                  "extra": {"metadata": {"team": "x"}, "tags": ["t1"]},
                  "startTime": "2024-01-01T00:00:00Z", "endTime": null, "referenceDatasetId": null,
                  "runCount": 3, "latencyP50": 6.034179195464338, "latencyP99": 9.993886339630391,
                  "firstTokenP50": 0.3507031728632659, "firstTokenP99": 0.498522727792525,
                  "totalTokens": 170, "promptTokens": 110, "completionTokens": 55,
                  "totalCost": 0.00175, "promptCost": 0.00025, "completionCost": 0.0005,
                  "errorRate": 0.3333333333333333, "lastRunStartTime": "2024-05-03T00:00:00Z",
                  "feedbackStats": [
                    {"key": "correctness", "count": 2, "meanScore": 0.5, "values": []},
                    {"key": "rating", "count": 3, "meanScore": null,
                     "values": [{"value": "good", "count": 2}, {"value": "bad", "count": 1}]}],
                  "sessionFeedbackStats": [
                    {"key": "release", "count": 1, "meanScore": 1.0, "values": [{"value": "yes", "count": 1}]}]
                }}""", data);
    }

    @Test
    void shouldCountValuesOfEveryRunFacet() {
        JsonNode facets = data("{ project(name: \"alpha\") { runFacets { key value count } } }")
                .get("project")
                .get("runFacets");
        assertJson("""
                [
                  {"key": "metadata", "value": "env", "count": 2},
                  {"key": "metadata", "value": "user_id", "count": 1},
                  {"key": "metadata.env", "value": "dev", "count": 1},
                  {"key": "metadata.env", "value": "prod", "count": 1},
                  {"key": "metadata.user_id", "value": "u1", "count": 1},
                  {"key": "name", "value": "ChatModel", "count": 2},
                  {"key": "name", "value": "pipeline", "count": 2},
                  {"key": "name", "value": "retrieve", "count": 1},
                  {"key": "name", "value": "search", "count": 1},
                  {"key": "run_type", "value": "chain", "count": 2},
                  {"key": "run_type", "value": "llm", "count": 2},
                  {"key": "run_type", "value": "retriever", "count": 1},
                  {"key": "run_type", "value": "tool", "count": 1},
                  {"key": "status", "value": "success", "count": 3},
                  {"key": "status", "value": "error", "count": 2},
                  {"key": "status", "value": "pending", "count": 1},
                  {"key": "tag", "value": "v1", "count": 2},
                  {"key": "tag", "value": "model:small", "count": 1},
                  {"key": "tag", "value": "prod", "count": 1}
                ]""", facets);
    }

    @Test
    void shouldReportEmptyAggregatesForAProjectWithoutRuns() {
        assertJson(
                """
                {"project": {"runCount": 0, "latencyP50": null, "errorRate": null, "totalTokens": null,
                             "feedbackStats": [], "runFacets": []}}""",
                data("{ project(name: \"empty\") { runCount latencyP50 errorRate totalTokens feedbackStats { key }"
                        + " runFacets { key } } }"));
    }

    @Test
    void shouldReturnNullForUnknownProject() {
        assertJson(
                "{\"byId\": null, \"byName\": null}",
                data("{ byId: project(id: \"00000000-0000-4000-8000-00000000ffff\") { id }"
                        + " byName: project(name: \"nope\") { id } }"));
    }

    @Test
    void shouldRejectAProjectQueryWithBothIdAndName() {
        assertEquals(
                "project: give either id or name, not both and not neither",
                userError("{ project(id: \"%s\", name: \"alpha\") { id } }".formatted(ALPHA))
                        .get("message")
                        .asText());
    }

    @Test
    void shouldPageProjectsNewestFirstWithStatsForTheWholePage() {
        JsonNode first = data("{ projects(first: 2) { nodes { name runCount } pageInfo { hasNextPage endCursor } } }")
                .get("projects");
        assertJson("""
                [{"name": "empty", "runCount": 0}, {"name": "beta", "runCount": 1}]""", first.get("nodes"));
        assertEquals(true, first.get("pageInfo").get("hasNextPage").asBoolean());
        JsonNode second = data(
                        "query ($after: String) { projects(first: 2, after: $after) { nodes { name runCount }"
                                + " pageInfo { hasNextPage } } }",
                        "after",
                        first.get("pageInfo").get("endCursor").asText())
                .get("projects");
        assertJson("""
                {"nodes": [{"name": "alpha", "runCount": 3}], "pageInfo": {"hasNextPage": false}}""", second);
    }

    @Test
    void shouldFindProjectsByPartOfTheirName() {
        assertJson("""
                {"projects": {"nodes": [{"name": "alpha"}]}}""", data("{ projects(nameContains: \"LPH\") { nodes { name } } }"));
    }

    @Test
    void shouldRejectAnInvalidProjectCursor() {
        userError("{ projects(after: \"bm9wZQ\") { nodes { name } } }");
    }
}
