package io.tracegql.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.domain.FeedbackStat;

/** Aggregates feedback in SQL: per key, the count, the mean score and the counts of categorical values. */
@ApplicationScoped
public class FeedbackStore {

    /** Whose feedback an aggregate covers. */
    private enum Scope {
        RUN("run_id", "f.run_id = any($2::uuid[])"),
        PROJECT_RUNS("project_id", "f.project_id = any($2::uuid[]) and f.run_id is not null"),
        PROJECT_ITSELF("project_id", "f.project_id = any($2::uuid[]) and f.run_id is null");

        final String owner;
        final String condition;

        Scope(String owner, String condition) {
            this.owner = owner;
            this.condition = condition;
        }
    }

    /**
     * The feedback stats of the run {@code r} as a select-list expression: a JSON array of
     * [key, count, mean score, [[value, count]...]] in key order, read with {@link #readRunStats}.
     * Reading them in the statement that reads the runs saves a statement and, in GraphQL, a batched
     * field per run; the same aggregates as {@link #feedbackStatsByRunIds}, through the
     * (tenant_id, run_id, key) index.
     */
    static final String RUN_STATS_SELECT = rowStats("r");

    /** {@link #RUN_STATS_SELECT} of the run {@code run}. */
    static String rowStats(String run) {
        return runStats(
                run,
                "jsonb",
                "jsonb_build_array(k.key, k.n, k.mean, " + VALUE_COUNTS + ")",
                "jsonb_build_array(v.value, v.n)");
    }

    /**
     * Where {@link #runStats} puts the value counts of a key: the aggregate of {@code valueItem} over
     * the key's values.
     */
    static final String VALUE_COUNTS = "%value_counts%";

    /**
     * The feedback stats of a run as a select-list expression, in {@code json} or {@code jsonb}: per key
     * in key order one {@code keyItem} (over k.key, k.n and k.mean, with {@link #VALUE_COUNTS} where its
     * value counts go), each value count one {@code valueItem} (over v.value and v.n), the most given
     * first. The one definition of what a run's feedback stats are, for the reader of rows and for the
     * JSON of compiled reads.
     */
    static String runStats(String run, String json, String keyItem, String valueItem) {
        String valueCounts = "(select coalesce(" + json + "_agg(" + valueItem + " order by v.n desc, v.value), '[]')"
                + " from (select f.value #>> '{}' as value, count(*) as n from feedback f"
                + " where f.tenant_id = " + run + ".tenant_id and f.run_id = " + run + ".id and f.key = k.key"
                + " and f.value #>> '{}' is not null group by 1) as v)";
        return "(select coalesce(" + json + "_agg(" + keyItem.replace(VALUE_COUNTS, valueCounts)
                + " order by k.key), '[]')"
                + " from (select f.key, count(*) as n, avg(f.score) as mean from feedback f"
                + " where f.tenant_id = " + run + ".tenant_id and f.run_id = " + run + ".id group by f.key) as k)";
    }

    private final Sql sql;

    public FeedbackStore(Sql sql) {
        this.sql = sql;
    }

    /** Feedback stats of each run, in the order of the run ids. */
    public Uni<List<List<FeedbackStat>>> feedbackStatsByRunIds(UUID tenantId, List<UUID> runIds) {
        return stats(Scope.RUN, tenantId, runIds);
    }

    /** Stats of the feedback on the runs of each project, in the order of the project ids. */
    public Uni<List<List<FeedbackStat>>> runFeedbackStatsByProjectIds(UUID tenantId, List<UUID> projectIds) {
        return stats(Scope.PROJECT_RUNS, tenantId, projectIds);
    }

    /** Stats of the feedback given to each project as a whole, in the order of the project ids. */
    public Uni<List<List<FeedbackStat>>> sessionFeedbackStatsByProjectIds(UUID tenantId, List<UUID> projectIds) {
        return stats(Scope.PROJECT_ITSELF, tenantId, projectIds);
    }

