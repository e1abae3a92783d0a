package io.tracegql.store;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;

/**
 * Reads runs. Every method takes the tenant and a set of columns, and each batched method answers a
 * whole list of keys with one statement, returning results in key order.
 */
@ApplicationScoped
public class RunStore {

    private final Sql sql;

    public RunStore(Sql sql) {
        this.sql = sql;
    }

    /** Runs by id, in the order of the ids; null where a run does not exist. */
    public Uni<List<RunRecord>> runsByIds(UUID tenantId, List<UUID> ids, Set<RunColumn> columns) {
        return runsByIds(tenantId, ids, RunFilter.none(), columns);
    }

    /** Runs by id, in the order of the ids; null where a run does not exist or does not match the filter. */
    public Uni<List<RunRecord>> runsByIds(UUID tenantId, List<UUID> ids, RunFilter filter, Set<RunColumn> columns) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        SqlBuilder query = new SqlBuilder()
                .append("select ")
                .append(RunColumn.selectList(columns))
                .append(" from runs r where r.tenant_id = ")
                .param(tenantId, "uuid")
                .append(" and r.id = any(")
                .param(distinct(ids), "uuid[]")
                .append(") and ");
        RunFilterSql.append(query, filter);
        return sql.query(query.sql(), query.tuple()).map(rows -> {
            Map<UUID, RunRecord> byId = new HashMap<>();
            for (Row row : rows) {
                RunRecord run = RunColumn.read(row, columns);
                byId.put(run.id(), run);
            }
            List<RunRecord> ordered = new ArrayList<>(ids.size());
            ids.forEach(id -> ordered.add(byId.get(id)));
            return ordered;
        });
    }

    /** The child runs of each parent, in execution order, in the order of the parent ids. */
    public Uni<List<List<RunRecord>>> childRunsByParentIds(
            UUID tenantId, List<UUID> parentIds, Set<RunColumn> columns) {
        if (parentIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String query = "select " + RunColumn.selectList(columns)
                + " from runs r where r.tenant_id = $1 and r.parent_run_id = any($2::uuid[])"
                + " order by r.dotted_order";
        return sql.query(query, Tuple.of(tenantId, distinct(parentIds)))
                .map(rows -> groupByKey(parentIds, RunColumn.readAll(rows, columns), RunRecord::parentRunId));
    }

    /** The ids of each parent's child runs, in execution order, in the order of the parent ids. */
    public Uni<List<List<UUID>>> childRunIdsByParentIds(UUID tenantId, List<UUID> parentIds) {
        if (parentIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String query = "select r.parent_run_id, r.id from runs r"
                + " where r.tenant_id = $1 and r.parent_run_id = any($2::uuid[]) order by r.dotted_order";
        return sql.query(query, Tuple.of(tenantId, distinct(parentIds))).map(rows -> {
            List<Row> children = new ArrayList<>();
            rows.forEach(children::add);
            return groupByKey(parentIds, children, row -> row.getUUID("parent_run_id")).stream()
                    .map(group -> group.stream().map(row -> row.getUUID("id")).toList())
                    .toList();
        });
    }

    /** All runs of a trace in execution order; empty when the trace does not exist. */
    public Uni<List<RunRecord>> traceRuns(UUID tenantId, UUID traceId, Set<RunColumn> columns) {
        String query = "select " + RunColumn.selectList(columns)
                + " from runs r where r.tenant_id = $1 and r.trace_id = $2 order by r.dotted_order";
        return sql.query(query, Tuple.of(tenantId, traceId)).map(rows -> RunColumn.readAll(rows, columns));
    }

    /**
     * One keyset page of the runs that match a filter. Runs without a value for the sort field come
     * last in both directions; ties are broken by id in the sort direction.
     */
    public Uni<RunPage> page(
            UUID tenantId,
            RunFilter filter,
            RunSortField sortField,
            SortDirection direction,
            int first,
            RunCursor after,
            Set<RunColumn> columns) {
        RunColumn sortColumn = sortColumn(sortField);
        EnumSet<RunColumn> selected = EnumSet.of(sortColumn);
        selected.addAll(columns);
        String column = "r." + sortColumn.name().toLowerCase();
        String type = sqlType(sortField);
        boolean desc = direction == SortDirection.DESC;
        String comparison = desc ? " < " : " > ";

        SqlBuilder query = new SqlBuilder()
                .append("select ")
                .append(RunColumn.selectList(selected))
                .append(" from runs r where r.tenant_id = ")
                .param(tenantId, "uuid")
                .append(" and ");
        RunFilterSql.append(query, filter);
        if (after != null) {
            Object value = after.typedValue();
            if (value == null) {
                query.append(" and ").append(column).append(" is null and r.id").append(comparison);
                query.param(after.id(), "uuid");
            } else {
                query.append(" and ((")
                        .append(column)
                        .append(", r.id)")
                        .append(comparison)
                        .append("(");
                query.param(value, type).append(", ").param(after.id(), "uuid").append(")");
                if (sortField != RunSortField.START_TIME) {
                    query.append(" or ").append(column).append(" is null");
                }
                query.append(")");
            }
        }
        String order = desc ? " desc" : " asc";
        // start_time is never null: leaving out "nulls last" lets the (start_time desc, id desc)
        // indexes serve the order without a sort.
        query.append(" order by ")
                .append(column)
                .append(order)
                .append(sortField == RunSortField.START_TIME ? "" : " nulls last")
                .append(", r.id")
                .append(order);
        query.append(" limit ").param(first + 1, "int4");

        return sql.query(query.sql(), query.tuple()).map(rows -> {
            List<RunRecord> runs = RunColumn.readAll(rows, selected);
            boolean hasNext = runs.size() > first;
            return new RunPage(hasNext ? runs.subList(0, first) : runs, hasNext);
        });
    }

    private static RunColumn sortColumn(RunSortField field) {
        return switch (field) {
            case START_TIME -> RunColumn.START_TIME;
            case LATENCY -> RunColumn.LATENCY_SECONDS;
            case TOTAL_TOKENS -> RunColumn.TOTAL_TOKENS;
            case TOTAL_COST -> RunColumn.TOTAL_COST;
        };
    }

    private static String sqlType(RunSortField field) {
        return switch (field) {
            case START_TIME -> "timestamptz";
            case LATENCY -> "float8";
            case TOTAL_TOKENS -> "int4";
            case TOTAL_COST -> "numeric";
        };
    }

    static UUID[] distinct(List<UUID> ids) {
        return ids.stream().distinct().toArray(UUID[]::new);
    }

    static <T> List<List<T>> groupByKey(List<UUID> keys, List<T> items, Function<T, UUID> key) {
        Map<UUID, List<T>> grouped = new HashMap<>();
        for (T item : items) {
            grouped.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
        }
        List<List<T>> ordered = new ArrayList<>(keys.size());
        keys.forEach(k -> ordered.add(grouped.getOrDefault(k, List.of())));
        return ordered;
    }
}
