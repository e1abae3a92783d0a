package io.tracegql.graphql;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.Statements;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The number of SQL statements of a request depends on its depth, never on the number of rows. */
@QuarkusTest
class StatementCountTest {

    private static final String NESTED = """
            query ($first: Int) {
              runs(first: $first, filter: {isRoot: true}) {
                nodes {
                  name inputsPreview childRunIds
                  feedbackStats { key count }
                  project { name runCount latencyP50 feedbackStats { key } }
                  childRuns {
                    name latencySeconds
                    parentRun { id }
                    feedbackStats { key meanScore }
                    childRuns { name childRuns { name } }
                  }
                }
              }
            }""";

    /** NESTED with JSON paths on two levels: the projections ride in the statements that read the runs. */
    private static final String NESTED_WITH_PATHS = NESTED.replace(
                    "name inputsPreview childRunIds",
                    "name inputsPreview childRunIds last: inputs(path: \"$.messages[last]\")"
                            + " answer: outputs(path: \"$.messages[0].content\")")
            .replace("name latencySeconds", "name latencySeconds outputs(path: \"$.generations[0].text\")");

    /** A page of traces with their totals, their roots' children and those children's traces, and their runs. */
    private static final String TRACES = """
            query ($project: ID!, $first: Int) {
              traces(projectId: $project, first: $first) {
                nodes {
                  traceId runCount errorCount totalTokens totalCost firstTokenTime latencySeconds
                  root { name childRuns { name trace { runCount root { name } } } }
                  runs { name }
                }
              }
            }""";

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    @BeforeEach
    void load() {
        fixture.load();
        fixture.loadDemo(20);
    }

    private long statementsFor(int first) {
        return statementsFor(NESTED, first);
    }

    private long statementsFor(String query, int first) {
        assertEquals(first, data(query, "first", first).get("runs").get("nodes").size(), "enough roots");
        return Statements.of(sql, () -> data(query, "first", first));
    }

    @Test
    void shouldRunAsManyStatementsForFiftyRootsAsForOne() {
        long forOne = statementsFor(1);
        long forFifty = statementsFor(50);
        assertEquals(forOne, forFifty, "statements for 1 root vs 50 roots");
        // runs page (with the roots' feedbackStats), childRunIds, project, project stats, project feedback,
        // childRuns (with their feedbackStats), their parentRun, grandchildren, great-grandchildren
        assertEquals(9, forFifty);
    }

    @Test
    void shouldRunNoMoreStatementsWithJsonPaths() {
        assertEquals(9, statementsFor(NESTED_WITH_PATHS, 1));
        assertEquals(9, statementsFor(NESTED_WITH_PATHS, 50));
    }

    @Test
    void shouldReadOnlyOneStatementForAFlatPage() {
        assertEquals(
                1,
                Statements.of(
                        sql,
                        () -> data("{ runs(first: 50) { nodes { id name startTime latencySeconds totalTokens } } }")));
        assertEquals(
                1,
                Statements.of(
                        sql,
                        () -> data("{ runs(first: 50) { nodes { id last: inputs(path: \"$.messages[last]\")"
                                + " outputs(path: \"$.output\") } } }")));
    }

    @Test
    void shouldReadAPageOfTracesInOneStatementPerLevel() {
        String project = data("{ project(name: \"support-bot\") { id } }")
                .get("project")
                .get("id")
                .asText();
        long[] counts = new long[2];
        int[] sizes = {1, 20};
        for (int i = 0; i < sizes.length; i++) {
            int first = sizes[i];
            assertEquals(
                    first,
                    data(TRACES, "project", project, "first", first)
                            .get("traces")
                            .get("nodes")
                            .size(),
                    "enough traces");
            counts[i] = Statements.of(sql, () -> data(TRACES, "project", project, "first", first));
        }
        // the page with its roots and totals, the roots' children, the children's traces, the traces' runs
        assertEquals(4, counts[0]);
        assertEquals(4, counts[1]);
    }
}
