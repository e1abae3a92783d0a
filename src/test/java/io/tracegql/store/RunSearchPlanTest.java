package io.tracegql.store;

import java.util.ArrayList;
import java.util.List;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
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
        RunFilter filter = RunFilter.builder().search("boom").build();
        SqlBuilder query = RunAnalytics.matchingRunIds(config.defaultTenantId(), filter);
        List<String> plan =
                VertxContextSupport.subscribeAndAwait(() -> sql.pool().withTransaction(connection -> connection
                        .query("select gin_clean_pending_list('runs_search'::regclass)")
                        .execute()
                        .flatMap(ignored -> connection.query("analyze runs").execute())
                        .flatMap(ignored -> connection
                                .preparedQuery("explain " + query.sql())
                                .execute(query.tuple()))
                        .map(rows -> {
                            List<String> lines = new ArrayList<>();
                            rows.forEach(row -> lines.add(row.getString(0)));
                            return lines;
                        })));
        String text = String.join("\n", plan);
        assertTrue(text.contains("Bitmap Index Scan on runs_search"), () -> "plan:\n" + text);
        assertTrue(text.contains("Index Cond: (search_vector @@ "), () -> "plan:\n" + text);
    }
}
