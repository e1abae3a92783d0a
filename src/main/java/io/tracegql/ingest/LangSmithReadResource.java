package io.tracegql.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilter.Compare;
import io.tracegql.domain.RunFilter.Op;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;
import io.tracegql.security.ShareLinks;
import io.tracegql.security.Tenancy;
import io.tracegql.store.FeedbackStore;
import io.tracegql.store.ProjectRecord;
import io.tracegql.store.ProjectStats;
import io.tracegql.store.ProjectStore;
import io.tracegql.store.RunAnalytics;
import io.tracegql.store.RunCursor;
import io.tracegql.store.RunRecord;
import io.tracegql.store.RunSelection;
import io.tracegql.store.RunStore;
import io.tracegql.store.Sql;
import io.tracegql.store.ThreadRecord;
import io.tracegql.store.ThreadStore;

/**
 * The read side of the LangSmith REST API that the SDKs' {@code Client} uses (readRun, listRuns,
 * listFeedback, readProject): a thin facade over the same store as GraphQL.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class LangSmithReadResource {

    private static final int MAX_LIMIT = 100;

    /** The quantiles of {@code /runs/stats}: p50 and p99. */
    private static final List<Double> STATS_QUANTILES = List.of(0.5, 0.99);

    private final RunStore runs;
    private final ProjectStore projects;
    private final FeedbackStore feedback;
    private final Tenancy tenancy;
    private final ObjectMapper mapper;
    private final Sql sql;
    private final RunAnalytics analytics;
    private final ThreadStore threads;
    private final ShareLinks shares;
    private final RunViews views;

    public LangSmithReadResource(
            RunStore runs,
            ProjectStore projects,
            FeedbackStore feedback,
            Tenancy tenancy,
            ObjectMapper mapper,
            Sql sql,
            RunAnalytics analytics,
            ThreadStore threads,
            ShareLinks shares,
            RunViews views) {
        this.views = views;
        this.analytics = analytics;
        this.threads = threads;
        this.shares = shares;
        this.runs = runs;
        this.projects = projects;
        this.feedback = feedback;
        this.tenancy = tenancy;
        this.mapper = mapper;
        this.sql = sql;
    }

    @GET
    @Path("runs/{id}")
    public Uni<Response> run(@PathParam("id") String id) {
        UUID runId = ReadRequests.uuid("id", id);
        UUID tenantId = tenancy.currentTenantId();
        return runs.runsByIds(tenantId, List.of(runId), RunSelection.of(RunView.columns(List.of())))
                .flatMap(found -> {
                    RunRecord run = found.get(0);
                    if (run == null) {
                        return Uni.createFrom().item(ReadRequests.notFound("run " + runId + " does not exist"));
                    }
                    return feedback.feedbackStatsByRunIds(tenantId, List.of(runId))
                            .map(stats ->
                                    Response.ok(RunView.of(run, stats.get(0))).build());
                });
    }

    @GET
    @Path("runs/{id}/attachments/{name}")
    @Produces(MediaType.WILDCARD)
    public Uni<Response> attachment(@PathParam("id") String id, @PathParam("name") String name) {
        UUID runId = ReadRequests.uuid("id", id);
        return sql.read(
                        "select content_type, data from run_attachments where tenant_id = $1 and run_id = $2 and name = $3",
                        Tuple.of(tenancy.currentTenantId(), runId, name))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return ReadRequests.notFound("run " + runId + " has no attachment named '" + name + "'");
                    }
                    var row = it.next();
                    return Response.ok(row.getBuffer("data").getBytes(), row.getString("content_type"))
                            .build();
                });
    }

    /**
     * Body: {session: [ids], filter, trace_filter, tree_filter, is_root, trace, parent_run, run_type,
     * error, id: [ids], start_time, end_time, select, limit, cursor}.
     */
    @POST
    @Path("runs/query")
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> query(byte[] body) {
        JsonNode json = ReadRequests.body(mapper, body);
        RunFilter filter = filter(json);
        int limit =
                json.hasNonNull("limit") ? Math.min(Math.max(json.get("limit").asInt(), 1), MAX_LIMIT) : MAX_LIMIT;
        RunCursor cursor = null;
        if (json.hasNonNull("cursor")) {
            try {
                cursor = RunCursor.decode(json.get("cursor").asText());
            } catch (IllegalArgumentException e) {
                throw IngestException.malformed("cursor", "cursor is not valid: " + e.getMessage());
            }
        }
        List<String> select = ReadRequests.select(json);
        UUID tenantId = tenancy.currentTenantId();
        return runs.page(
                        tenantId,
                        filter,
                        RunSortField.START_TIME,
                        SortDirection.DESC,
                        limit,
                        cursor,
                        RunSelection.of(RunView.columns(select)))
                .flatMap(page -> views.of(tenantId, page.runs(), select).map(list -> {
                    Map<String, Object> cursors = new LinkedHashMap<>();
                    cursors.put("next", ReadRequests.nextCursor(page));
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("runs", list);
                    result.put("cursors", cursors);
                    return result;
                }));
    }

    /** Aggregates of the runs the body selects (the body of {@code /runs/query}), in one statement plus one for feedback. */
    @POST
    @Path("runs/stats")
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> stats(byte[] body) {
        RunFilter filter = filter(ReadRequests.body(mapper, body));
        UUID tenantId = tenancy.currentTenantId();
        return Uni.combine()
                .all()
                .unis(analytics.stats(tenantId, filter, STATS_QUANTILES), analytics.feedbackStats(tenantId, filter))
                .asTuple()
                .map(both -> {
                    RunAnalytics.RunStats stats = both.getItem1();
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("run_count", stats.runCount());
                    json.put("latency_p50", stats.latency().get(0).seconds());
                    json.put("latency_p99", stats.latency().get(1).seconds());
                    json.put("first_token_p50", stats.firstToken().get(0).seconds());
                    json.put("first_token_p99", stats.firstToken().get(1).seconds());
                    json.put("total_tokens", stats.totalTokens());
                    json.put("prompt_tokens", stats.promptTokens());
                    json.put("completion_tokens", stats.completionTokens());
                    json.put("total_cost", stats.totalCost());
                    json.put("prompt_cost", stats.promptCost());
                    json.put("completion_cost", stats.completionCost());
                    json.put(
                            "error_rate",
                            stats.runCount() == 0 ? null : (double) stats.errorCount() / stats.runCount());
                    json.put("feedback_stats", RunView.feedbackStats(both.getItem2()));
                    return json;
                });
    }

    /**
     * Body: {session_id, group_by: "conversation", filter, start_time, end_time, limit, offset}: the
     * project's threads that have a turn matching the filter in the window, the latest first, as
     * {groups, total}.
     */
    @POST
    @Path("runs/group")
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> group(byte[] body) {
        JsonNode json = ReadRequests.body(mapper, body);
        UUID projectId = ReadRequests.uuid(json, "session_id");
        if (projectId == null) {
            throw IngestException.malformed("session_id", "session_id is required: the project to group runs of");
        }
        String groupBy = ReadRequests.text(json, "group_by");
        if (!"conversation".equals(groupBy)) {
            throw IngestException.malformed(
                    "group_by", "group_by must be \"conversation\" (runs are grouped by thread), got " + groupBy);
        }
        ReadConditions typed = new ReadConditions();
        ReadRequests.startWindow(json, typed);
        List<RunFilter> someTurn = new ArrayList<>(typed.checked());
        String expression = ReadRequests.text(json, "filter");
        if (expression != null) {
            someTurn.add(ReadRequests.expression("filter", expression));
        }
        int limit =
                json.hasNonNull("limit") ? Math.min(Math.max(json.get("limit").asInt(), 1), MAX_LIMIT) : MAX_LIMIT;
        int offset = json.hasNonNull("offset") ? Math.max(json.get("offset").asInt(), 0) : 0;
        UUID tenantId = tenancy.currentTenantId();
        return threads.offsetPage(tenantId, projectId, new RunFilter.All(someTurn), limit, offset, true)
                .flatMap(page -> feedback.turnFeedbackStatsByThreads(
                                tenantId,
                                projectId,
                                page.threads().stream()
                                        .map(ThreadRecord::threadId)
                                        .toList())
                        .map(stats -> {
                            List<Map<String, Object>> groups = new ArrayList<>();
                            for (int i = 0; i < page.threads().size(); i++) {
                                groups.add(ThreadView.group(page.threads().get(i), stats.get(i)));
                            }
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("groups", groups);
                            result.put("total", page.total());
                            return result;
                        }));
    }

    /** Shares the run's trace; {run_id, share_token}: the token of the same link as GraphQL's shareRun. */
    @PUT
    @Path("runs/{id}/share")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> shareRun(@PathParam("id") String id) {
        UUID runId = ReadRequests.uuid("id", id);
        ReadRequests.requireSharing(shares);
        UUID tenantId = tenancy.currentTenantId();
        return runs.traceIdOf(tenantId, runId)
                .flatMap(traceId -> traceId == null
                        ? Uni.createFrom().item(ReadRequests.notFound("run " + runId + " does not exist"))
                        : shares.shareToken(tenantId, traceId).map(token -> Response.ok(shareView(runId, token))
                                .build()));
    }

    /** The run's share link as {run_id, share_token}, or null when its trace is not shared. */
    @GET
    @Path("runs/{id}/share")
    public Uni<Response> sharedLink(@PathParam("id") String id) {
        UUID runId = ReadRequests.uuid("id", id);
        UUID tenantId = tenancy.currentTenantId();
        return runs.traceIdOf(tenantId, runId).flatMap(traceId -> {
            if (traceId == null) {
                return Uni.createFrom().item(ReadRequests.notFound("run " + runId + " does not exist"));
            }
            return shares.tokensByTraceIds(tenantId, List.of(traceId))
                    .map(tokens -> tokens.get(0) == null
                            ? Response.ok(com.fasterxml.jackson.databind.node.NullNode.getInstance())
                                    .build()
                            : Response.ok(shareView(runId, tokens.get(0))).build());
        });
    }

    /** Revokes the link of the run's trace; 204 whether or not it was shared. */
    @DELETE
    @Path("runs/{id}/share")
    public Uni<Response> unshareRun(@PathParam("id") String id) {
        UUID runId = ReadRequests.uuid("id", id);
        UUID tenantId = tenancy.currentTenantId();
        return runs.traceIdOf(tenantId, runId)
                .flatMap(traceId -> traceId == null ? Uni.createFrom().item(false) : shares.unshare(tenantId, traceId))
                .map(ignored -> Response.noContent().build());
    }

    private static Map<String, Object> shareView(UUID runId, String token) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", runId.toString());
        json.put("share_token", token);
        return json;
    }

    @GET
    @Path("sessions")
    public Uni<List<Map<String, Object>>> sessions(
            @QueryParam("name") String name,
            @QueryParam("name_contains") String nameContains,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        UUID tenantId = tenancy.currentTenantId();
        if (name != null) {
            return projects.projectByName(tenantId, name)
                    .map(project -> project == null ? List.of() : List.of(SessionView.of(project, null)));
        }
        return projects.page(tenantId, nameContains, Math.min(Math.max(limit, 1), MAX_LIMIT), null)
                .map(page -> page.projects().stream()
                        .map(p -> SessionView.of(p, null))
                        .toList());
    }

    @GET
    @Path("sessions/{id}")
    public Uni<Response> session(@PathParam("id") String id, @QueryParam("include_stats") boolean includeStats) {
        UUID projectId = ReadRequests.uuid("id", id);
        UUID tenantId = tenancy.currentTenantId();
        return projects.projectsByIds(tenantId, List.of(projectId)).flatMap(found -> {
            ProjectRecord project = found.get(0);
            if (project == null) {
                return Uni.createFrom().item(ReadRequests.notFound("project " + projectId + " does not exist"));
            }
            if (!includeStats) {
                return Uni.createFrom()
                        .item(Response.ok(SessionView.of(project, null)).build());
            }
            Uni<ProjectStats> stats =
                    projects.statsByProjectIds(tenantId, List.of(projectId)).map(s -> s.get(0));
            Uni<List<io.tracegql.domain.FeedbackStat>> runFeedback = feedback.runFeedbackStatsByProjectIds(
                            tenantId, List.of(projectId))
                    .map(s -> s.get(0));
            Uni<List<io.tracegql.domain.FeedbackStat>> sessionFeedback = feedback.sessionFeedbackStatsByProjectIds(
                            tenantId, List.of(projectId))
                    .map(s -> s.get(0));
            return Uni.combine()
                    .all()
                    .unis(stats, runFeedback, sessionFeedback)
                    .asTuple()
                    .map(all -> {
                        Map<String, Object> view = SessionView.of(project, all.getItem1());
                        view.put("feedback_stats", RunView.feedbackStats(all.getItem2()));
                        view.put("session_feedback_stats", RunView.feedbackStats(all.getItem3()));
                        return Response.ok(view).build();
                    });
        });
    }

    @GET
    @Path("feedback")
    public Uni<List<Map<String, Object>>> feedbackList(
            @QueryParam("run") List<String> runIds,
            @QueryParam("key") List<String> keys,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        List<UUID> ids = runIds.stream().map(r -> ReadRequests.uuid("run", r)).toList();
        return feedback.feedback(
                        tenancy.currentTenantId(),
                        ids,
                        keys,
                        Math.max(offset, 0),
                        Math.min(Math.max(limit, 1), MAX_LIMIT))
                .map(list -> list.stream().map(FeedbackView::of).toList());
    }

    /**
     * The body's typed fields and its filter expressions ({@link ReadRequests#expressions}), all of
     * which must match. The typed fields are held to the same rules as every run filter, each named by
     * its field.
     */
    static RunFilter filter(JsonNode json) {
        return filter(json, true);
    }

    /**
     * The same, without the condition on {@code session} when {@code withSession} is false, for a
     * caller that reads the body's projects one by one ({@link ReadRequests#uuids} of "session").
     */
    static RunFilter filter(JsonNode json, boolean withSession) {
        ReadConditions typed = new ReadConditions();
        List<UUID> sessions = ReadRequests.uuids(json, "session");
        if (withSession && sessions.size() == 1) {
            typed.add("session", new Compare(RunFilterField.PROJECT_ID, Op.EQ, sessions.get(0)));
        } else if (withSession && sessions.size() > 1) {
            List<RunFilter> anyProject = sessions.stream()
                    .map(s -> (RunFilter) new Compare(RunFilterField.PROJECT_ID, Op.EQ, s))
                    .toList();
            typed.add("session", new RunFilter.Any(anyProject));
        }
        List<UUID> ids = ReadRequests.uuids(json, "id");
        if (!ids.isEmpty()) {
            typed.add("id", new Compare(RunFilterField.ID, Op.IN, ids));
        }
        UUID trace = ReadRequests.uuid(json, "trace");
        if (trace != null) {
            typed.add("trace", new Compare(RunFilterField.TRACE_ID, Op.EQ, trace));
        }
        UUID parent = ReadRequests.uuid(json, "parent_run");
        if (parent != null) {
            typed.add("parent_run", new Compare(RunFilterField.PARENT_RUN_ID, Op.EQ, parent));
        }
        String runType = ReadRequests.text(json, "run_type");
        if (runType != null) {
            typed.add(
                    "run_type", new Compare(RunFilterField.RUN_TYPE, Op.EQ, ReadRequests.runType("run_type", runType)));
        }
        if (json.hasNonNull("is_root")) {
            typed.add(
                    "is_root",
                    new Compare(
                            RunFilterField.IS_ROOT, Op.EQ, json.get("is_root").asBoolean()));
        }
        if (json.hasNonNull("error")) {
            typed.add(
                    "error",
                    new Compare(RunFilterField.ERROR, Op.EQ, json.get("error").asBoolean()));
        }
        ReadRequests.startWindow(json, typed);
        List<RunFilter> conditions = new ArrayList<>(typed.checked());
        conditions.add(ReadRequests.expressions(json));
        return new RunFilter.All(conditions);
    }
}
