package io.tracegql.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Row;

import io.tracegql.domain.FeedbackStat;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.TimeBucket;

/**
 * Aggregates over the runs that match any filter, each in one statement. Unlike project stats, no
 * root or llm restriction applies: the filter alone decides which runs are counted and summed. Each
 * statement is planned for its values, as the filter's selectivity decides how to read the runs.
 */
@ApplicationScoped
public class RunAnalytics {

    /**
     * An llm run (alias r) that reports tokens but has no cost: neither sent by its client nor
     * estimated, as no model price matched it (see {@link RunPricing}).
     */
    public static final String UNPRICED = "r.run_type = 'llm' and r.total_cost is null and (r.prompt_tokens is not null"
            + " or r.completion_tokens is not null or r.total_tokens is not null)";

    /** Seconds from a run's start to its first token. */
    private static final String FIRST_TOKEN_SECONDS = "extract(epoch from (r.first_token_time - r.start_time))::float8";

    private final Sql sql;
    private final RunRollups rollups;

    public RunAnalytics(Sql sql, RunRollups rollups) {
        this.sql = sql;
        this.rollups = rollups;
    }

    /** Counts, latency and first-token quantiles at these probabilities, and token and cost sums. */
    public Uni<RunStats> stats(UUID tenantId, RunFilter filter, List<Double> probabilities) {
        return stats(tenantId, filter, probabilities, false);
    }

    /** The same, with the count of unpriced llm runs when {@code withUnpriced}. */
    public Uni<RunStats> stats(UUID tenantId, RunFilter filter, List<Double> probabilities, boolean withUnpriced) {
        return statsByProjectIds(tenantId, null, filter, probabilities, withUnpriced)
                .map(all -> all.get(0));
    }

    /**
     * The same aggregates for each project's matching runs, in the order of the ids, with one
     * statement for all of them; projectIds null aggregates all matching runs as one group.
     */
    public Uni<List<RunStats>> statsByProjectIds(
            UUID tenantId, List<UUID> projectIds, RunFilter filter, List<Double> probabilities) {
        return statsByProjectIds(tenantId, projectIds, filter, probabilities, false);
    }

    /**
     * The same, with the count of unpriced llm runs ({@link #UNPRICED}) when {@code withUnpriced}. A
     * filter that matches every run is answered by the rollups ({@link RunRollups}: quantiles within
     * their relative error), any other by the runs.
     */
    public Uni<List<RunStats>> statsByProjectIds(
            UUID tenantId, List<UUID> projectIds, RunFilter filter, List<Double> probabilities, boolean withUnpriced) {
        if (RunRollups.answers(filter)) {
            return rollups.runStats(tenantId, projectIds, probabilities, withUnpriced);
        }
        SqlBuilder query = new SqlBuilder().planForValues();
        Double[] quantiles = probabilities.toArray(Double[]::new);
        query.append("select ")
                .append(groupKey(projectIds))
                .append(
                        " as group_key, count(*) as run_count, count(*) filter (where r.status = 'error') as error_count,")
                .append(" percentile_cont(")
                .param(quantiles, "float8[]")
                .append(") within group (order by r.latency_seconds) as latency,")
                .append(" percentile_cont(")
                .param(quantiles, "float8[]")
                .append(") within group (order by " + FIRST_TOKEN_SECONDS + ") as first_token,")
                .append(" coalesce(sum(r.total_tokens), 0) as total_tokens,")
                .append(" coalesce(sum(r.prompt_tokens), 0) as prompt_tokens,")
                .append(" coalesce(sum(r.completion_tokens), 0) as completion_tokens,")
                .append(" coalesce(sum(r.total_cost), 0) as total_cost,")
                .append(" coalesce(sum(r.prompt_cost), 0) as prompt_cost,")
                .append(" coalesce(sum(r.completion_cost), 0) as completion_cost");
        if (withUnpriced) {
            query.append(", count(*) filter (where " + UNPRICED + ") as unpriced_run_count");
        }
        from(query, tenantId, filter);
        inProjects(query, projectIds);
        if (projectIds != null) {
            query.append(" group by r.project_id");
        }
        return sql.read(query.sql(), query.tuple()).map(rows -> {
            Map<UUID, RunStats> byProject = new HashMap<>();
            RunStats all = null;
            for (Row row : rows) {
                RunStats stats = readStats(row, probabilities, withUnpriced);
                if (projectIds == null) {
                    all = stats;
                } else {
                    byProject.put(row.getUUID("group_key"), stats);
                }
            }
            if (projectIds == null) {
                return List.of(all);
            }
            RunStats none = RunStats.none(probabilities);
            return projectIds.stream()
                    .map(id -> byProject.getOrDefault(id, none))
                    .toList();
        });
    }

