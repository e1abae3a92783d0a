package io.tracegql.store;

import java.util.List;
import java.util.UUID;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;
import io.tracegql.store.JsonRead.Kind;
import io.tracegql.store.JsonRead.Member;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one statement of a compiled page reads as the run statements do: the page seeks to its cursor in
 * the index, each nested level finds its rows through the index of its relation, and the page's JSON is
 * built from the rows within its limit alone.
 */
@QuarkusTest
class CompiledReadsPlanTest {

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    @Test
    void shouldSeekToTheCursorAndReadEveryLevelThroughAnIndex() throws Throwable {
        RunFilter project = new RunFilter.Compare(RunFilterField.PROJECT_ID, RunFilter.Op.EQ, UUID.randomUUID());
        List<Member> child = List.of(
                Member.field("name", RunField.NAME),
                Member.object("feedbackStats", Kind.FEEDBACK_STATS, List.of(Member.of("key", Kind.FEEDBACK_KEY))));
        JsonRead.RunPage page = new JsonRead.RunPage(
                "runs",
                project,
                RunSortField.LATENCY,
                SortDirection.DESC,
                20,
                new RunCursor(RunSortField.LATENCY, SortDirection.DESC, "1.5", UUID.randomUUID()),
                List.of(
                        Member.object(
                                "nodes",
                                Kind.NODES,
                                List.of(
                                        Member.field("id", RunField.ID),
                                        Member.object("childRuns", Kind.CHILD_RUNS, child),
                                        Member.object("parentRun", Kind.PARENT_RUN, child))),
                        Member.object("pageInfo", Kind.PAGE_INFO, List.of(Member.of("endCursor", Kind.END_CURSOR)))));
        String plan = Plans.explain(
                sql,
                CompiledReads.statement(config.defaultTenantId(), List.of(page)),
                "analyze runs",
                "analyze feedback",
                "set local enable_seqscan = off",
                "set local enable_bitmapscan = off");
        assertTrue(
                plan.contains("Index Scan using runs_default_project_latency on runs_default"), () -> "plan:\n" + plan);
        assertTrue(
                plan.matches("(?s).*Index Cond: .*ROW\\((r\\.)?latency_seconds, (r\\.)?id\\) < ROW\\(.*"),
                () -> "plan:\n" + plan);
        assertTrue(plan.matches("(?s).*using runs_default_parent on runs_default r1_\\d+ .*"), () -> "plan:\n" + plan);
        assertTrue(plan.matches("(?s).*using runs_default_pkey on runs_default r2_\\d+ .*"), () -> "plan:\n" + plan);
        assertTrue(plan.contains("using feedback_run_key"), () -> "plan:\n" + plan);
    }

    /**
     * A page after a cursor on a nullable field is the runs with a value then those without one: both
     * branches read the runs as stored, and JSON is built only from the numbered rows of the page, once.
     */
    @Test
    void shouldBuildThePageJsonFromTheRowsWithinItsLimitOnly() throws Throwable {
        RunFilter search = new RunFilter.All(List.of(
                new RunFilter.Compare(RunFilterField.PROJECT_ID, RunFilter.Op.EQ, UUID.randomUUID()),
                new RunFilter.Metadata("env", "prod")));
        JsonRead.RunPage page = new JsonRead.RunPage(
                "runs",
                search,
                RunSortField.LATENCY,
                SortDirection.DESC,
                20,
                new RunCursor(RunSortField.LATENCY, SortDirection.DESC, "1.5", UUID.randomUUID()),
                List.of(
                        Member.object(
                                "nodes",
                                Kind.NODES,
                                List.of(
                                        Member.field("id", RunField.ID),
                                        Member.field("latencySeconds", RunField.LATENCY_SECONDS),
                                        Member.field("totalCost", RunField.TOTAL_COST))),
                        Member.object(
                                "pageInfo",
                                Kind.PAGE_INFO,
                                List.of(
                                        Member.of("hasNextPage", Kind.HAS_NEXT_PAGE),
                                        Member.of("endCursor", Kind.END_CURSOR)))));
        SqlBuilder statement = CompiledReads.statement(config.defaultTenantId(), List.of(page));
        String plan = Plans.explain(
                sql,
                "(verbose) " + statement.sql(),
                statement.tuple(),
                "analyze runs",
                "set local enable_seqscan = off",
                "set local enable_bitmapscan = off");
        List<String> lines = List.of(plan.split("\n"));
        int scans = 0;
        for (int i = 0; i < lines.size(); i++) {
            // Each branch of the union scans the partitions of runs (runs_p<week>, runs_default).
            if (lines.get(i).matches(".* on public\\.runs_\\w+ r_?\\d*\\s.*")) {
                scans++;
                String output = lines.get(i + 1);
                assertTrue(
                        output.contains("Output:") && !output.contains("json"),
                        () -> "a branch builds JSON, plan:\n" + plan);
            }
        }
        assertTrue(scans >= 2, () -> "both branches scan runs, plan:\n" + plan);
        assertTrue(plan.contains("->  Append"), () -> "one union of the two branches, plan:\n" + plan);
        assertTrue(plan.matches("(?s).*CTE Scan on page r.*"), () -> "plan:\n" + plan);
    }
}