    /**
     * Stats of the feedback on the turns (root runs) of each thread of a project, in the order of the
     * thread ids.
     */
    public Uni<List<List<FeedbackStat>>> turnFeedbackStatsByThreads(
            UUID tenantId, UUID projectId, List<String> threadIds) {
        if (threadIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String feedback = "select r.thread_id as owner, f.key, f.score, f.value #>> '{}' as value"
                + " from feedback f join runs r on r.tenant_id = f.tenant_id and r.id = f.run_id"
                + " where f.tenant_id = $1 and r.project_id = $3 and r.parent_run_id is null"
                + " and r.thread_id = any($2::text[])";
        Tuple parameters = Tuple.of(tenantId, threadIds.stream().distinct().toArray(String[]::new), projectId);
        return stats(feedback, parameters, threadIds, row -> row.getString("owner"));
    }

    private Uni<List<List<FeedbackStat>>> stats(Scope scope, UUID tenantId, List<UUID> ownerIds) {
        if (ownerIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String feedback = "select f." + scope.owner + " as owner, f.key, f.score, f.value #>> '{}' as value"
                + " from feedback f where f.tenant_id = $1 and " + scope.condition;
        return stats(feedback, Tuple.of(tenantId, RunStore.distinct(ownerIds)), ownerIds, row -> row.getUUID("owner"));
    }

    /** Aggregates per owner and key the feedback rows (owner, key, score, value) that {@code feedback} selects. */
    private <K> Uni<List<List<FeedbackStat>>> stats(
            String feedback, Tuple parameters, List<K> owners, Function<Row, K> ownerOf) {
        String query = "with f as (" + feedback + "),"
                + " per_key as (select owner, key, count(*) as n, avg(score) as mean from f group by owner, key),"
                + " per_value as (select owner, key, value, count(*) as n from f where value is not null"
                + " group by owner, key, value)"
                + " select k.owner, k.key, k.n, k.mean,"
                + " coalesce(jsonb_agg(jsonb_build_array(v.value, v.n) order by v.n desc, v.value)"
                + " filter (where v.value is not null), '[]') as value_counts"
                + " from per_key k left join per_value v on v.owner = k.owner and v.key = k.key"
                + " group by k.owner, k.key, k.n, k.mean order by k.owner, k.key";
        return sql.read(query, parameters).map(rows -> {
            Map<K, List<FeedbackStat>> byOwner = new HashMap<>();
            for (Row row : rows) {
                byOwner.computeIfAbsent(ownerOf.apply(row), k -> new ArrayList<>())
                        .add(read(row));
            }
            List<List<FeedbackStat>> ordered = new ArrayList<>(owners.size());
            owners.forEach(owner -> ordered.add(byOwner.getOrDefault(owner, List.of())));
            return ordered;
        });
    }

    /**
     * Feedback rows, newest first, optionally only of some runs and keys; offset paging, as the
     * LangSmith REST API pages feedback.
     */
    public Uni<List<FeedbackRecord>> feedback(
            UUID tenantId, List<UUID> runIds, List<String> keys, int offset, int limit) {
        String query = "select f.id, f.run_id, f.project_id, f.key, f.score, f.value, f.comment, f.correction,"
                + " f.feedback_source, f.created_at, f.modified_at,"
                + " (select r.trace_id from runs r where r.tenant_id = f.tenant_id and r.id = f.run_id) as trace_id"
                + " from feedback f where f.tenant_id = $1"
                + " and (cardinality($2::uuid[]) = 0 or f.run_id = any($2::uuid[]))"
                + " and (cardinality($3::text[]) = 0 or f.key = any($3::text[]))"
                + " order by f.created_at desc, f.id desc offset $4 limit $5";
        Tuple parameters = Tuple.of(tenantId, runIds.toArray(UUID[]::new), keys.toArray(String[]::new), offset, limit);
        return sql.read(query, parameters).map(rows -> {
            List<FeedbackRecord> feedback = new ArrayList<>();
            for (Row row : rows) {
                feedback.add(new FeedbackRecord(
                        row.getUUID("id"),
                        row.getUUID("run_id"),
                        row.getUUID("trace_id"),
                        row.getUUID("project_id"),
                        row.getString("key"),
                        row.getDouble("score"),
                        JsonValues.toPlain(row.getValue("value")),
                        row.getString("comment"),
                        JsonValues.toPlain(row.getValue("correction")),
                        JsonValues.toPlain(row.getValue("feedback_source")),
                        row.getOffsetDateTime("created_at"),
                        row.getOffsetDateTime("modified_at")));
            }
            return feedback;
        });
    }

    /** One row of a feedback aggregate (key, n, mean, value_counts); every such aggregate reads its rows here. */
    /** The stats of {@link #RUN_STATS_SELECT}. */
    static List<FeedbackStat> readRunStats(Object value) {
        JsonArray keys = (JsonArray) value;
        List<FeedbackStat> stats = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            JsonArray key = keys.getJsonArray(i);
            Number mean = (Number) key.getValue(2);
            stats.add(new FeedbackStat(
                    key.getString(0),
                    key.getLong(1),
                    mean == null ? null : mean.doubleValue(),
                    valueCounts(key.getJsonArray(3))));
        }
        return stats;
    }

    private static List<FeedbackStat.ValueCount> valueCounts(JsonArray counts) {
        List<FeedbackStat.ValueCount> values = new ArrayList<>(counts.size());
        for (int i = 0; i < counts.size(); i++) {
            JsonArray pair = counts.getJsonArray(i);
            values.add(new FeedbackStat.ValueCount(pair.getString(0), pair.getLong(1)));
        }
        return values;
    }

    static FeedbackStat read(Row row) {
        return new FeedbackStat(row.getString("key"), row.getLong("n"), row.getDouble("mean"), valueCounts((JsonArray)
                row.getValue("value_counts")));
    }
}
