package io.tracegql.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import io.tracegql.config.TracegqlConfig;

/**
 * The one way the store talks to PostgreSQL through the reactive client: every statement is prepared
 * (and cached per connection) and counted, so that tests and the benchmark can show that the number
 * of statements per request does not grow with the number of rows.
 */
@ApplicationScoped
public class Sql {

    /**
     * Starts a statement that the connections do not keep prepared (see {@link StatementCachePool}), so
     * that PostgreSQL plans it for its parameter values each time. A kept statement gets a generic plan
     * after five executions, which is as good for lookups by id and for writes, but can be a hundred
     * times slower for a filter: a filtered page took 194 ms with the generic plan and 2 ms planned for
     * its values on the benchmark data set.
     */
    static final String PLANNED_FOR_VALUES = "/* planned for its values */ ";

    private final Pool pool;
    private final ReadRouting reads;
    private final Duration timeout;
    private final AtomicLong statements = new AtomicLong();

    public Sql(Pool pool, ReadRouting reads, TracegqlConfig config) {
        this.pool = pool;
        this.reads = reads;
        this.timeout = config.database().requestTimeout();
    }

    /** A statement on the primary, in a transaction of its own; it may write. */
    public Uni<RowSet<Row>> query(String sql, Tuple parameters) {
        ReadRouting.Reader reader = ReadRouting.currentReader();
        return query(pool, sql, parameters).invoke(() -> reads.wrote(reader));
    }

    /**
     * A statement that only reads, outside any write: the read replica may answer it ({@link
     * ReadRouting} decides).
     */
    public Uni<RowSet<Row>> read(String sql, Tuple parameters) {
        return reads.read(client -> query(client, sql, parameters));
    }

    public Uni<RowSet<Row>> query(SqlClient client, String sql, Tuple parameters) {
        statements.incrementAndGet();
        return guarded(client.preparedQuery(sql).execute(parameters));
    }

    /** One statement executed for many parameter sets in a single round trip. */
    public Uni<RowSet<Row>> batch(SqlClient client, String sql, List<Tuple> parameters) {
        statements.incrementAndGet();
        return guarded(client.preparedQuery(sql).executeBatch(parameters));
    }

    /**
     * Runs work in one transaction on one connection; a connection lost on the way (at begin, in a
     * statement or at commit) becomes {@link DatabaseUnavailableException}, and nothing is committed.
     */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        ReadRouting.Reader reader = ReadRouting.currentReader();
        return pool.withTransaction(work)
                .invoke(() -> reads.wrote(reader))
                .onFailure(e -> !(e instanceof DatabaseUnavailableException) && isConnectionFailure(e))
                .transform(e -> new DatabaseUnavailableException("the database is unavailable", e));
    }

    /**
     * Fails fast instead of hanging when the database is slow or gone: no statement waits longer
     * than the request timeout, and connection failures become {@link DatabaseUnavailableException}.
     */
    private <T> Uni<T> guarded(Uni<T> statement) {
        return statement
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new DatabaseUnavailableException(
                        "the database did not answer within " + timeout.toMillis() + " ms", null))
                .onFailure(Sql::isConnectionFailure)
                .transform(e -> new DatabaseUnavailableException("the database is unavailable", e));
    }

    /**
     * Whether the failure is a lost or refused connection (anywhere in its causes), or the server
     * saying that it is shutting down, starting up or recovering from a crash: SQLSTATE class 08
     * (connection exception) and 57P (the server ends or refuses sessions). Both pass, so the request
     * is worth retrying. A socket error (a connection reset by a server that was killed) is one too:
     * left as it is, it would read as a body that could not be read, a 400 that clients drop.
     */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg
                    && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            if (t instanceof java.io.IOException
                    || t instanceof ClosedConnectionException
                    || t instanceof io.vertx.core.VertxException
                            && String.valueOf(t.getMessage()).contains("closed")) {
                return true;
            }
        }
        return false;
    }

    public Pool pool() {
        return pool;
    }

    /** Statements executed since start. */
    public long statementCount() {
        return statements.get();
    }
}
