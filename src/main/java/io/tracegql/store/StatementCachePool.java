package io.tracegql.store;

import java.util.ArrayList;
import java.util.List;
import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * Creates the reactive connection pool as configured, except that the connections' prepared
 * statement cache leaves out the statements marked {@link Sql#PLANNED_FOR_VALUES}: those are
 * prepared afresh at each execution, which makes PostgreSQL plan them for their values, while every
 * other statement keeps its prepared statement and, after five executions, its generic plan.
 * Serves every request, Hibernate Reactive's too.
 */
@Singleton
public class StatementCachePool implements PgPoolCreator {

    /** The pool's name in its metrics ({@code sql_pool_*{pool_name="requests"}}). */
    public static final String POOL_NAME = "requests";

    @Override
    public Pool create(Input input) {
        List<SqlConnectOptions> servers = new ArrayList<>();
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            servers.add(keepPrepared(options));
        }
        return PgBuilder.pool()
                .with(input.poolOptions().setName(POOL_NAME))
                .connectingTo(servers)
                .using(input.vertx())
                .build();
    }

    /** The same statement cache rule for another server's connections (the read replica's). */
    static PgConnectOptions keepPrepared(PgConnectOptions options) {
        return options.setPreparedStatementCacheSqlFilter(sql -> !sql.startsWith(Sql.PLANNED_FOR_VALUES));
    }
}
