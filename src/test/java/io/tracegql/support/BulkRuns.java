package io.tracegql.support;

import java.util.UUID;

import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.store.Sql;

/**
 * Many runs written by one SQL statement, for tests of size: root runs one millisecond apart (every
 * tenth pair at the same instant, so that ties of start_time are among them), each with a serialized
 * prompt of {@code payloadChars} characters. The payload is not in inputs or outputs, whose search
 * index would triple the time of the insert, and the triggers of runs (change notifications, trace
 * totals) are skipped for this transaction: no subscriber and no trace figure is tested on this data.
 * The statement may take longer than a request may wait.
 */
public final class BulkRuns {

    private BulkRuns() {}

    public static void insert(Sql sql, UUID tenantId, UUID projectId, int count, int payloadChars) {
        String insert = """
                insert into runs (tenant_id, id, project_id, trace_id, dotted_order, name, run_type, status,
                                  start_time, end_time, inputs, serialized)
                select $1, id, $2, id,
                       to_char(start_time at time zone 'UTC', 'YYYYMMDD"T"HH24MISSUS"Z"') || id, 'bulk-' || n, 'chain',
                       'success', start_time, start_time + interval '1 second', jsonb_build_object('n', n),
                       jsonb_build_object('prompt', repeat('p', $4))
                from (select n, gen_random_uuid() as id,
                             timestamptz '2024-07-01T00:00:00Z' + ((n - n % 10 / 9) * interval '1 millisecond') as start_time
                      from generate_series(1, $3) as n) as generated""";
        try {
            VertxContextSupport.subscribeAndAwait(() -> sql.inTransaction(connection -> connection
                    .query("set local session_replication_role = replica")
                    .execute()
                    .flatMap(ignored ->
                            connection.query("set local statement_timeout = 0").execute())
                    .flatMap(ignored -> connection
                            .preparedQuery(insert)
                            .execute(Tuple.of(tenantId, projectId, count, payloadChars)))
                    .replaceWithVoid()));
        } catch (Throwable e) {
            throw new IllegalStateException("could not write the bulk runs", e);
        }
    }
}
