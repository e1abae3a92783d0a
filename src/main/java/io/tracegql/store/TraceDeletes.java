package io.tracegql.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.domain.RunFilter;

/**
 * Deletes whole traces with everything that hangs off their runs (feedback, attachments, waiting
 * patches, share links), a bounded batch of traces per transaction, so that a large deletion never
 * holds locks for long nor keeps ingest out: each batch commits on its own, and the next picks the
 * next traces. Traces are chosen by their root run in the project, oldest first.
 */
@ApplicationScoped
public class TraceDeletes {

    /** Traces deleted, runs deleted, and how long it took. */
    public record Deleted(long traces, long runs, Duration took) {
        static final Deleted NONE = new Deleted(0, 0, Duration.ZERO);

        Deleted plus(Deleted other) {
            return new Deleted(traces + other.traces, runs + other.runs, took.plus(other.took));
        }
    }

    /** How long a project keeps its traces; null parts keep them. */
    public record Retention(UUID projectId, Integer maxAgeDays, Integer maxTraces) {
        public boolean keepsEverything() {
            return maxAgeDays == null && maxTraces == null;
        }
    }

    /** A project's retention, with its tenant. */
    public record ProjectRetention(UUID tenantId, Retention retention) {}

    private final Sql sql;
    private final int batchSize;

    public TraceDeletes(Sql sql, io.tracegql.config.TracegqlConfig config) {
        this.sql = sql;
        this.batchSize = config.retention().batchSize();
    }

    /** Deletes the given traces of the project (at most one batch of ids). */
    public Uni<Deleted> deleteTraces(UUID tenantId, UUID projectId, List<UUID> traceIds) {
        return deleteBatches(tenantId, projectId, root -> root.append("r.trace_id = any(")
                .param(traceIds.toArray(UUID[]::new), "uuid[]")
                .append(")"));
    }

    /** Deletes every trace of the project whose root run matches the filter. */
    public Uni<Deleted> deleteMatching(UUID tenantId, UUID projectId, RunFilter rootFilter) {
        return deleteBatches(tenantId, projectId, root -> RunFilterSql.append(root, rootFilter));
    }

    /** Deletes the project's traces that its retention no longer keeps. */
    public Uni<Deleted> applyRetention(UUID tenantId, Retention retention) {
        if (retention.keepsEverything()) {
            return Uni.createFrom().item(Deleted.NONE);
        }
        return deleteBatches(tenantId, retention.projectId(), root -> {
            List<String> reasons = new ArrayList<>();
            if (retention.maxAgeDays() != null) {
                root.append("(r.start_time < now() - make_interval(days => ")
                        .param(retention.maxAgeDays(), "int")
                        .append(")");
                reasons.add("age");
            }
            if (retention.maxTraces() != null) {
                root.append(reasons.isEmpty() ? "(" : " or ")
                        // The newest N roots are kept: older than the N-th newest goes.
                        .append(
                                "(r.start_time, r.id) < (select k.start_time, k.id from runs k where k.tenant_id = r.tenant_id"
                                        + " and k.project_id = r.project_id and k.parent_run_id is null"
                                        + " order by k.start_time desc, k.id desc offset ")
                        .param(retention.maxTraces() - 1, "int")
                        .append(" limit 1)");
            }
            root.append(")");
        });
    }

    /** Every project that keeps its traces for a limited time or count. */
    public Uni<List<ProjectRetention>> retentions() {
        return sql.query(
                        "select tenant_id, id, retention_max_age_days, retention_max_traces from projects"
                                + " where retention_max_age_days is not null or retention_max_traces is not null",
                        Tuple.tuple())
                .map(rows -> {
                    List<ProjectRetention> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(new ProjectRetention(row.getUUID("tenant_id"), retentionOf(row)));
                    }
                    return found;
                });
    }

    /** The retention of each project, in the order of the ids (null where the tenant has no such project). */
    public Uni<List<Retention>> retentionsByProjectIds(UUID tenantId, List<UUID> projectIds) {
        return sql.query(
                        "select id, retention_max_age_days, retention_max_traces from projects"
                                + " where tenant_id = $1 and id = any($2::uuid[])",
                        Tuple.of(tenantId, projectIds.toArray(UUID[]::new)))
                .map(rows -> {
                    java.util.Map<UUID, Retention> byId = new java.util.HashMap<>();
                    for (Row row : rows) {
                        byId.put(row.getUUID("id"), retentionOf(row));
                    }
                    return projectIds.stream().map(byId::get).toList();
                });
    }

    /** Sets a project's retention; false when the tenant has no such project. */
    public Uni<Boolean> setRetention(UUID tenantId, Retention retention) {
        return sql.query(
                        "update projects set retention_max_age_days = $3, retention_max_traces = $4"
                                + " where tenant_id = $1 and id = $2",
                        Tuple.of(tenantId, retention.projectId(), retention.maxAgeDays(), retention.maxTraces()))
                .map(rows -> rows.rowCount() > 0);
    }

    private static Retention retentionOf(Row row) {
        return new Retention(
                row.getUUID("id"), row.getInteger("retention_max_age_days"), row.getInteger("retention_max_traces"));
    }

    /** One batch after another until a batch finds fewer traces than it may take. */
    private Uni<Deleted> deleteBatches(UUID tenantId, UUID projectId, Consumer<SqlBuilder> rootCondition) {
        return deleteFrom(tenantId, projectId, rootCondition, Deleted.NONE);
    }

    private Uni<Deleted> deleteFrom(UUID tenantId, UUID projectId, Consumer<SqlBuilder> rootCondition, Deleted sofar) {
        long started = System.nanoTime();
        SqlBuilder query = new SqlBuilder()
                .append("with doomed_traces as (select r.trace_id from runs r where r.tenant_id = ")
                .param(tenantId, "uuid")
                .append(" and r.project_id = ")
                .param(projectId, "uuid")
                .append(" and r.parent_run_id is null and ");
        rootCondition.accept(query);
        query.append(" order by r.start_time, r.id limit ")
                .param(batchSize, "int")
                .append("), doomed as (select d.tenant_id, d.id from runs d where d.tenant_id = $1"
                        + " and d.trace_id in (select trace_id from doomed_traces)),"
                        + " gone_feedback as (delete from feedback f using doomed d"
                        + " where f.tenant_id = d.tenant_id and f.run_id = d.id),"
                        + " gone_attachments as (delete from run_attachments a using doomed d"
                        + " where a.tenant_id = d.tenant_id and a.run_id = d.id),"
                        + " gone_patches as (delete from run_patches p using doomed d"
                        + " where p.tenant_id = d.tenant_id and p.run_id = d.id),"
                        + " gone_shares as (delete from run_shares s where s.tenant_id = $1"
                        + " and s.trace_id in (select trace_id from doomed_traces)),"
                        + " gone as (delete from runs r using doomed d where r.tenant_id = d.tenant_id and r.id = d.id"
                        + " returning r.trace_id)"
                        + " select (select count(*) from doomed_traces) as traces, count(*) as runs from gone");
        return sql.inTransaction(connection -> sql.query(connection, query.sql(), query.tuple()))
                .flatMap(rows -> {
                    Row row = rows.iterator().next();
                    long traces = row.getLong("traces");
                    Deleted total = sofar.plus(
                            new Deleted(traces, row.getLong("runs"), Duration.ofNanos(System.nanoTime() - started)));
                    return traces < batchSize
                            ? Uni.createFrom().item(total)
                            : deleteFrom(tenantId, projectId, rootCondition, total);
                });
    }
}
