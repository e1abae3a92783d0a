package io.tracegql.store;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.FilterLanguage;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chunk of an export deep into a project starts where the previous chunk ended, in the index of a
 * project's runs by start time: the cursor is an index condition, and nothing is sorted.
 */
@QuarkusTest
class RunExportPlanTest {

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    private String chunkPlan(RunFilter filter, RunCursor after) throws Throwable {
        return Plans.explain(
                sql,
                RunStore.pageQuery(
                        config.defaultTenantId(),
                        RunExport.inProject(UUID.randomUUID(), filter),
                        RunExport.ORDER,
                        RunExport.DIRECTION,
                        1000,
                        after,
                        RunSelection.of(Set.of(RunField.NAME, RunField.INPUTS))),
                "set local enable_seqscan = off",
                "set local enable_bitmapscan = off");
    }

    private static RunCursor somewhere() {
        return new RunCursor(
                RunExport.ORDER,
                RunExport.DIRECTION,
                OffsetDateTime.parse("2024-07-01T00:00:00Z").toString(),
                UUID.randomUUID());
    }

    @Test
    void shouldSeekToWhereThePreviousChunkEndedInTheProjectStartIndex() throws Throwable {
        String plan = chunkPlan(RunFilter.none(), somewhere());
        assertTrue(
                plan.contains("Index Scan using runs_default_project_start on runs_default"), () -> "plan:\n" + plan);
        assertTrue(plan.matches("(?s).*Index Cond: .*ROW\\(start_time, id\\) < ROW\\(.*"), () -> "plan:\n" + plan);
        assertTrue(!Plans.sorts(plan) && !plan.contains("Filter: ((ROW("), () -> "plan:\n" + plan);
    }

    @Test
    void shouldSeekTheSameWayWithAFilterOnTheRunsOfTheChunk() throws Throwable {
        String plan = chunkPlan(FilterLanguage.parse("and(eq(run_type, \"llm\"), has(tags, \"prod\"))"), somewhere());
        assertTrue(
                plan.contains("Index Scan using runs_default_project_start on runs_default"), () -> "plan:\n" + plan);
        assertTrue(plan.matches("(?s).*Index Cond: .*ROW\\(start_time, id\\) < ROW\\(.*"), () -> "plan:\n" + plan);
        assertTrue(!Plans.sorts(plan), () -> "plan:\n" + plan);
    }
}
