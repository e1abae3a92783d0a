package io.tracegql.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

import io.tracegql.domain.SortDirection;
import io.tracegql.domain.TraceSortField;
import io.tracegql.domain.TraceTotal;
import io.tracegql.domain.TraceTotalsFilter;

/**
 * Reads traces: their root runs with the columns asked for and, when asked for or needed to filter or
 * sort, their totals from {@code trace_totals} (kept up to date by a trigger on {@code runs}, see
 * migration V10), in one statement. A page of a project's traces is a keyset page of its root runs;
 * sorted by a total it walks the index of that total, sorted by a field of the root the index of root
 * runs, so a page costs the same however many traces the project has.
 */
@ApplicationScoped
public class TraceStore {

    /** Prefix of the totals' columns in a result, apart from the root run's own token and cost columns. */
    private static final String TOTAL_ALIAS = "trace_";

    private final Sql sql;

    public TraceStore(Sql sql) {
        this.sql = sql;
    }

    /**
     * One keyset page of a project's traces that match the query. Traces without a value for the sort
     * field come last in both directions; ties are broken by trace id in the sort direction.
     */
    public Uni<TracePage> page(
            UUID tenantId, TraceQuery query, int first, TraceCursor after, RunSelection rootSelection, boolean totals) {
        TraceSortField sort = query.sortField();
        RunSelection selected = sort.rootField() == null ? rootSelection : rootSelection.with(sort.rootField());
        boolean withTotals = totals || query.needsTotals();
        SqlBuilder statement = pageQuery(tenantId, query, first, after, selected, withTotals);
        return sql.read(statement.sql(), statement.tuple()).map(rows -> {
            List<TraceRecord> traces = new ArrayList<>();
            for (Row row : rows) {
                RunRecord root = selected.read(row);
                traces.add(new TraceRecord(root.id(), root, withTotals ? readTotals(row) : null));
            }
            boolean hasNext = traces.size() > first;
            return new TracePage(hasNext ? traces.subList(0, first) : traces, hasNext);
        });
    }

    /** The statement of one page: first + 1 traces, to know whether more follow. */
    static SqlBuilder pageQuery(
            UUID tenantId, TraceQuery query, int first, TraceCursor after, RunSelection selected, boolean withTotals) {
        TraceSortField sort = query.sortField();
        SqlBuilder statement = new SqlBuilder().append("select ");
        selected.appendSelect(statement);
        if (withTotals) {
            appendTotalsSelect(statement);
        }
        statement.append(" from runs r");
        if (withTotals) {
            // The trace's project is its root's: the condition lets a sort by a total walk its index.
            statement
                    .append(" join trace_totals t on t.tenant_id = r.tenant_id and t.trace_id = r.trace_id")
                    .append(" and t.project_id = ")
                    .param(query.projectId(), "uuid");
        }
        statement.append(" where r.tenant_id = ").param(tenantId, "uuid");
        selected.appendPathChecks(statement);
        statement
                .append(" and r.project_id = ")
                .param(query.projectId(), "uuid")
                .append(" and r.parent_run_id is null and ");
        RunFilterSql.append(statement, query.roots());
        for (TraceTotalsFilter.Bound bound : query.totals().bounds()) {
            statement
                    .append(" and t.")
                    .append(bound.total().column())
                    .append(bound.atLeast() ? " >= " : " <= ")
                    .param(bound.value(), sqlType(bound.total().javaType()));
        }
        appendAfter(statement, sort, query.direction(), after);
        String order = query.direction() == SortDirection.DESC ? " desc" : " asc";
        statement
                .append(" order by ")
                .append(sortKey(sort))
                .append(order)
                .append(sort.alwaysValued() ? "" : " nulls last")
                .append(", ")
                .append(tieBreaker(sort))
                .append(order)
                .append(" limit ")
                .param(first + 1, "int4")
                // How many roots the filter skips before the page is full decides the best plan.
                .planForValues();
        return statement;
    }

