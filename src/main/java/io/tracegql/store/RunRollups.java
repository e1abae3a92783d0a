package io.tracegql.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.domain.RunFilter;
import io.tracegql.domain.TimeBucket;

/**
 * Aggregates read from the rollups that a trigger on runs keeps (migration V15): counts and sums
 * exactly, quantiles from log-bucketed histograms within {@code rollup_relative_error()} (1%) of the
 * exact value, each in one statement whose cost follows the number of hours with runs, not the number
 * of runs. {@link #answers} says which filters they can answer; the callers read the runs for any
 * other.
 */
@ApplicationScoped
public class RunRollups {

    /** The rollup grain of a project's whole life (run_rollups.bucket_start). */
    private static final String ALL_TIME = "'-infinity'::timestamptz";

    /**
     * All projects of the tenant $1: named, so that rollups are read by their primary key, project by
     * project, instead of every row of the tenant (hours included) being filtered.
     */
    private static final String TENANT_PROJECTS = "project_id in (select p.id from projects p where p.tenant_id = $1)";

    /**
     * Every project's stats from project_rollup_stats (migration V15), in one statement: PostgreSQL
     * inlines the function, so each project costs a few index lookups of the rollups.
     */
    static final String PROJECT_STATS = "select p.id as project_id, s.* from unnest($2::uuid[]) as p (id)"
            + " cross join lateral project_rollup_stats($1, p.id) as s";

    private final Sql sql;

    public RunRollups(Sql sql) {
        this.sql = sql;
    }

    /** Whether the rollups answer aggregates of the runs this filter matches: only when it matches every run. */
    public static boolean answers(RunFilter filter) {
        return filter instanceof RunFilter.All all && all.filters().isEmpty();
    }

    /**
     * Whether the rollups answer a time series: a filter they answer, buckets of an hour or more, and a
     * window on whole UTC hours (the rollups' grain), so that each hour is in or out as a whole.
     */
    public static boolean answers(RunFilter filter, OffsetDateTime from, OffsetDateTime to, TimeBucket bucket) {
        return answers(filter) && bucket != TimeBucket.MINUTE && wholeHour(from) && wholeHour(to);
    }

    private static boolean wholeHour(OffsetDateTime time) {
        OffsetDateTime utc = time.withOffsetSameInstant(ZoneOffset.UTC);
        return utc.truncatedTo(ChronoUnit.HOURS).equals(utc);
    }

    /** {@link ProjectStore#statsByProjectIds}'s figures of each project, in the order of the ids. */
    Uni<List<ProjectStats>> projectStats(UUID tenantId, List<UUID> projectIds, boolean withUnpriced) {
        UUID[] ids = RunStore.distinct(projectIds);
        return sql.read(PROJECT_STATS, Tuple.of(tenantId, ids)).map(rows -> {
            Map<UUID, ProjectStats> byId = new HashMap<>();
            for (Row row : rows) {
                byId.put(row.getUUID("project_id"), ProjectStore.readStats(row, withUnpriced));
            }
            List<ProjectStats> ordered = new ArrayList<>(projectIds.size());
            projectIds.forEach(id -> ordered.add(byId.get(id)));
            return ordered;
        });
    }

    /**
     * {@link RunAnalytics#statsByProjectIds}'s figures over every run of each project (all of the
     * tenant's runs as one group when projectIds is null).
     */
    Uni<List<RunAnalytics.RunStats>> runStats(
            UUID tenantId, List<UUID> projectIds, List<Double> probabilities, boolean withUnpriced) {
        String group = projectIds == null ? "null::uuid" : "project_id";
        String projects = projectIds == null ? TENANT_PROJECTS : "project_id = any($2)";
        String probabilitiesParameter = projectIds == null ? "$2::float8[]" : "$3::float8[]";
        String query = "with counts as (select " + group + " as grp, sum(runs)::bigint as run_count,"
                + " coalesce(sum(runs) filter (where status = 'error'), 0)::bigint as error_count,"
                + " sum(total_tokens)::bigint as total_tokens, sum(prompt_tokens)::bigint as prompt_tokens,"
                + " sum(completion_tokens)::bigint as completion_tokens, sum(total_cost) as total_cost,"
                + " sum(prompt_cost) as prompt_cost, sum(completion_cost) as completion_cost,"
                + " sum(unpriced_runs) filter (where run_type = 'llm')::bigint as unpriced_run_count"
                + " from run_rollup_counts where tenant_id = $1 and " + projects + " and bucket_start = " + ALL_TIME
                + " group by 1), "
                + quantiles(group, projects + " and bucket_start = " + ALL_TIME, probabilitiesParameter)
                + " select c.*, l.q as latency, f.q as first_token from counts c"
                + " left join quantiles l on l.grp is not distinct from c.grp and l.measure = 'latency'"
                + " left join quantiles f on f.grp is not distinct from c.grp and f.measure = 'first_token'";
        Double[] quantiles = probabilities.toArray(Double[]::new);
        Tuple parameters = projectIds == null
                ? Tuple.of(tenantId, quantiles)
                : Tuple.of(tenantId, RunStore.distinct(projectIds), quantiles);
        return sql.read(query, parameters).map(rows -> {
            Map<UUID, RunAnalytics.RunStats> byProject = new HashMap<>();
            RunAnalytics.RunStats all = null;
            for (Row row : rows) {
                RunAnalytics.RunStats stats = RunAnalytics.readStats(row, probabilities, withUnpriced);
                if (projectIds == null) {
                    all = stats;
                } else {
                    byProject.put(row.getUUID("grp"), stats);
                }
            }
            RunAnalytics.RunStats none = RunAnalytics.RunStats.none(probabilities);
            if (projectIds == null) {
                return List.of(all == null ? none : all);
            }
            return projectIds.stream()
                    .map(id -> byProject.getOrDefault(id, none))
                    .toList();
        });
    }

