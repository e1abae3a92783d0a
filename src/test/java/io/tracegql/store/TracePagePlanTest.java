package io.tracegql.store;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.SortDirection;
import io.tracegql.domain.TraceSortField;
import io.tracegql.domain.TraceTotalsFilter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page of traces reads as many rows as it shows, whatever its order: it walks an index in that order
 * instead of aggregating or sorting every trace of the project.
 */
@QuarkusTest
class TracePagePlanTest {

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    /**
     * The plan of a page of 50 traces with their totals. Sequential and bitmap scans are switched off so
     * that the plan shows what the indexes can do with the statement even on a small table.
     */
    private String plan(TraceSortField field, TraceCursor after) throws Throwable {
        TraceQuery query = new TraceQuery(
                UUID.randomUUID(), RunFilter.none(), TraceTotalsFilter.none(), field, SortDirection.DESC);
        return Plans.explain(
                sql,
                TraceStore.pageQuery(
                        config.defaultTenantId(), query, 50, after, RunSelection.of(Set.of(RunField.NAME)), true),
                "set local enable_seqscan = off",
                "set local enable_bitmapscan = off");
    }

    @Test
    void shouldWalkTheIndexOfTotalTokensForAPageSortedByThem() throws Throwable {
        String plan = plan(TraceSortField.TOTAL_TOKENS, null);
        assertTrue(plan.contains("Index Scan using trace_totals_tokens"), () -> "plan:\n" + plan);
        assertFalse(plan.contains("Sort"), () -> "plan:\n" + plan);
    }

    @Test
    void shouldSeekToTheCursorOfAStartTimePageInTheIndexOfRoots() throws Throwable {
        String plan = plan(
                TraceSortField.START_TIME,
                new TraceCursor(
                        TraceSortField.START_TIME,
                        SortDirection.DESC,
                        OffsetDateTime.parse("2024-05-01T10:00:00Z").toString(),
                        UUID.randomUUID()));
        assertTrue(
                plan.contains("Index Scan using runs_default_project_roots_start on runs_default"),
                () -> "plan:\n" + plan);
        assertTrue(
                plan.matches("(?s).*Index Cond: .*ROW\\(r?\\.?start_time, r?\\.?id\\) < ROW\\(.*"),
                () -> "plan:\n" + plan);
        assertFalse(Plans.sorts(plan), () -> "plan:\n" + plan);
    }
}
