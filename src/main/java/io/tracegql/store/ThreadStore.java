package io.tracegql.store;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

import io.tracegql.domain.RunFilter;

/**
 * Reads threads: the root runs of a project grouped by thread id, with their figures computed in one
 * statement (through the (tenant, project, thread, start) index of root runs), newest conversation
 * first.
 */
@ApplicationScoped
public class ThreadStore {

    private static final String TURNS = "select r.thread_id, count(*) as turn_count,"
            + " min(r.start_time) as first_start_time, max(r.start_time) as last_start_time,"
            + " (array_agg(r.inputs_preview order by r.start_time, r.id))[1] as first_inputs_preview,"
            + " (array_agg(r.outputs_preview order by r.start_time desc, r.id desc))[1] as last_outputs_preview,"
            + " percentile_cont(0.5) within group (order by r.latency_seconds) as latency_p50,"
            + " percentile_cont(0.99) within group (order by r.latency_seconds) as latency_p99,"
            + " count(*) filter (where r.status = 'error') as error_count,"
            + " (array_agg(r.error_preview order by r.start_time desc, r.id desc)"
            + " filter (where r.status = 'error'))[1] as last_error";

    private static final String TURNS_FROM =
            " from runs r where r.parent_run_id is null and r.thread_id is not null and r.tenant_id = ";

    /** Token and cost sums over the llm runs of a thread's traces, for the thread {@code t}; then the tenant. */
    private static final String TOTALS = " left join lateral (select sum(l.prompt_tokens) as prompt_tokens,"
            + " sum(l.completion_tokens) as completion_tokens, sum(l.total_tokens) as total_tokens,"
            + " sum(l.prompt_cost) as prompt_cost, sum(l.completion_cost) as completion_cost,"
            + " sum(l.total_cost) as total_cost"
            + " from runs root join runs l on l.tenant_id = root.tenant_id and l.trace_id = root.trace_id"
            + " and l.run_type = 'llm'"
            + " where root.tenant_id = ";

    private final Sql sql;

    public ThreadStore(Sql sql) {
        this.sql = sql;
    }

    /** One keyset page of a project's threads, the one with the latest turn first. */
    public Uni<ThreadPage> page(UUID tenantId, UUID projectId, int first, ThreadCursor after, boolean totals) {
        return page(tenantId, projectId, RunFilter.none(), first, after, totals);
    }

    /**
     * The same, of the threads that have a turn (root run) matching {@code someTurn}; their figures
     * still cover all their turns.
     */
    public Uni<ThreadPage> page(
            UUID tenantId, UUID projectId, RunFilter someTurn, int first, ThreadCursor after, boolean totals) {
        return read(tenantId, projectId, totals, "", query -> {
                    someTurn(query, tenantId, projectId, someTurn);
                    query.append(" group by r.thread_id");
                    if (after != null) {
                        query.append(" having (max(r.start_time), r.thread_id) < (")
                                .param(after.lastStartTime(), "timestamptz")
                                .append(", ")
                                .param(after.threadId(), "text")
                                .append(")");
                    }
                    query.append(" order by last_start_time desc, r.thread_id desc limit ")
                            .param(first + 1, "int4");
                })
                .map(threads -> {
                    boolean hasNext = threads.size() > first;
                    return new ThreadPage(hasNext ? threads.subList(0, first) : threads, hasNext);
                });
    }

    /**
     * A page of a project's threads by offset, the one with the latest turn first, of the threads that
     * have a turn matching {@code someTurn}, with how many such threads there are in all: LangSmith's
     * run groups are paged this way. The total is counted in the same statement.
     */
    public Uni<ThreadOffsetPage> offsetPage(
            UUID tenantId, UUID projectId, RunFilter someTurn, int limit, int offset, boolean totals) {
        // The window counts the threads found, before the limit.
        return rows(tenantId, projectId, totals, ", count(*) over () as thread_total", query -> {
                    someTurn(query, tenantId, projectId, someTurn);
                    query.append(" group by r.thread_id order by last_start_time desc, r.thread_id desc limit ")
                            .param(limit, "int4")
                            .append(" offset ")
                            .param(offset, "int4");
                })
                .flatMap(rows -> {
                    if (rows.total() != null || offset == 0) {
                        return Uni.createFrom()
                                .item(new ThreadOffsetPage(rows.threads(), rows.total() == null ? 0 : rows.total()));
                    }
                    // Past the last thread no row carries the count: count from the start.
                    return offsetPage(tenantId, projectId, someTurn, 1, 0, false)
                            .map(first -> new ThreadOffsetPage(List.of(), first.total()));
                });
    }

