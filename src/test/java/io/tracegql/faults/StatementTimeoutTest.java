package io.tracegql.faults;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every connection of the gateway carries the statement timeout, so no statement outlives a request. */
@QuarkusTest
class StatementTimeoutTest {

    @Inject
    Sql sql;

    @Test
    void shouldSetTheStatementTimeoutOnEveryConnection() throws Throwable {
        String timeout = VertxContextSupport.subscribeAndAwait(() -> sql.query("show statement_timeout", Tuple.tuple())
                .map(rows -> rows.iterator().next().getString(0)));
        assertEquals("10s", timeout);
    }
}
