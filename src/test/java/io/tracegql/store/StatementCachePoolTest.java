package io.tracegql.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class StatementCachePoolTest {

    private static final String LOOKUP = "select r.id from runs r where r.tenant_id = $1 and r.id = $2";
    private static final String FILTERED =
            Sql.PLANNED_FOR_VALUES + "select r.id from runs r where r.tenant_id = $1 and r.name = $2";

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    /**
     * PostgreSQL lists what a connection keeps prepared, with how often each statement ran on a generic
     * or a custom plan: a lookup stays prepared and moves to the generic plan after five executions;
     * a statement marked to be planned for its values is never kept, so every execution is planned anew.
     */
    @Test
    void shouldKeepLookupsPreparedButPlanFilteredStatementsForTheirValues() throws Throwable {
        UUID tenant = config.defaultTenantId();
        Map<String, Long> genericPlans = VertxContextSupport.subscribeAndAwait(() -> sql.pool()
                .withConnection(connection -> times(6, connection, LOOKUP, Tuple.of(tenant, UUID.randomUUID()))
                        .flatMap(ignored -> times(6, connection, FILTERED, Tuple.of(tenant, "agent")))
                        .flatMap(ignored -> connection
                                .query("select statement, generic_plans from pg_prepared_statements")
                                .execute())
                        .map(rows -> {
                            Map<String, Long> plans = new HashMap<>();
                            rows.forEach(row -> plans.put(row.getString(0), row.getLong(1)));
                            return plans;
                        })));
        assertTrue(genericPlans.containsKey(LOOKUP), genericPlans::toString);
        assertTrue(genericPlans.get(LOOKUP) >= 1, "the sixth execution of the lookup ran on the generic plan");
        assertFalse(
                genericPlans.keySet().stream().anyMatch(s -> s.startsWith(Sql.PLANNED_FOR_VALUES)),
                genericPlans::toString);
    }

    /**
     * A page of a project's roots is held in an index in its order whatever the project, so its
     * statement stays prepared; a page filtered by tags skips as many rows as the tag's frequency says,
     * so it is planned for its values.
     */
    @Test
    void shouldKeepAProjectPagePreparedAndPlanAFilteredPageForItsValues() {
        RunFilter project = new RunFilter.All(List.of(
                new RunFilter.Compare(RunFilterField.PROJECT_ID, RunFilter.Op.EQ, UUID.randomUUID()),
                new RunFilter.Compare(RunFilterField.IS_ROOT, RunFilter.Op.EQ, true)));
        RunFilter tagged = new RunFilter.All(
                List.of(project, new RunFilter.Compare(RunFilterField.TAGS, RunFilter.Op.HAS, "beta")));
        assertFalse(page(project).startsWith(Sql.PLANNED_FOR_VALUES), () -> page(project));
        assertTrue(page(tagged).startsWith(Sql.PLANNED_FOR_VALUES), () -> page(tagged));
    }

    private String page(RunFilter filter) {
        return RunStore.pageQuery(
                        config.defaultTenantId(),
                        filter,
                        RunSortField.START_TIME,
                        SortDirection.DESC,
                        20,
                        null,
                        RunSelection.of(Set.of(RunField.NAME)))
                .sql();
    }

    private static Uni<Void> times(int count, SqlConnection connection, String statement, Tuple parameters) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (int i = 0; i < count; i++) {
            done = done.flatMap(ignored ->
                    connection.preparedQuery(statement).execute(parameters).replaceWithVoid());
        }
        return done;
    }
}