    /**
     * Traces by id, in the order of the ids: each with its root (null while the root has not arrived)
     * and, when {@code totals}, its totals; null where the tenant has no run of that trace.
     */
    public Uni<List<TraceRecord>> tracesByIds(
            UUID tenantId, List<UUID> traceIds, RunSelection rootSelection, boolean totals) {
        if (traceIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        SqlBuilder statement = new SqlBuilder().append("select ");
        rootSelection.appendSelect(statement);
        statement.append(", t.trace_id as trace_key");
        if (totals) {
            appendTotalsSelect(statement);
        }
        statement
                .append(" from trace_totals t left join runs r on r.tenant_id = t.tenant_id and r.id = t.trace_id")
                .append(" and r.parent_run_id is null where t.tenant_id = ")
                .param(tenantId, "uuid");
        rootSelection.appendPathChecks(statement);
        statement
                .append(" and t.trace_id = any(")
                .param(RunStore.distinct(traceIds), "uuid[]")
                .append(")");
        return sql.read(statement.sql(), statement.tuple()).map(rows -> {
            Map<UUID, TraceRecord> byId = new HashMap<>();
            for (Row row : rows) {
                UUID traceId = row.getUUID("trace_key");
                RunRecord root = row.getUUID("id") == null ? null : rootSelection.read(row);
                byId.put(traceId, new TraceRecord(traceId, root, totals ? readTotals(row) : null));
            }
            List<TraceRecord> ordered = new ArrayList<>(traceIds.size());
            traceIds.forEach(id -> ordered.add(byId.get(id)));
            return ordered;
        });
    }

    /** The totals of traces by id, in the order of the ids; null where the tenant has no run of that trace. */
    public Uni<List<Map<TraceTotal, Object>>> totalsByTraceIds(UUID tenantId, List<UUID> traceIds) {
        return tracesByIds(tenantId, traceIds, RunSelection.of(Set.of()), true).map(traces -> traces.stream()
                .map(trace -> trace == null ? null : trace.totals())
                .toList());
    }

    private static void appendTotalsSelect(SqlBuilder statement) {
        for (TraceTotal total : TraceTotal.values()) {
            statement
                    .append(", t.")
                    .append(total.column())
                    .append(" as ")
                    .append(TOTAL_ALIAS)
                    .append(total.column());
        }
    }

    private static Map<TraceTotal, Object> readTotals(Row row) {
        Map<TraceTotal, Object> totals = new EnumMap<>(TraceTotal.class);
        for (TraceTotal total : TraceTotal.values()) {
            String column = TOTAL_ALIAS + total.column();
            Class<?> type = total.javaType();
            Object value = type == Long.class
                    ? row.getLong(column)
                    : type == BigDecimal.class ? row.getBigDecimal(column) : row.getOffsetDateTime(column);
            totals.put(total, value);
        }
        return totals;
    }

    /**
     * " and (key, id) after the cursor's": a row comparison an index seeks to. For a key that may be
     * null, which sorts last, the traces without a value follow those with one, and after a cursor
     * among them only they are left.
     */
    private static void appendAfter(
            SqlBuilder statement, TraceSortField sort, SortDirection direction, TraceCursor after) {
        if (after == null) {
            return;
        }
        String comparison = direction == SortDirection.DESC ? " < " : " > ";
        String key = sortKey(sort);
        if (after.value() == null) {
            statement
                    .append(" and ")
                    .append(key)
                    .append(" is null and ")
                    .append(tieBreaker(sort))
                    .append(comparison)
                    .param(after.traceId(), "uuid");
            return;
        }
        statement
                .append(" and (")
                .append("(")
                .append(key)
                .append(", ")
                .append(tieBreaker(sort))
                .append(")")
                .append(comparison)
                .append("(")
                .param(after.typedValue(), sqlType(sort.javaType()))
                .append(", ")
                .param(after.traceId(), "uuid")
                .append(")");
        if (!sort.alwaysValued()) {
            statement.append(" or ").append(key).append(" is null");
        }
        statement.append(")");
    }

    private static String sortKey(TraceSortField sort) {
        return sort.total() != null
                ? "t." + sort.total().column()
                : "r." + sort.rootField().column();
    }

    /** The trace id, as the index that serves the sort has it: the root's id is its trace's id. */
    private static String tieBreaker(TraceSortField sort) {
        return sort.total() != null ? "t.trace_id" : "r.id";
    }

    private static String sqlType(Class<?> type) {
        if (type == Long.class) {
            return "int8";
        }
        if (type == BigDecimal.class) {
            return "numeric";
        }
        if (type == Double.class) {
            return "float8";
        }
        if (type == OffsetDateTime.class) {
            return "timestamptz";
        }
        throw new IllegalArgumentException("traces are not sorted or filtered by values of " + type);
    }
}