    /** Threads of a project by id, in the order of the ids; null where a thread has no turn. */
    public Uni<List<ThreadRecord>> threadsByIds(UUID tenantId, UUID projectId, List<String> threadIds, boolean totals) {
        if (threadIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return read(tenantId, projectId, totals, "", query -> query.append(" and r.thread_id = any(")
                        .param(threadIds.stream().distinct().toArray(String[]::new), "text[]")
                        .append(") group by r.thread_id"))
                .map(threads -> {
                    Map<String, ThreadRecord> byId = new HashMap<>();
                    threads.forEach(thread -> byId.put(thread.threadId(), thread));
                    List<ThreadRecord> ordered = new ArrayList<>(threadIds.size());
                    threadIds.forEach(id -> ordered.add(byId.get(id)));
                    return ordered;
                });
    }

    /**
     * The turns' statement for one project, with {@code columns} added to its select list and
     * completed by {@code rest} (conditions, grouping, order), with the totals of each thread joined to
     * it when they are asked for.
     */
    private Uni<List<ThreadRecord>> read(
            UUID tenantId, UUID projectId, boolean totals, String columns, Consumer<SqlBuilder> rest) {
        return rows(tenantId, projectId, totals, columns, rest).map(Rows::threads);
    }

    private Uni<Rows> rows(UUID tenantId, UUID projectId, boolean totals, String columns, Consumer<SqlBuilder> rest) {
        SqlBuilder query = new SqlBuilder();
        if (totals) {
            query.append("select t.*, totals.* from (");
        }
        query.append(TURNS)
                .append(columns)
                .append(TURNS_FROM)
                .param(tenantId, "uuid")
                .append(" and r.project_id = ")
                .param(projectId, "uuid");
        rest.accept(query);
        if (totals) {
            query.append(") as t")
                    .append(TOTALS)
                    .param(tenantId, "uuid")
                    .append(" and root.project_id = ")
                    .param(projectId, "uuid")
                    .append(" and root.parent_run_id is null and root.thread_id = t.thread_id) as totals on true")
                    .append(" order by t.last_start_time desc, t.thread_id desc");
        }
        boolean counted = !columns.isEmpty();
        return sql.read(query.sql(), query.tuple()).map(found -> {
            List<ThreadRecord> threads = new ArrayList<>();
            Long total = null;
            for (Row row : found) {
                threads.add(read(row, projectId, totals));
                if (counted) {
                    total = row.getLong("thread_total");
                }
            }
            return new Rows(threads, total);
        });
    }

    /** Threads read by one statement, and the count of all threads it matched when it counted them. */
    private record Rows(List<ThreadRecord> threads, Long total) {}

    /**
     * Appends the condition that some turn (root run) of the thread matches the filter, as a set of
     * thread ids the filter finds first; nothing when there is no filter.
     */
    private static void someTurn(SqlBuilder query, UUID tenantId, UUID projectId, RunFilter someTurn) {
        if (someTurn.equals(RunFilter.none())) {
            return;
        }
        // The inner r is the matching turn, the outer one every turn of its thread.
        query.append(" and r.thread_id in (select r.thread_id from runs r where r.tenant_id = ")
                .param(tenantId, "uuid")
                .append(" and r.project_id = ")
                .param(projectId, "uuid")
                .append(" and r.parent_run_id is null and r.thread_id is not null and ");
        RunFilterSql.append(query, someTurn);
        query.append(")").planForValues();
    }

    private static ThreadRecord read(Row row, UUID projectId, boolean totals) {
        return new ThreadRecord(
                projectId,
                row.getString("thread_id"),
                row.getLong("turn_count"),
                row.getOffsetDateTime("first_start_time"),
                row.getOffsetDateTime("last_start_time"),
                row.getString("first_inputs_preview"),
                row.getString("last_outputs_preview"),
                row.getDouble("latency_p50"),
                row.getDouble("latency_p99"),
                row.getLong("error_count"),
                row.getString("last_error"),
                totals
                        ? new ThreadRecord.Totals(
                                row.getLong("prompt_tokens"),
                                row.getLong("completion_tokens"),
                                row.getLong("total_tokens"),
                                row.getBigDecimal("prompt_cost"),
                                row.getBigDecimal("completion_cost"),
                                row.getBigDecimal("total_cost"))
                        : null);
    }

    public record ThreadPage(List<ThreadRecord> threads, boolean hasNextPage) {}

    /** A page of threads by offset and the number of threads on all pages. */
    public record ThreadOffsetPage(List<ThreadRecord> threads, long total) {}

    /** An opaque keyset cursor: the latest turn's start time and the thread id of the last thread on a page. */
    public record ThreadCursor(OffsetDateTime lastStartTime, String threadId) {

        private static final String PREFIX = "thread1";

        public static ThreadCursor after(ThreadRecord thread) {
            return new ThreadCursor(thread.lastStartTime(), thread.threadId());
        }

        public String encode() {
            String raw = PREFIX + "|" + lastStartTime + "|" + threadId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        /** Decodes a cursor; throws IllegalArgumentException with a readable reason when it is not one of ours. */
        public static ThreadCursor decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                String[] parts = raw.split("\\|", 3);
                if (parts.length != 3 || !PREFIX.equals(parts[0])) {
                    throw new IllegalArgumentException();
                }
                return new ThreadCursor(OffsetDateTime.parse(parts[1]), parts[2]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("it is not a thread cursor returned by this API");
            }
        }
    }
}
