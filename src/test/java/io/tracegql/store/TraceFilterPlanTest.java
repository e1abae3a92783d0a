package io.tracegql.store;

import java.util.Set;
import java.util.UUID;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.FilterLanguage;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * trace_filter and tree_filter are exists (...) conditions on the other runs of the run's trace: each
 * must reach them through an index on (tenant, trace), never by reading the runs table whole.
 */
@QuarkusTest
class TraceFilterPlanTest {

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    @Inject
    io.tracegql.support.TraceFixture fixture;

    /** The demo data set, with fresh statistics, so that PostgreSQL plans as it would on real data. */
    private String plan(RunFilter condition) throws Throwable {
        fixture.reset();
        fixture.loadDemo(50);
        RunFilter filter = new RunFilter.All(java.util.List.of(
                new RunFilter.Compare(RunFilterField.PROJECT_ID, RunFilter.Op.EQ, UUID.randomUUID()), condition));
        return Plans.explain(
                sql,
                RunStore.pageQuery(
                        config.defaultTenantId(),
                        filter,
                        RunSortField.START_TIME,
                        SortDirection.DESC,
                        20,
                        null,
                        RunSelection.of(Set.of(RunField.NAME))),
                "analyze runs",
                "set local enable_seqscan = off",
                "set local enable_bitmapscan = off");
    }

    @Test
    void shouldLookUpTheTraceRootOfEachRunByItsPrimaryKey() throws Throwable {
        String plan = plan(new RunFilter.TraceRoot(FilterLanguage.parse("eq(name, \"pipeline\")")));
        assertTrue(plan.contains("Index Scan using runs_default_pkey on runs_default"), () -> "plan:\n" + plan);
        assertTrue(
                plan.matches(
                        "(?s).*Index Cond: \\(\\(tenant_id = r(_\\d+)?\\.tenant_id\\) AND \\(id = r(_\\d+)?\\.trace_id\\)\\).*"),
                () -> "plan:\n" + plan);
        assertTrue(!plan.contains("Seq Scan"), () -> "plan:\n" + plan);
    }

    @Test
    void shouldLookUpTheRunsOfEachRunsTraceThroughTheTraceIndex() throws Throwable {
        String plan = plan(new RunFilter.SomeRunOfTrace(FilterLanguage.parse("eq(run_type, \"retriever\")")));
        assertTrue(plan.contains("using runs_default_trace_order on runs_default"), () -> "plan:\n" + plan);
        assertTrue(
                plan.matches(
                        "(?s).*Index Cond: \\(\\(tenant_id = r(_\\d+)?\\.tenant_id\\) AND \\(trace_id = r(_\\d+)?\\.trace_id\\)\\).*"),
                () -> "plan:\n" + plan);
        assertTrue(!plan.contains("Seq Scan"), () -> "plan:\n" + plan);
    }
}
