package io.tracegql.store;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;

/**
 * Reads runs. Every method takes the tenant and a selection (columns and JSON projections), and each
 * batched method answers a whole list of keys with one statement, returning results in key order.
 */
@ApplicationScoped
public class RunStore {

    private static final Pattern UNKNOWN_VARIABLE = Pattern.compile("could not find jsonpath variable \"(.*)\"");

    private final Sql sql;

    public RunStore(Sql sql) {
        this.sql = sql;
    }

    /** Runs by id, in the order of the ids; null where a run does not exist. */
    public Uni<List<RunRecord>> runsByIds(UUID tenantId, List<UUID> ids, RunSelection selection) {
        return runsByIds(tenantId, ids, RunFilter.none(), selection);
    }

    /** Runs by id, in the order of the ids; null where a run does not exist or does not match the filter. */
    public Uni<List<RunRecord>> runsByIds(UUID tenantId, List<UUID> ids, RunFilter filter, RunSelection selection) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        SqlBuilder query = select(selection, tenantId)
                .append(" and r.id = any(")
                .param(distinct(ids), "uuid[]")
                .append(") and ");
        RunFilterSql.append(query, filter);
        return read(query, selection).map(rows -> {
            Map<UUID, RunRecord> byId = new HashMap<>();
            for (Row row : rows) {
                RunRecord run = selection.read(row);
                byId.put(run.id(), run);
            }
            List<RunRecord> ordered = new ArrayList<>(ids.size());
            ids.forEach(id -> ordered.add(byId.get(id)));
            return ordered;
        });
    }

    /** The trace a run belongs to (its own id for a root); null when there is no such run. */
    public Uni<UUID> traceIdOf(UUID tenantId, UUID runId) {
        return runsByIds(tenantId, List.of(runId), RunSelection.of(Set.of()))
                .map(found -> found.get(0) == null ? null : found.get(0).<UUID>get(RunField.TRACE_ID));
    }

    /** The child runs of each parent, in execution order, in the order of the parent ids. */
    public Uni<List<List<RunRecord>>> childRunsByParentIds(
            UUID tenantId, List<UUID> parentIds, RunSelection selection) {
        if (parentIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        SqlBuilder query = select(selection, tenantId)
                .append(" and r.parent_run_id = any(")
                .param(distinct(parentIds), "uuid[]")
                .append(") order by r.dotted_order");
        return read(query, selection)
                .map(rows ->
                        groupByKey(parentIds, selection.readAll(rows), run -> run.<UUID>get(RunField.PARENT_RUN_ID)));
    }

    /** The ids of each parent's child runs, in execution order, in the order of the parent ids. */
    public Uni<List<List<UUID>>> childRunIdsByParentIds(UUID tenantId, List<UUID> parentIds) {
        if (parentIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String query = "select r.parent_run_id, r.id from runs r"
                + " where r.tenant_id = $1 and r.parent_run_id = any($2::uuid[]) order by r.dotted_order";
        return sql.read(query, Tuple.of(tenantId, distinct(parentIds))).map(rows -> {
            List<Row> children = new ArrayList<>();
            rows.forEach(children::add);
            return groupByKey(parentIds, children, row -> row.getUUID("parent_run_id")).stream()
                    .map(group -> group.stream().map(row -> row.getUUID("id")).toList())
                    .toList();
        });
    }

    /**
     * The turns (root runs) of each thread of a project, newest first, at most {@code limit} per
     * thread and after a cursor of that order if one is given, in the order of the thread ids: one
     * statement for all the threads, through the index of a project's thread roots.
     */
    public Uni<List<List<RunRecord>>> turnsByThreads(
            UUID tenantId, UUID projectId, List<String> threadIds, int limit, RunCursor after, RunSelection selection) {
        if (threadIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // The cursors of the turns are made of their start times.
        RunSelection selected = selection.with(RunField.START_TIME);
        SqlBuilder query = new SqlBuilder().append("select * from (");
        appendSelect(
                        query,
                        selected,
                        ", r.thread_id as turn_of_thread, row_number() over (partition by r.thread_id"
                                + " order by r.start_time desc, r.id desc) as turn",
                        tenantId)
                .append(" and r.project_id = ")
                .param(projectId, "uuid")
                .append(" and r.parent_run_id is null and r.thread_id = any(")
                .param(threadIds.stream().distinct().toArray(String[]::new), "text[]")
                .append(")");
        if (after != null) {
            query.append(" and (r.start_time, r.id) < (")
                    .param(after.typedValue(), "timestamptz")
                    .append(", ")
                    .param(after.id(), "uuid")
                    .append(")");
        }
        query.append(") as turns where turns.turn <= ").param(limit, "int4");
        return read(query, selected).map(rows -> {
            Map<String, List<RunRecord>> byThread = new HashMap<>();
            for (Row row : rows) {
                byThread.computeIfAbsent(row.getString("turn_of_thread"), k -> new ArrayList<>())
                        .add(selected.read(row));
            }
            List<List<RunRecord>> ordered = new ArrayList<>(threadIds.size());
            threadIds.forEach(id -> ordered.add(byThread.getOrDefault(id, List.of())));
            return ordered;
        });
    }

    /** All runs of each trace in execution order, in the order of the trace ids: one statement for them all. */
    public Uni<List<List<RunRecord>>> runsByTraceIds(UUID tenantId, List<UUID> traceIds, RunSelection selection) {
        if (traceIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        SqlBuilder query = select(selection, tenantId)
                .append(" and r.trace_id = any(")
                .param(distinct(traceIds), "uuid[]")
                .append(") order by r.trace_id, r.dotted_order");
        return read(query, selection)
                .map(rows -> groupByKey(traceIds, selection.readAll(rows), run -> run.<UUID>get(RunField.TRACE_ID)));
    }

    /** All runs of a trace in execution order; empty when the trace does not exist. */
    public Uni<List<RunRecord>> traceRuns(UUID tenantId, UUID traceId, RunSelection selection) {
        SqlBuilder query = select(selection, tenantId)
                .append(" and r.trace_id = ")
                .param(traceId, "uuid")
                .append(" order by r.dotted_order");
        return read(query, selection).map(selection::readAll);
    }

    /**
     * One keyset page of the runs that match a filter. Runs without a value for the sort field come
     * last in both directions; ties are broken by id in the sort direction.
     *
     * <p>Every condition is one an index can seek to, so a page deep in the list costs what the first
     * page costs. For a sort field that may be null, the runs with a value after the cursor are read
     * first; only when they do not fill the page does a second statement read the runs without a
     * value, which happens once, on the page where the one kind gives way to the other. A single
     * condition "after the cursor or null" would make PostgreSQL walk the index from the top and skip
     * every earlier page's rows one by one, and a union of both in one statement costs PostgreSQL
     * twice the planning on every page.
     */
    public Uni<RunPage> page(
            UUID tenantId,
            RunFilter filter,
            RunSortField sortField,
            SortDirection direction,
            int first,
            RunCursor after,
            RunSelection selection) {
        RunSelection selected = selection.with(sortField.field());
        SqlBuilder query = pageQuery(tenantId, filter, sortField, direction, first, after, selected);
        return read(query, selected)
                .flatMap(rows -> {
                    List<RunRecord> runs = selected.readAll(rows);
                    int missing = first + 1 - runs.size();
                    if (missing <= 0 || PageShape.of(sortField, direction, after) != PageShape.VALUES_THEN_NULLS) {
                        return Uni.createFrom().item(runs);
                    }
                    SqlBuilder nulls = withoutValueQuery(
                            new SqlBuilder(), tenantId, filter, sortField, direction, missing, null, selected);
                    return read(nulls, selected).map(more -> {
                        List<RunRecord> all = new ArrayList<>(runs);
                        all.addAll(selected.readAll(more));
                        return all;
                    });
                })
                .map(runs -> {
                    boolean hasNext = runs.size() > first;
                    return new RunPage(hasNext ? runs.subList(0, first) : runs, hasNext);
                });
    }

    /** How a page of runs in one sort order is read. */
    private enum PageShape {
        /** One statement in one index order: start_time (never null), or the first page largest first. */
        ONE_ORDER,
        /** After a cursor that is itself among the runs without a value: only they are left. */
        NULLS_ONLY,
        /** The runs with a value first, then, if they do not fill the page, the runs without one. */
        VALUES_THEN_NULLS;

        static PageShape of(RunSortField sortField, SortDirection direction, RunCursor after) {
            if (sortField == RunSortField.START_TIME || (after == null && direction == SortDirection.DESC)) {
                return ONE_ORDER;
            }
            return after != null && after.typedValue() == null ? NULLS_ONLY : VALUES_THEN_NULLS;
        }
    }

    /**
     * The first statement of one page: first + 1 runs, to know whether more follow. For a nullable sort
     * field these are the runs with a value, unless the whole page can be read in one index order.
     */
    static SqlBuilder pageQuery(
            UUID tenantId,
            RunFilter filter,
            RunSortField sortField,
            SortDirection direction,
            int first,
            RunCursor after,
            RunSelection selected) {
        return pageQuery(new SqlBuilder(), tenantId, filter, sortField, direction, first, after, selected);
    }

    /** The same, appended to a statement, with any select list of the runs {@code r}. */
    static SqlBuilder pageQuery(
            SqlBuilder target,
            UUID tenantId,
            RunFilter filter,
            RunSortField sortField,
            SortDirection direction,
            int first,
            RunCursor after,
            RunSelectList selected) {
        String column = sortField.field().column();
        boolean desc = direction == SortDirection.DESC;
        String order = desc ? " desc" : " asc";
        PageShape shape = PageShape.of(sortField, direction, after);
        if (shape == PageShape.NULLS_ONLY) {
            return withoutValueQuery(target, tenantId, filter, sortField, direction, first + 1, after, selected);
        }
        SqlBuilder query = matching(target, selected, tenantId, filter);
        if (sortField == RunSortField.START_TIME) {
            // start_time is never null: no "nulls last", so the (start_time desc, id desc) indexes serve
            // the order without a sort.
            appendAfter(query, column, desc, after, sortField);
            query.append(" order by r.")
                    .append(column)
                    .append(order)
                    .append(", r.id")
                    .append(order);
        } else if (shape == PageShape.ONE_ORDER) {
            // The first page, largest first: the (column desc nulls last, id desc) indexes give this
            // order with the runs without a value last, so one statement reads the whole page.
            query.append(" order by r.").append(column).append(" desc nulls last, r.id desc");
        } else {
            // The rows with a value never hold a null, so they may take the nulls placement the
            // (column desc nulls last) index gives in either direction.
            if (after == null) {
                query.append(" and r.").append(column).append(" is not null");
            } else {
                appendAfter(query, column, desc, after, sortField);
            }
            query.append(" order by r.")
                    .append(column)
                    .append(desc ? " desc nulls last" : " asc nulls first")
                    .append(", r.id")
                    .append(order);
        }
        query.append(" limit ").param(first + 1, "int4");
        return planDependsOnValues(filter) ? query.planForValues() : query;
    }

    /**
     * Whether how many rows a filter skips before a page is full, and so the best plan, depends on its
     * values. Not for ids, a project and root-ness alone: an index holds each such page in its order,
     * whatever the values, and a kept statement saves the planning of every execution (a fifth of a
     * project page's time in the database). Such a page is also left to the general path: a compiled
     * statement planned for its values at every request costs more than the general path's small one.
     */
    public static boolean planDependsOnValues(RunFilter filter) {
        if (filter == null) {
            return false;
        }
        if (filter instanceof RunFilter.All all) {
            return all.filters().stream().anyMatch(RunStore::planDependsOnValues);
        }
        return !(filter instanceof RunFilter.Compare compare
                && compare.op() == RunFilter.Op.EQ
                && PLANNED_ALIKE.contains(compare.field()));
    }

    private static final Set<RunFilterField> PLANNED_ALIKE = EnumSet.of(
            RunFilterField.ID,
            RunFilterField.TRACE_ID,
            RunFilterField.PARENT_RUN_ID,
            RunFilterField.PROJECT_ID,
            RunFilterField.IS_ROOT);

    /**
     * Whether a page in this order after this cursor may need the runs without a value after those with
     * one: then {@link #pageQuery} reads only the first, and {@link #withoutValueQuery} the others.
     */
    static boolean valuesThenNulls(RunSortField sortField, SortDirection direction, RunCursor after) {
        return PageShape.of(sortField, direction, after) == PageShape.VALUES_THEN_NULLS;
    }

    /** The runs without a value for the sort field, by id in the sort direction, after a cursor among them if any. */
    static SqlBuilder withoutValueQuery(
            SqlBuilder target,
            UUID tenantId,
            RunFilter filter,
            RunSortField sortField,
            SortDirection direction,
            int limit,
            RunCursor after,
            RunSelectList selected) {
        boolean desc = direction == SortDirection.DESC;
        SqlBuilder query = matching(target, selected, tenantId, filter)
                .append(" and r.")
                .append(sortField.field().column())
                .append(" is null");
        if (after != null) {
            query.append(" and r.id").append(desc ? " < " : " > ").param(after.id(), "uuid");
        }
        query.append(" order by r.id")
                .append(desc ? " desc" : " asc")
                .append(" limit ")
                .param(limit, "int4");
        return planDependsOnValues(filter) ? query.planForValues() : query;
    }

    /** " and (column, id) after the cursor's", a row comparison an index seeks to; nothing on the first page. */
    private static void appendAfter(
            SqlBuilder query, String column, boolean desc, RunCursor after, RunSortField sortField) {
        if (after == null) {
            return;
        }
        query.append(" and (r.")
                .append(column)
                .append(", r.id)")
                .append(desc ? " < (" : " > (")
                .param(after.typedValue(), sqlType(sortField))
                .append(", ")
                .param(after.id(), "uuid")
                .append(")");
    }

    /** "select ... from runs r where" the tenant and the paths' checks, ready for " and ...". */
    private static SqlBuilder select(RunSelection selection, UUID tenantId) {
        return appendSelect(new SqlBuilder(), selection, tenantId);
    }

    private static SqlBuilder appendSelect(SqlBuilder query, RunSelectList selection, UUID tenantId) {
        return appendSelect(query, selection, "", tenantId);
    }

    /** The same, with more columns after the selection's. */
    private static SqlBuilder appendSelect(SqlBuilder query, RunSelectList selection, String more, UUID tenantId) {
        query.append("select ");
        selection.appendSelect(query);
        query.append(more).append(" from runs r where r.tenant_id = ").param(tenantId, "uuid");
        selection.appendPathChecks(query);
        return query;
    }

    /** The select of the runs that match a filter, appended to query, ready for " and ...". */
    private static SqlBuilder matching(SqlBuilder query, RunSelectList selection, UUID tenantId, RunFilter filter) {
        appendSelect(query, selection, tenantId).append(" and ");
        RunFilterSql.append(query, filter);
        return query;
    }

    /**
     * Runs a read; when it fails and the selection has JSON paths, finds out whether PostgreSQL
     * refused one of them and which, so that the client hears about its path and not about SQL.
     * Only this failure path costs more statements: one per distinct path, until one is refused.
     */
    private Uni<RowSet<Row>> read(SqlBuilder query, RunSelection selection) {
        Uni<RowSet<Row>> rows = sql.read(query.sql(), query.tuple());
        if (selection.projections().isEmpty()) {
            return rows;
        }
        return rows.onFailure(PgException.class)
                .recoverWithUni(failure -> refusedPath(selection, (PgException) failure));
    }

    private <T> Uni<T> refusedPath(RunSelection selection, PgException failure) {
        Uni<Void> checks = Uni.createFrom().voidItem();
        Set<String> paths = new HashSet<>();
        for (JsonProjection projection : selection.projections()) {
            if (!paths.add(projection.path())) {
                continue;
            }
            checks = checks.flatMap(ignored -> sql.read("select $1::text::jsonpath", Tuple.of(projection.path()))
                    .onFailure(PgException.class)
                    .transform(e -> new InvalidJsonPathException(projection, ((PgException) e).getErrorMessage()))
                    .replaceWithVoid());
        }
        return checks.flatMap(ignored -> Uni.createFrom().failure(unknownVariable(selection, failure)));
    }

    /** Variables are syntactically valid but fail where the path is evaluated: name the path that uses one. */
    private static RuntimeException unknownVariable(RunSelection selection, PgException failure) {
        String message = String.valueOf(failure.getErrorMessage());
        Matcher variable = UNKNOWN_VARIABLE.matcher(message);
        if (!"42704".equals(failure.getSqlState()) || !variable.matches()) {
            return failure;
        }
        String name = "$" + variable.group(1);
        JsonProjection projection = selection.projections().stream()
                .filter(p -> p.path().contains(name))
                .findFirst()
                .orElse(selection.projections().get(0));
        return new InvalidJsonPathException(projection, "variables such as " + name + " are not supported");
    }

    private static String sqlType(RunSortField field) {
        return RunRows.sqlType(field.field());
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
