package io.tracegql.store;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.RunFilter;
import io.tracegql.support.TraceFixture;

import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RunSearchPlanTest {

    @Inject
    Sql sql;

    @Inject
    TraceFixture fixture;

    @Inject
    TracegqlConfig config;

    /**
     * On a handful of rows PostgreSQL rightly reads the whole tenant, so the demo data set is added,
     * and what autovacuum would do is done now (merge the GIN pending list, refresh statistics): then
     * a rare word is looked up in the GIN index, with no planner setting changed, which shows that the
     * condition the store writes is the indexed expression.
     */
    @Test
    void shouldAnswerSearchFromTheGinIndex() throws Throwable {
        fixture.load();
        fixture.loadDemo(100);
        RunFilter filter = new RunFilter.Search("boom");
        SqlBuilder query = RunAnalytics.matchingRunIds(config.defaultTenantId(), filter);
        String text = Plans.explain(
                sql, query, "select gin_clean_pending_list('runs_default_search'::regclass)", "analyze runs");
        assertTrue(text.contains("Bitmap Index Scan on runs_default_search"), () -> "plan:\n" + text);
        assertTrue(text.contains("Index Cond: (search_vector @@ "), () -> "plan:\n" + text);
    }
}
