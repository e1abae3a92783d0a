package io.tracegql.ingest;

import java.util.UUID;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.store.Plans;
import io.tracegql.store.Sql;
import io.tracegql.support.TraceFixture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statement that moves stored children under the parents just written runs on every OTLP
 * request: each of its reads of {@code runs} (the waiting children, their parents, the subtrees to
 * move) must be an index lookup, never a scan of the table. Sequential scans are switched off so that
 * the plan shows what the indexes can do even on a small table; a read no index serves still shows
 * as a sequential scan.
 */
@QuarkusTest
class AdoptionPlanTest {

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    @Inject
    TraceFixture fixture;

    @Test
    void shouldFindWaitingChildrenParentsAndSubtreesThroughIndexes() throws Throwable {
        // The demo data set, with fresh statistics, so that PostgreSQL plans as it would on real data.
        fixture.reset();
        fixture.loadDemo(50);
        UUID[] written = {UUID.randomUUID(), UUID.randomUUID()};
        String plan = Plans.explain(
                sql,
                IngestService.ADOPT_ORPHANS,
                Tuple.of(config.defaultTenantId(), written),
                "analyze runs",
                "set local enable_seqscan = off");

        assertFalse(plan.contains("Seq Scan"), () -> "plan:\n" + plan);
        assertTrue(plan.contains("runs_default_parent"), () -> "plan:\n" + plan);
        assertTrue(plan.contains("runs_default_trace_order"), () -> "plan:\n" + plan);
    }
}
