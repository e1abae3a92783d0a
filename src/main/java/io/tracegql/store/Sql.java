package io.tracegql.store;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one way the store talks to PostgreSQL through the reactive client: every statement is prepared
 * (and cached per connection) and counted, so that tests and the benchmark can show that the number
 * of statements per request does not grow with the number of rows.
 */
@ApplicationScoped
public class Sql {

    private final Pool pool;
    private final AtomicLong statements = new AtomicLong();

    public Sql(Pool pool) {
        this.pool = pool;
    }

    public Uni<RowSet<Row>> query(String sql, Tuple parameters) {
        return query(pool, sql, parameters);
    }

    public Uni<RowSet<Row>> query(SqlClient client, String sql, Tuple parameters) {
        statements.incrementAndGet();
        return client.preparedQuery(sql).execute(parameters);
    }

    /** One statement executed for many parameter sets in a single round trip. */
    public Uni<RowSet<Row>> batch(SqlClient client, String sql, List<Tuple> parameters) {
        statements.incrementAndGet();
        return client.preparedQuery(sql).executeBatch(parameters);
    }

    public Pool pool() {
        return pool;
    }

    /** Statements executed since start. */
    public long statementCount() {
        return statements.get();
    }
}