    /** One row of {@link #statsByProjectIds}'s aggregates; sums over no runs read as 0. */
    static RunStats readStats(Row row, List<Double> probabilities, boolean withUnpriced) {
        Long unpriced = withUnpriced ? row.getLong("unpriced_run_count") : null;
        return new RunStats(
                row.getLong("run_count"),
                row.getLong("error_count"),
                quantiles(probabilities, row.getArrayOfDoubles("latency")),
                quantiles(probabilities, row.getArrayOfDoubles("first_token")),
                orZero(row.getLong("total_tokens")),
                orZero(row.getLong("prompt_tokens")),
                orZero(row.getLong("completion_tokens")),
                orZero(row.getBigDecimal("total_cost")),
                orZero(row.getBigDecimal("prompt_cost")),
                orZero(row.getBigDecimal("completion_cost")),
                withUnpriced && unpriced == null ? Long.valueOf(0) : unpriced);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    /** Per key, the feedback on the runs that match the filter, as project feedback stats are shaped. */
    public Uni<List<FeedbackStat>> feedbackStats(UUID tenantId, RunFilter filter) {
        return feedbackStatsByProjectIds(tenantId, null, filter).map(all -> all.get(0));
    }

    /**
     * Per key, the feedback on each project's matching runs, in the order of the ids, with one
     * statement for all of them; projectIds null takes all matching runs as one group.
     */
    public Uni<List<List<FeedbackStat>>> feedbackStatsByProjectIds(
            UUID tenantId, List<UUID> projectIds, RunFilter filter) {
        SqlBuilder query = new SqlBuilder()
                .planForValues()
                .append("with f as (select ")
                .append(groupKey(projectIds))
                .append(" as group_key, f.key, f.score, f.value #>> '{}' as value from feedback f")
                .append(" join runs r on r.tenant_id = f.tenant_id and r.id = f.run_id where f.tenant_id = ")
                .param(tenantId, "uuid")
                .append(" and r.tenant_id = ")
                .param(tenantId, "uuid")
                .append(" and ");
        RunFilterSql.append(query, filter);
        inProjects(query, projectIds);
        query.append("),"
                + " per_key as (select group_key, key, count(*) as n, avg(score) as mean from f"
                + " group by group_key, key),"
                + " per_value as (select group_key, key, value, count(*) as n from f where value is not null"
                + " group by group_key, key, value)"
                + " select k.group_key, k.key, k.n, k.mean,"
                + " coalesce(jsonb_agg(jsonb_build_array(v.value, v.n) order by v.n desc, v.value)"
                + " filter (where v.value is not null), '[]') as value_counts"
                + " from per_key k left join per_value v on v.group_key is not distinct from k.group_key"
                + " and v.key = k.key"
                + " group by k.group_key, k.key, k.n, k.mean order by k.key");
        return sql.read(query.sql(), query.tuple()).map(rows -> {
            if (projectIds == null) {
                List<FeedbackStat> stats = new ArrayList<>();
                rows.forEach(row -> stats.add(FeedbackStore.read(row)));
                return List.of(stats);
            }
            List<Row> all = new ArrayList<>();
            rows.forEach(all::add);
            return RunStore.groupByKey(projectIds, all, row -> row.getUUID("group_key")).stream()
                    .map(group -> group.stream().map(FeedbackStore::read).toList())
                    .toList();
        });
    }

    /** The tenant's runs (alias r) that match the filter and started in [from, to). */
    private static void inWindow(
            SqlBuilder query, UUID tenantId, RunFilter filter, OffsetDateTime from, OffsetDateTime to) {
        query.append("r.tenant_id = ")
                .param(tenantId, "uuid")
                .append(" and r.start_time >= ")
                .param(from, "timestamptz")
                .append(" and r.start_time < ")
                .param(to, "timestamptz")
                .append(" and ");
        RunFilterSql.append(query, filter);
    }

    private static String groupKey(List<UUID> projectIds) {
        return projectIds == null ? "null::uuid" : "r.project_id";
    }

    /** Only the runs of these projects; all of them when projectIds is null. */
    private static void inProjects(SqlBuilder query, List<UUID> projectIds) {
        if (projectIds != null) {
            query.append(" and r.project_id = any(")
                    .param(RunStore.distinct(projectIds), "uuid[]")
                    .append(")");
        }
    }

    /**
     * One bucket per unit from {@code from} truncated (UTC) to before {@code to}, empty ones included;
     * only runs that started in [from, to) count.
     */
    public Uni<List<TimeSeriesPoint>> timeSeries(
            UUID tenantId,
            RunFilter filter,
            OffsetDateTime from,
            OffsetDateTime to,
            TimeBucket bucket,
            boolean withFeedback) {
        // Buckets are computed on UTC wall-clock times, so that days and months do not follow the
        // session's time zone.
        SqlBuilder query = new SqlBuilder()
                .planForValues()
                .append("with buckets as (select b as start from generate_series(date_trunc('")
                .append(bucket.sqlUnit())
                .append("', ")
                .param(from, "timestamptz")
                .append(" at time zone 'UTC'), ")
                .param(to, "timestamptz")
                .append(" at time zone 'UTC', interval '")
                .append(bucket.sqlInterval())
                .append("') b where b < ")
                .param(to, "timestamptz")
                .append(" at time zone 'UTC'),");
        if (RunRollups.answers(filter, from, to, bucket)) {
            RunRollups.appendTimeSeriesStats(query, tenantId, from, to, bucket);
        } else {
            timeSeriesStatsFromRuns(query, tenantId, filter, from, to, bucket);
        }
        if (withFeedback) {
            // Feedback counts in the bucket where its run started, like the run's other figures.
            query.append(", feedback_per_key as (select date_trunc('")
                    .append(bucket.sqlUnit())
                    .append("', r.start_time at time zone 'UTC') as start, f.key, count(*) as n, avg(f.score) as mean")
                    .append(" from feedback f join runs r on r.tenant_id = f.tenant_id and r.id = f.run_id")
                    .append(" where f.tenant_id = ")
                    .param(tenantId, "uuid")
                    .append(" and ");
            inWindow(query, tenantId, filter, from, to);
            query.append(" group by 1, 2), feedback as (select start,"
                    + " jsonb_agg(jsonb_build_array(key, n, mean) order by key) as scores"
                    + " from feedback_per_key group by start)");
        }
        query.append(" select b.start at time zone 'UTC' as start, coalesce(s.run_count, 0) as run_count,"
                + " coalesce(s.error_count, 0) as error_count, s.latency_p50, s.latency_p99, s.first_token_p50,"
                + " coalesce(s.total_tokens, 0) as total_tokens, coalesce(s.total_cost, 0) as total_cost,"
                + (withFeedback ? " coalesce(fb.scores, '[]') as feedback" : " '[]'::jsonb as feedback")
                + " from buckets b left join stats s on s.start = b.start"
                + (withFeedback ? " left join feedback fb on fb.start = b.start" : "")
                + " order by b.start");
        return sql.read(query.sql(), query.tuple()).map(rows -> {
            List<TimeSeriesPoint> points = new ArrayList<>();
            for (Row row : rows) {
                points.add(new TimeSeriesPoint(
                        row.getOffsetDateTime("start"),
                        row.getLong("run_count"),
                        row.getLong("error_count"),
                        row.getDouble("latency_p50"),
                        row.getDouble("latency_p99"),
                        row.getDouble("first_token_p50"),
                        row.getLong("total_tokens"),
                        row.getBigDecimal("total_cost"),
                        feedbackScores((JsonArray) row.getValue("feedback"))));
            }
            return points;
        });
    }

    /** The {@code stats} common table expression of {@link #timeSeries}, computed from the runs. */
    private static void timeSeriesStatsFromRuns(
            SqlBuilder query,
            UUID tenantId,
            RunFilter filter,
            OffsetDateTime from,
            OffsetDateTime to,
            TimeBucket bucket) {
        query.append(" stats as (select date_trunc('")
                .append(bucket.sqlUnit())
                .append("', r.start_time at time zone 'UTC') as start, count(*) as run_count,")
                .append(" count(*) filter (where r.status = 'error') as error_count,")
                .append(" percentile_cont(0.5) within group (order by r.latency_seconds) as latency_p50,")
                .append(" percentile_cont(0.99) within group (order by r.latency_seconds) as latency_p99,")
                .append(" percentile_cont(0.5) within group (order by " + FIRST_TOKEN_SECONDS + ") as first_token_p50,")
                .append(" sum(r.total_tokens) as total_tokens, sum(r.total_cost) as total_cost")
                .append(" from runs r where ");
        inWindow(query, tenantId, filter, from, to);
        query.append(" group by 1)");
    }

    /**
     * The most frequent values of each run facet over the runs that match (see {@link RunFacetSql}),
     * at most {@code limit} values per facet, ordered by facet, count (descending) and value.
     */
    public Uni<List<RunFacet>> facets(UUID tenantId, RunFilter filter, int limit) {
        SqlBuilder query = RunFacetSql.query(tenantId, "null::uuid", q -> RunFilterSql.append(q, filter), limit)
                .planForValues();
        return sql.read(query.sql(), query.tuple()).map(rows -> {
            List<RunFacet> facets = new ArrayList<>();
            rows.forEach(row -> facets.add(RunFacetSql.read(row)));
            return facets;
        });
    }

    /** The ids of the runs that match, with the same conditions as every aggregate here: to inspect plans. */
    static SqlBuilder matchingRunIds(UUID tenantId, RunFilter filter) {
        SqlBuilder query = new SqlBuilder().planForValues().append("select r.id");
        from(query, tenantId, filter);
        return query;
    }

    private static void from(SqlBuilder query, UUID tenantId, RunFilter filter) {
        query.append(" from runs r where r.tenant_id = ")
                .param(tenantId, "uuid")
                .append(" and ");
        RunFilterSql.append(query, filter);
    }

    private static List<Quantile> quantiles(List<Double> probabilities, Double[] values) {
        List<Quantile> quantiles = new ArrayList<>(probabilities.size());
        for (int i = 0; i < probabilities.size(); i++) {
            quantiles.add(new Quantile(probabilities.get(i), values == null ? null : values[i]));
        }
        return quantiles;
    }

    /** The value below which this share of the values falls; null when there are no values. */
    public record Quantile(double probability, Double seconds) {}

    /** Aggregates of the runs that match a filter. */
    public record RunStats(
            long runCount,
            long errorCount,
            List<Quantile> latency,
            List<Quantile> firstToken,
            long totalTokens,
            long promptTokens,
            long completionTokens,
            BigDecimal totalCost,
            BigDecimal promptCost,
            BigDecimal completionCost,
            /** Matching llm runs with tokens and no cost; null when not asked for. */
            Long unpricedRunCount) {

        /** The aggregates of no runs. */
        static RunStats none(List<Double> probabilities) {
            List<Quantile> unknown = quantiles(probabilities, null);
            return new RunStats(0, 0, unknown, unknown, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0L);
        }
    }

    /** Aggregates of the matching runs that started in one bucket. */
    public record TimeSeriesPoint(
            OffsetDateTime start,
            long runCount,
            long errorCount,
            Double latencyP50,
            Double latencyP99,
            Double firstTokenP50,
            long totalTokens,
            BigDecimal totalCost,
            List<FeedbackScore> feedback) {}

    /** How much feedback was given under a key and the mean of its numeric scores (null when none). */
    public record FeedbackScore(String key, long count, Double meanScore) {}

    private static List<FeedbackScore> feedbackScores(JsonArray scores) {
        List<FeedbackScore> result = new ArrayList<>(scores.size());
        for (int i = 0; i < scores.size(); i++) {
            JsonArray score = scores.getJsonArray(i);
            Number mean = (Number) score.getValue(2);
            result.add(
                    new FeedbackScore(score.getString(0), score.getLong(1), mean == null ? null : mean.doubleValue()));
        }
        return result;
    }
}
