package io.tracegql.graphql;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.userError;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static io.tracegql.support.TraceFixture.R3;
import static io.tracegql.support.TraceFixture.R4;
import static io.tracegql.support.TraceFixture.R5;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class RunSearchTest {

    private static final String RUNS = "query ($filter: RunFilter) { runs(filter: $filter) { nodes { id } } }";

    @Inject
    TraceFixture fixture;

    @BeforeEach
    void load() {
        fixture.load();
    }

    private static String ids(String search) {
        return data(RUNS, "filter", java.util.Map.of("search", search))
                .get("runs")
                .get("nodes")
                .toString();
    }

    private static String nodes(java.util.UUID... runs) {
        StringBuilder json = new StringBuilder("[");
        for (java.util.UUID run : runs) {
            json.append(json.length() > 1 ? "," : "")
                    .append("{\"id\":\"")
                    .append(run)
                    .append("\"}");
        }
        return json.append("]").toString();
    }

    @Test
    void shouldFindRunsByTheirErrorInputsAndOutputs() {
        // R3's error is "ToolError: boom ..."; R1 and R2 were both given "hi there" and answered "hello".
        assertEquals(nodes(R3), ids("boom"));
        assertEquals(nodes(R3), ids("TOOLERROR"));
        assertEquals(nodes(R2, R1), ids("\"hi there\""));
        assertEquals(nodes(R2, R1), ids("hello"));
        assertEquals(nodes(R5), ids("RateLimitError"));
    }

    @Test
    void shouldReadWebSearchSyntax() {
        // R3 and R4 were both asked about the weather; only R3 failed with boom.
        assertEquals(nodes(R4, R3), ids("weather"));
        assertEquals(nodes(R4), ids("weather -boom"));
        assertEquals(nodes(R5, R4, R3), ids("weather or slow"));
        assertEquals(nodes(), ids("\"there hi\""));
    }

    @Test
    void shouldSearchStringValuesNotKeys() {
        // "messages", "role" and "content" are keys of R1's inputs; "user" is a value.
        assertEquals(nodes(), ids("messages"));
        assertEquals(nodes(R2, R1), ids("user"));
    }

    @Test
    void shouldCombineSearchWithOtherConditionsAndTheFilterLanguage() {
        assertJson(nodes(R1), data("""
                { runs(filter: {search: "hi", isRoot: true}) { nodes { id } } }""").get("runs").get("nodes"));
        assertJson(nodes(R3), data("""
                { runs(filterExpression: "and(eq(run_type, \\"tool\\"), search(\\"weather\\"))") { nodes { id } } }""").get("runs").get("nodes"));
    }

    @Test
    void shouldRefuseBlankSearch() {
        assertEquals(
                "filter.search must contain at least one word; leave it out to match every run",
                userError(RUNS, "filter", java.util.Map.of("search", "  "))
                        .get("message")
                        .asText());
        assertEquals(
                "filter.or[0].search is 1001 characters long; at most 1000 are accepted",
                userError(
                                RUNS,
                                "filter",
                                java.util.Map.of("or", java.util.List.of(java.util.Map.of("search", "a".repeat(1001)))))
                        .get("message")
                        .asText());
        assertEquals(
                "filterExpression: search(\"\") at position 0 must contain at least one word; leave it out to match"
                        + " every run",
                userError("{ runs(filterExpression: \"search(\\\"\\\")\") { nodes { id } } }")
                        .get("message")
                        .asText());
    }
}
