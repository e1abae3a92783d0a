package io.tracegql.store;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The weekly partitions of runs (V16__run_partitions.sql): creating the coming weeks' partitions and
 * dropping whole weeks of old runs. The database functions do the work, so that a drop and the
 * corrections of what the row triggers maintain are one transaction.
 */
@ApplicationScoped
public class RunPartitions {

    /** The weekly partitions of runs, oldest first, by the week (Monday 00:00 UTC) they hold. */
    private static final String WEEKS =
            "select (to_date(substr(c.relname, 7), 'YYYYMMDD')::timestamp at time zone 'UTC')"
                    + " as week from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                    + " where i.inhparent = 'runs'::regclass and c.relname ~ '^runs_p[0-9]{8}$'";

    private final Sql sql;

    public RunPartitions(Sql sql) {
        this.sql = sql;
    }

    /** The weeks that have a partition, oldest first. */
    public Uni<List<OffsetDateTime>> weeks() {
        return sql.query(WEEKS + " order by week", Tuple.tuple()).map(RunPartitions::weeksOf);
    }

    /** Creates the partitions of this week and the next weeksAhead weeks that are missing; how many. */
    public Uni<Integer> createAhead(int weeksAhead) {
        return sql.query(
                        "select count(*) filter (where run_partition_create(now() + make_interval(weeks => w)))"
                                + " as created from generate_series(0, $1) as w",
                        Tuple.of(weeksAhead))
                .map(rows -> rows.iterator().next().getLong("created").intValue());
    }

    /**
     * Drops every partition whose week ended more than maxAge ago, one transaction per partition;
     * the weeks dropped.
     */
    public Uni<List<OffsetDateTime>> dropOlderThan(Duration maxAge) {
        return sql.query(
                        WEEKS + " and (to_date(substr(c.relname, 7), 'YYYYMMDD')::timestamp at time zone 'UTC')"
                                + " + interval '7 days' <= now() - make_interval(secs => $1) order by week",
                        Tuple.of((double) maxAge.toSeconds()))
                .map(RunPartitions::weeksOf)
                .onItem()
                .transformToMulti(weeks -> Multi.createFrom().iterable(weeks))
                .onItem()
                .transformToUniAndConcatenate(week -> drop(week).map(dropped -> dropped ? week : null))
                .filter(week -> week != null)
                .collect()
                .asList();
    }

    /** Drops the partition of the week this moment falls in, if there is one. */
    public Uni<Boolean> drop(OffsetDateTime week) {
        return sql.query("select run_partition_drop($1) as dropped", Tuple.of(week))
                .map(rows -> rows.iterator().next().getBoolean("dropped"));
    }

    private static List<OffsetDateTime> weeksOf(Iterable<Row> rows) {
        List<OffsetDateTime> weeks = new ArrayList<>();
        for (Row row : rows) {
            weeks.add(row.getOffsetDateTime("week"));
        }
        return weeks;
    }
}
