package io.tracegql.ingest;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;

import io.tracegql.domain.FeedbackStat;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilter.Compare;
import io.tracegql.domain.RunFilter.Op;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;
import io.tracegql.domain.TraceTotal;
import io.tracegql.security.ShareLinks;
import io.tracegql.security.Tenancy;
import io.tracegql.store.FeedbackStore;
import io.tracegql.store.RunCursor;
import io.tracegql.store.RunRecord;
import io.tracegql.store.RunSelection;
import io.tracegql.store.RunStore;
import io.tracegql.store.ThreadRecord;
import io.tracegql.store.ThreadStore;
import io.tracegql.store.TraceStore;

/**
 * LangSmith's v2 read API as the SDK's generated client calls it ({@code client.runs.query},
 * {@code runs.retrieve}, {@code runs.share}, {@code threads.query}, {@code threads.stats}): a thin
 * facade over the same store as GraphQL. Pages are {@code {items, next_cursor}}; runs carry only the
 * fields named in {@code selects}.
 */
@Path("/api/v2")
@Produces(MediaType.APPLICATION_JSON)
public class LangSmithV2Resource {

    /** The largest {@code page_size}; also the page size when none is given. */
    static final int MAX_PAGE_SIZE = 100;

    /** How far back a query looks when it gives no {@code min_start_time}, as LangSmith's does. */
    private static final Duration DEFAULT_WINDOW = Duration.ofDays(1);

    private final RunStore runs;
    private final TraceStore traces;
    private final ThreadStore threads;
    private final FeedbackStore feedback;
    private final ShareLinks shares;
    private final Tenancy tenancy;
    private final ObjectMapper mapper;

    public LangSmithV2Resource(
            RunStore runs,
            TraceStore traces,
            ThreadStore threads,
            FeedbackStore feedback,
            ShareLinks shares,
            Tenancy tenancy,
            ObjectMapper mapper) {
        this.runs = runs;
        this.traces = traces;
        this.threads = threads;
        this.feedback = feedback;
        this.shares = shares;
        this.tenancy = tenancy;
        this.mapper = mapper;
    }

