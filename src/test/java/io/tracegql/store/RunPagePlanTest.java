package io.tracegql.store;

import java.util.Set;
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

import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RunPagePlanTest {

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    /**
     * The plan of the first statement of a page of one project's runs, slowest first, after the cursor
     * (null for the first page). Sequential and bitmap scans are switched off so that the plan shows
     * what the index can do with the statement even on a small table.
     */
    private String latencyPagePlan(RunCursor after) throws Throwable {
        RunFilter filter = new RunFilter.Compare(RunFilterField.PROJECT_ID, RunFilter.Op.EQ, UUID.randomUUID());
        return Plans.explain(
                sql,
                RunStore.pageQuery(
                        config.defaultTenantId(),
                        filter,
                        RunSortField.LATENCY,
                        SortDirection.DESC,
                        20,
                        after,
                        RunSelection.of(Set.of(RunField.NAME, RunField.LATENCY_SECONDS))),
                "set local enable_seqscan = off",
                "set local enable_bitmapscan = off");
    }

    /**
     * A page after a cursor must start where the cursor points, not walk the earlier pages' rows: the
     * cursor's row comparison has to be an index condition; a condition the index cannot use would
     * appear as a Filter.
     */
    @Test
    void shouldSeekToTheCursorOfALatencyPageInTheIndex() throws Throwable {
        String plan =
                latencyPagePlan(new RunCursor(RunSortField.LATENCY, SortDirection.DESC, "1.5", UUID.randomUUID()));
        assertTrue(
                plan.contains("Index Scan using runs_default_project_latency on runs_default"), () -> "plan:\n" + plan);
        assertTrue(plan.matches("(?s).*Index Cond: .*ROW\\(latency_seconds, id\\) < ROW\\(.*"), () -> "plan:\n" + plan);
        assertTrue(!plan.contains("Filter: ((ROW("), () -> "plan:\n" + plan);
    }

    /**
     * The first page in descending order is the index's own order, runs without a value last: one
     * index scan that stops after the page, with no second branch for them and no sort.
     */
    @Test
    void shouldReadTheFirstLatencyPageInOneIndexScan() throws Throwable {
        String plan = latencyPagePlan(null);
        assertTrue(
                plan.contains("Index Scan using runs_default_project_latency on runs_default"), () -> "plan:\n" + plan);
        assertTrue(!Plans.sorts(plan), () -> "plan:\n" + plan);
    }
}
