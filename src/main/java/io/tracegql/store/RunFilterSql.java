package io.tracegql.store;

import java.util.Map;
import java.util.UUID;

import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunStatus;
import io.tracegql.domain.RunType;

/** Turns a {@link RunFilter} into a SQL condition on the runs table (alias {@code r}). */
final class RunFilterSql {

    private RunFilterSql() {}

    /** Appends the condition, always a complete boolean expression ("true" when nothing is asked). */
    static void append(SqlBuilder sql, RunFilter filter) {
        sql.append("(true");
        if (filter.ids() != null) {
            sql.append(" and r.id = any(")
                    .param(filter.ids().toArray(UUID[]::new), "uuid[]")
                    .append(")");
        }
        if (filter.projectId() != null) {
            sql.append(" and r.project_id = ").param(filter.projectId(), "uuid");
        }
        if (filter.traceId() != null) {
            sql.append(" and r.trace_id = ").param(filter.traceId(), "uuid");
        }
        if (filter.parentRunId() != null) {
            sql.append(" and r.parent_run_id = ").param(filter.parentRunId(), "uuid");
        }
        if (filter.isRoot() != null) {
            sql.append(filter.isRoot() ? " and r.parent_run_id is null" : " and r.parent_run_id is not null");
        }
        if (filter.runTypes() != null) {
            String[] types = filter.runTypes().stream().map(RunType::wireName).toArray(String[]::new);
            sql.append(" and r.run_type = any(").param(types, "text[]").append(")");
        }
        if (filter.statuses() != null) {
            String[] statuses =
                    filter.statuses().stream().map(RunStatus::wireName).toArray(String[]::new);
            sql.append(" and r.status = any(").param(statuses, "text[]").append(")");
        }
        if (filter.hasError() != null) {
            sql.append(filter.hasError() ? " and r.error is not null" : " and r.error is null");
        }
        if (filter.name() != null) {
            sql.append(" and r.name = ").param(filter.name(), "text");
        }
        if (filter.tagsAny() != null) {
            sql.append(" and r.tags && ").param(filter.tagsAny().toArray(String[]::new), "text[]");
        }
        if (filter.tagsAll() != null) {
            sql.append(" and r.tags @> ").param(filter.tagsAll().toArray(String[]::new), "text[]");
        }
        if (filter.startedAfter() != null) {
            sql.append(" and r.start_time >= ").param(filter.startedAfter(), "timestamptz");
        }
        if (filter.startedBefore() != null) {
            sql.append(" and r.start_time < ").param(filter.startedBefore(), "timestamptz");
        }
        range(sql, "r.latency_seconds", filter.minLatencySeconds(), filter.maxLatencySeconds(), "float8");
        range(sql, "r.total_tokens", filter.minTotalTokens(), filter.maxTotalTokens(), "int8");
        range(sql, "r.total_cost", filter.minTotalCost(), filter.maxTotalCost(), "numeric");
        if (filter.metadata() != null) {
            for (Map.Entry<String, String> entry : filter.metadata().entrySet()) {
                // Containment, so that the GIN index on extra->'metadata' serves it.
                sql.append(" and r.extra -> 'metadata' @> jsonb_build_object(")
                        .param(entry.getKey(), "text")
                        .append(", ")
                        .param(entry.getValue(), "text")
                        .append(")");
            }
        }
        if (filter.feedback() != null) {
            RunFilter.FeedbackCondition feedback = filter.feedback();
            sql.append(" and exists (select 1 from feedback f where f.tenant_id = r.tenant_id"
                            + " and f.run_id = r.id and f.key = ")
                    .param(feedback.key(), "text");
            range(sql, "f.score", feedback.minScore(), feedback.maxScore(), "float8");
            sql.append(")");
        }
        if (filter.search() != null) {
            // The same expression as the runs_search index: only then can the GIN index serve it.
            sql.append(" and r.search_vector @@ websearch_to_tsquery('simple', ")
                    .param(filter.search(), "text")
                    .append(")");
        }
        if (filter.and() != null) {
            for (RunFilter nested : filter.and()) {
                sql.append(" and ");
                append(sql, nested);
            }
        }
        if (filter.or() != null && !filter.or().isEmpty()) {
            sql.append(" and (false");
            for (RunFilter nested : filter.or()) {
                sql.append(" or ");
                append(sql, nested);
            }
            sql.append(")");
        }
        sql.append(")");
    }

    private static void range(SqlBuilder sql, String column, Object min, Object max, String type) {
        if (min != null) {
            sql.append(" and ").append(column).append(" >= ").param(min, type);
        }
        if (max != null) {
            sql.append(" and ").append(column).append(" <= ").param(max, type);
        }
    }
}