    /**
     * Body: {project_ids, ids, trace_id, is_root, has_error, run_type, min_start_time, max_start_time,
     * filter, trace_filter, tree_filter, selects, page_size, cursor}; newest run first.
     */
    @POST
    @Path("runs/query")
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> queryRuns(byte[] body) {
        JsonNode json = ReadRequests.body(mapper, body);
        refuseUnsupported(json, "ai_search", "reference_dataset_id", "reference_examples", "include_subtree_usage");
        RunViewV2.Selects selects = RunViewV2.Selects.parse("selects", strings(json, "selects"));
        RunFilter filter = runFilter(json);
        int pageSize = pageSize(json);
        RunCursor cursor = runCursor(ReadRequests.text(json, "cursor"));
        UUID tenantId = tenancy.currentTenantId();
        return runs.page(
                        tenantId,
                        filter,
                        RunSortField.START_TIME,
                        SortDirection.DESC,
                        pageSize,
                        cursor,
                        RunSelection.of(selects.columns()))
                .flatMap(page -> views(tenantId, page.runs(), selects).map(items -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("items", items);
                    result.put("next_cursor", ReadRequests.nextCursor(page));
                    return result;
                }));
    }

    /** The figures of the whole trace that {@code selects} routes to {@code trace_aggregates}, by select name. */
    private static final Map<String, TraceTotal> TRACE_AGGREGATES = Map.of(
            "TOTAL_TOKENS", TraceTotal.TOTAL_TOKENS,
            "TOTAL_COST", TraceTotal.TOTAL_COST,
            "FIRST_TOKEN_TIME", TraceTotal.FIRST_TOKEN_TIME);

    /**
     * Body: {project_id, trace_ids, min_start_time, max_start_time, filter, trace_filter, tree_filter,
     * selects, page_size, cursor}; the traces (root runs) of one project, the latest first, each as
     * {root_run, trace_aggregates}: TOTAL_TOKENS, TOTAL_COST and FIRST_TOKEN_TIME in selects are figures
     * of the whole tree, read from the trace totals in one statement; every other select is the root's.
     */
    @POST
    @Path("traces/query")
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> queryTraces(byte[] body) {
        JsonNode json = ReadRequests.body(mapper, body);
        refuseUnsupported(json, "ai_search", "min_feedback_modified_at", "max_feedback_modified_at");
        List<String> rootSelects = new ArrayList<>();
        List<TraceTotal> aggregates = new ArrayList<>();
        for (String name : strings(json, "selects")) {
            TraceTotal total = TRACE_AGGREGATES.get(name);
            if (total != null) {
                aggregates.add(total);
            } else {
                rootSelects.add(name);
            }
        }
        RunViewV2.Selects selects = RunViewV2.Selects.parse("selects", rootSelects);
        UUID project = ReadRequests.uuid(json, "project_id");
        if (project == null) {
            throw IngestException.malformed("project_id", "project_id is required: the project to read traces of");
        }
        ReadConditions typed = new ReadConditions()
                .add("project_id", new Compare(RunFilterField.PROJECT_ID, Op.EQ, project))
                .add("project_id", new Compare(RunFilterField.IS_ROOT, Op.EQ, true));
        List<UUID> traceIds = ReadRequests.uuids(json, "trace_ids");
        if (!traceIds.isEmpty()) {
            typed.add("trace_ids", new Compare(RunFilterField.TRACE_ID, Op.IN, traceIds));
        }
        window(json, typed);
        List<RunFilter> conditions = new ArrayList<>(typed.checked());
        conditions.add(ReadRequests.expressions(json));
        int pageSize = pageSize(json);
        RunCursor cursor = runCursor(ReadRequests.text(json, "cursor"));
        UUID tenantId = tenancy.currentTenantId();
        return runs.page(
                        tenantId,
                        new RunFilter.All(conditions),
                        RunSortField.START_TIME,
                        SortDirection.DESC,
                        pageSize,
                        cursor,
                        RunSelection.of(selects.columns()))
                .flatMap(page -> {
                    List<UUID> ids = page.runs().stream().map(RunRecord::id).toList();
                    Uni<List<Map<TraceTotal, Object>>> totals = aggregates.isEmpty()
                            ? Uni.createFrom().item(Collections.nCopies(ids.size(), Map.<TraceTotal, Object>of()))
                            : traces.totalsByTraceIds(tenantId, ids);
                    return views(tenantId, page.runs(), selects)
                            .flatMap(roots -> totals.map(figures -> {
                                List<Map<String, Object>> items = new ArrayList<>(roots.size());
                                for (int i = 0; i < roots.size(); i++) {
                                    Map<String, Object> item = new LinkedHashMap<>();
                                    item.put("root_run", roots.get(i));
                                    Map<String, Object> traceAggregates = new LinkedHashMap<>();
                                    for (TraceTotal total : aggregates) {
                                        Map<TraceTotal, Object> trace = figures.get(i);
                                        Object value = trace == null ? null : trace.get(total);
                                        traceAggregates.put(
                                                total.name().toLowerCase(java.util.Locale.ROOT),
                                                value instanceof OffsetDateTime time ? time.toString() : value);
                                    }
                                    item.put("trace_aggregates", traceAggregates);
                                    items.add(item);
                                }
                                Map<String, Object> result = new LinkedHashMap<>();
                                result.put("items", items);
                                result.put("next_cursor", ReadRequests.nextCursor(page));
                                return result;
                            }));
                });
    }

    /** One run, with the fields named by the repeated {@code selects} parameter. */
    @GET
    @Path("runs/{id}")
    public Uni<Response> retrieveRun(
            @PathParam("id") String id,
            @QueryParam("project_id") String projectId,
            @QueryParam("selects") List<String> selectNames) {
        UUID runId = ReadRequests.uuid("id", id);
        RunFilter inProject = projectId == null
                ? RunFilter.none()
                : new Compare(RunFilterField.PROJECT_ID, Op.EQ, ReadRequests.uuid("project_id", projectId));
        RunViewV2.Selects selects = RunViewV2.Selects.parse("selects", selectNames);
        UUID tenantId = tenancy.currentTenantId();
        return runs.runsByIds(tenantId, List.of(runId), inProject, RunSelection.of(selects.columns()))
                .flatMap(found -> {
                    List<RunRecord> run = found.get(0) == null ? List.of() : List.of(found.get(0));
                    if (run.isEmpty()) {
                        return Uni.createFrom().item(ReadRequests.notFound("run " + runId + " does not exist"));
                    }
                    return views(tenantId, run, selects)
                            .map(views -> Response.ok(views.get(0)).build());
                });
    }

    /** Shares the run's trace (a child run shares its trace root): {share_token}, the same link as GraphQL's shareRun. */
    @POST
    @Path("runs/{id}/share")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> shareRun(@PathParam("id") String id) {
        UUID runId = ReadRequests.uuid("id", id);
        ReadRequests.requireSharing(shares);
        UUID tenantId = tenancy.currentTenantId();
        return runs.traceIdOf(tenantId, runId)
                .flatMap(traceId -> traceId == null
                        ? Uni.createFrom().item(ReadRequests.notFound("run " + runId + " does not exist"))
                        : shares.shareToken(tenantId, traceId).map(token -> Response.ok(Map.of("share_token", token))
                                .build()));
    }

    /** Revokes the link of a trace (or of the trace of a run); 204 whether or not it was shared. */
    @DELETE
    @Path("runs/{id}/share")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> unshareRun(@PathParam("id") String id) {
        UUID runOrTraceId = ReadRequests.uuid("id", id);
        UUID tenantId = tenancy.currentTenantId();
        return runs.traceIdOf(tenantId, runOrTraceId)
                .flatMap(traceId -> shares.unshare(tenantId, traceId == null ? runOrTraceId : traceId))
                .map(ignored -> Response.noContent().build());
    }

    /**
     * Body: {project_id, filter, trace_filter, tree_filter, min_start_time, max_start_time, page_size,
     * cursor}: the threads that have a turn matching the filters and started in the window, the one with
     * the latest turn first; their figures cover all their turns.
     */
    @POST
    @Path("threads/query")
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> queryThreads(byte[] body) {
        JsonNode json = ReadRequests.body(mapper, body);
        refuseUnsupported(json, "ai_search", "thread_filter");
        UUID projectId = ReadRequests.uuid(json, "project_id");
        if (projectId == null) {
            throw IngestException.malformed("project_id", "project_id is required: the project of the threads");
        }
        ReadConditions typed = new ReadConditions();
        window(json, typed);
        List<RunFilter> someTurn = new ArrayList<>(typed.checked());
        someTurn.add(ReadRequests.expressions(json));
        int pageSize = pageSize(json);
        ThreadStore.ThreadCursor cursor = threadCursor(ReadRequests.text(json, "cursor"));
        UUID tenantId = tenancy.currentTenantId();
        return threads.page(tenantId, projectId, new RunFilter.All(someTurn), pageSize, cursor, true)
                .flatMap(page -> feedback.turnFeedbackStatsByThreads(
                                tenantId,
                                projectId,
                                page.threads().stream()
                                        .map(ThreadRecord::threadId)
                                        .toList())
                        .map(stats -> {
                            List<Map<String, Object>> items = new ArrayList<>();
                            for (int i = 0; i < page.threads().size(); i++) {
                                items.add(ThreadView.of(page.threads().get(i), stats.get(i)));
                            }
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("items", items);
                            result.put(
                                    "next_cursor",
                                    page.hasNextPage()
                                            ? ThreadStore.ThreadCursor.after(page.threads()
                                                            .get(page.threads().size() - 1))
                                                    .encode()
                                            : null);
                            return result;
                        }));
    }

    /** The figures of one thread named by the repeated {@code selects} parameter (TURNS, TOTAL_COST...). */
    @GET
    @Path("threads/{threadId}/stats")
    public Uni<Response> threadStats(
            @PathParam("threadId") String threadId,
            @QueryParam("session_id") String sessionId,
            @QueryParam("selects") List<String> selectNames,
            @QueryParam("filter") String filter) {
        if (sessionId == null) {
            throw IngestException.malformed("session_id", "session_id is required: the project of the thread");
        }
        UUID projectId = ReadRequests.uuid("session_id", sessionId);
        if (filter != null) {
            throw IngestException.malformed("filter", "filter is not supported on thread stats; leave it out");
        }
        Set<ThreadView.Stat> selects = ThreadView.Stat.parse("selects", selectNames);
        UUID tenantId = tenancy.currentTenantId();
        Uni<List<ThreadRecord>> found = threads.threadsByIds(tenantId, projectId, List.of(threadId), true);
        Uni<List<List<FeedbackStat>>> stats = selects.contains(ThreadView.Stat.FEEDBACK_STATS)
                ? feedback.turnFeedbackStatsByThreads(tenantId, projectId, List.of(threadId))
                : Uni.createFrom().item(List.of(List.of()));
        return Uni.combine().all().unis(found, stats).asTuple().map(both -> {
            ThreadRecord thread = both.getItem1().get(0);
            if (thread == null) {
                return ReadRequests.notFound("thread '" + threadId + "' has no turns in project " + projectId);
            }
            return Response.ok(ThreadView.stats(thread, both.getItem2().get(0), selects))
                    .build();
        });
    }

    /**
     * The traces of one thread, the latest first, as {items, next_cursor} with their root run's fields
     * named by the repeated {@code selects} parameter; {@code filter} and {@code trace_filter} test the
     * root, {@code tree_filter} any run of the trace.
     */
    @GET
    @Path("threads/{threadId}/traces")
    public Uni<Map<String, Object>> threadTraces(
            @PathParam("threadId") String threadId,
            @QueryParam("project_id") String projectId,
            @QueryParam("selects") List<String> selectNames,
            @QueryParam("filter") String filter,
            @QueryParam("trace_filter") String traceFilter,
            @QueryParam("tree_filter") String treeFilter,
            @QueryParam("page_size") String pageSize,
            @QueryParam("cursor") String cursor) {
        if (projectId == null) {
            throw IngestException.malformed("project_id", "project_id is required: the project of the thread");
        }
        ObjectNode params = mapper.createObjectNode();
        params.put("filter", filter).put("trace_filter", traceFilter).put("tree_filter", treeFilter);
        // A query parameter is text: pageSize reads a number written as text too.
        params.put("page_size", pageSize);
        List<RunFilter> conditions = new ArrayList<>(new ReadConditions()
                .add(
                        "project_id",
                        new Compare(RunFilterField.PROJECT_ID, Op.EQ, ReadRequests.uuid("project_id", projectId)))
                .add("thread_id", new Compare(RunFilterField.THREAD_ID, Op.EQ, threadId))
                .add("thread_id", new Compare(RunFilterField.IS_ROOT, Op.EQ, true))
                .checked());
        conditions.add(ReadRequests.expressions(params));
        Set<RunField> selects = ThreadView.traceSelects("selects", selectNames);
        UUID tenantId = tenancy.currentTenantId();
        return runs.page(
                        tenantId,
                        new RunFilter.All(conditions),
                        RunSortField.START_TIME,
                        SortDirection.DESC,
                        pageSize(params),
                        runCursor(cursor),
                        RunSelection.of(selects))
                .map(page -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put(
                            "items",
                            page.runs().stream()
                                    .map(root -> ThreadView.trace(root, selects))
                                    .toList());
                    result.put("next_cursor", ReadRequests.nextCursor(page));
                    return result;
                });
    }

    /** Each run as v2 JSON, with the share URLs of their traces read in one statement when selected. */
    private Uni<List<Map<String, Object>>> views(UUID tenantId, List<RunRecord> page, RunViewV2.Selects selects) {
        Uni<List<String>> urls = selects.shareUrl()
                ? shares.urlsByTraceIds(
                        tenantId,
                        page.stream()
                                .map(run -> run.<UUID>get(RunField.TRACE_ID))
                                .toList())
                : Uni.createFrom().item(Collections.nCopies(page.size(), (String) null));
        return urls.map(shareUrls -> {
            List<Map<String, Object>> views = new ArrayList<>(page.size());
            for (int i = 0; i < page.size(); i++) {
                views.add(RunViewV2.of(page.get(i), selects, shareUrls.get(i)));
            }
            return views;
        });
    }

    /** The typed fields of a runs query and its filter expressions, all of which must match. */
    private static RunFilter runFilter(JsonNode json) {
        ReadConditions typed = new ReadConditions();
        List<UUID> projects = ReadRequests.uuids(json, "project_ids");
        if (projects.isEmpty()) {
            throw IngestException.malformed("project_ids", "project_ids is required: the projects to read runs of");
        }
        typed.add(
                "project_ids",
                projects.size() == 1
                        ? new Compare(RunFilterField.PROJECT_ID, Op.EQ, projects.get(0))
                        : new RunFilter.Any(projects.stream()
                                .map(p -> (RunFilter) new Compare(RunFilterField.PROJECT_ID, Op.EQ, p))
                                .toList()));
        List<UUID> ids = ReadRequests.uuids(json, "ids");
        if (!ids.isEmpty()) {
            typed.add("ids", new Compare(RunFilterField.ID, Op.IN, ids));
        }
        UUID trace = ReadRequests.uuid(json, "trace_id");
        if (trace != null) {
            typed.add("trace_id", new Compare(RunFilterField.TRACE_ID, Op.EQ, trace));
        }
        Boolean root = bool(json, "is_root");
        if (root != null) {
            typed.add("is_root", new Compare(RunFilterField.IS_ROOT, Op.EQ, root));
        }
        Boolean error = bool(json, "has_error");
        if (error != null) {
            typed.add("has_error", new Compare(RunFilterField.ERROR, Op.EQ, error));
        }
        String runType = ReadRequests.text(json, "run_type");
        if (runType != null) {
            typed.add(
                    "run_type", new Compare(RunFilterField.RUN_TYPE, Op.EQ, ReadRequests.runType("run_type", runType)));
        }
        window(json, typed);
        List<RunFilter> conditions = new ArrayList<>(typed.checked());
        conditions.add(ReadRequests.expressions(json));
        return new RunFilter.All(conditions);
    }

    /** min_start_time (inclusive, a day ago when absent) and max_start_time (exclusive, now when absent). */
    private static void window(JsonNode json, ReadConditions typed) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime min = ReadRequests.time(json, "min_start_time");
        OffsetDateTime max = ReadRequests.time(json, "max_start_time");
        typed.add(
                "min_start_time",
                new Compare(RunFilterField.START_TIME, Op.GTE, min == null ? now.minus(DEFAULT_WINDOW) : min));
        typed.add("max_start_time", new Compare(RunFilterField.START_TIME, Op.LT, max == null ? now : max));
    }

    private static Boolean bool(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw IngestException.malformed(field, field + " must be true or false, got " + node);
        }
        return node.asBoolean();
    }

    private static List<String> strings(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw IngestException.malformed(field, field + " must be an array of field names, got " + node);
        }
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static int pageSize(JsonNode json) {
        JsonNode node = json.get("page_size");
        if (node == null || node.isNull()) {
            return MAX_PAGE_SIZE;
        }
        int size = node.isIntegralNumber() && node.canConvertToInt()
                ? node.asInt()
                : node.isTextual() && node.asText().matches("\\d{1,9}") ? Integer.parseInt(node.asText()) : -1;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw IngestException.malformed(
                    "page_size", "page_size must be a whole number from 1 to " + MAX_PAGE_SIZE + ", got " + node);
        }
        return size;
    }

    private static RunCursor runCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return RunCursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw IngestException.malformed("cursor", "cursor is not valid: " + e.getMessage());
        }
    }

    private static ThreadStore.ThreadCursor threadCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return ThreadStore.ThreadCursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw IngestException.malformed("cursor", "cursor is not valid: " + e.getMessage());
        }
    }

    private static void refuseUnsupported(JsonNode json, String... fields) {
        for (String field : fields) {
            JsonNode node = json.get(field);
            if (node != null && !node.isNull() && !(node.isBoolean() && !node.asBoolean())) {
                throw IngestException.malformed(field, field + " is not supported by this server; leave it out");
            }
        }
    }
}