    /**
     * The {@code stats} common table expression of {@link RunAnalytics#timeSeries} read from the hourly
     * rollups: per bucket start, the run and error counts, latency p50 and p99, first-token p50 and
     * token and cost sums of the tenant's runs that started in [from, to).
     */
    static void appendTimeSeriesStats(
            SqlBuilder query, UUID tenantId, OffsetDateTime from, OffsetDateTime to, TimeBucket bucket) {
        String start = "date_trunc('" + bucket.sqlUnit() + "', bucket_start at time zone 'UTC')";
        query.append(" hour_counts as (select ")
                .append(start)
                .append(" as start, sum(runs)::bigint as run_count,"
                        + " sum(runs) filter (where status = 'error')::bigint as error_count,"
                        + " sum(total_tokens)::bigint as total_tokens, sum(total_cost) as total_cost"
                        + " from run_rollup_counts where tenant_id = ")
                .param(tenantId, "uuid");
        inWindow(query, tenantId, from, to);
        query.append(" group by 1), hour_buckets as (select ")
                .append(start)
                .append(" as start, measure, bucket, sum(runs)::bigint as n from run_rollup_buckets where tenant_id = ")
                .param(tenantId, "uuid");
        inWindow(query, tenantId, from, to);
        query.append(" group by 1, 2, 3 having sum(runs) > 0), hour_quantiles as (select start, measure,"
                + " rollup_quantiles(array_agg(bucket order by bucket), array_agg(n order by bucket),"
                + " '{0.5,0.99}'::float8[]) as q from hour_buckets group by 1, 2),"
                + " stats as (select c.start, c.run_count, c.error_count, l.q[1] as latency_p50,"
                + " l.q[2] as latency_p99, f.q[1] as first_token_p50, c.total_tokens, c.total_cost"
                + " from hour_counts c left join hour_quantiles l on l.start = c.start and l.measure = 'latency'"
                + " left join hour_quantiles f on f.start = c.start and f.measure = 'first_token')");
    }

    /** Rollup rows of the tenant's projects (see {@link #TENANT_PROJECTS}) whose hour is in [from, to). */
    private static void inWindow(SqlBuilder query, UUID tenantId, OffsetDateTime from, OffsetDateTime to) {
        query.append(" and project_id in (select p.id from projects p where p.tenant_id = ")
                .param(tenantId, "uuid")
                .append(") and bucket_start >= ")
                .param(from, "timestamptz")
                .append(" and bucket_start < ")
                .param(to, "timestamptz");
    }

    /** Moves up to this many pending changes into the compacted rollups; how many it moved. */
    public Uni<Integer> compact(int maxChanges) {
        return sql.query("select run_rollups_compact($1) as moved", Tuple.of(maxChanges))
                .map(rows -> rows.iterator().next().getInteger("moved"));
    }

    /**
     * A common table expression {@code quantiles (grp, measure, q)}: per group and measure, the
     * quantiles at these probabilities of the merged histograms of the rollup rows that match.
     */
    private static String quantiles(String group, String condition, String probabilities) {
        return "quantiles as (select grp, measure, rollup_quantiles(array_agg(bucket order by bucket),"
                + " array_agg(n order by bucket), " + probabilities + ") as q from (select " + group
                + " as grp, measure, bucket, sum(runs)::bigint as n from run_rollup_buckets where tenant_id = $1 and "
                + condition + " group by 1, 2, 3 having sum(runs) > 0) as b group by 1, 2)";
    }
}
