package io.tracegql.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.domain.FilterLanguage;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilter.Compare;
import io.tracegql.domain.RunFilter.Op;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunFilterRules;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;
import io.tracegql.domain.Uuids;
import io.tracegql.security.Tenancy;
import io.tracegql.store.FeedbackStore;
import io.tracegql.store.ProjectRecord;
import io.tracegql.store.ProjectStats;
import io.tracegql.store.ProjectStore;
import io.tracegql.store.RunCursor;
import io.tracegql.store.RunRecord;
import io.tracegql.store.RunSelection;
import io.tracegql.store.RunStore;
import io.tracegql.store.Sql;

/**
 * The read side of the LangSmith REST API that the SDKs' {@code Client} uses (readRun, listRuns,
 * listFeedback, readProject): a thin facade over the same store as GraphQL.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class LangSmithReadResource {

    private static final int MAX_LIMIT = 100;

    private final RunStore runs;
    private final ProjectStore projects;
    private final FeedbackStore feedback;
    private final Tenancy tenancy;
    private final ObjectMapper mapper;
    private final Sql sql;

    public LangSmithReadResource(
            RunStore runs,
            ProjectStore projects,
            FeedbackStore feedback,
            Tenancy tenancy,
            ObjectMapper mapper,
            Sql sql) {
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
        UUID runId = uuid("id", id);
        UUID tenantId = tenancy.currentTenantId();
        return runs.runsByIds(tenantId, List.of(runId), RunSelection.of(RunView.columns(List.of())))
                .flatMap(found -> {
                    RunRecord run = found.get(0);
                    if (run == null) {
                        return Uni.createFrom().item(notFound("run " + runId + " does not exist"));
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
        UUID runId = uuid("id", id);
        return sql.query(
                        "select content_type, data from run_attachments where tenant_id = $1 and run_id = $2 and name = $3",
                        Tuple.of(tenancy.currentTenantId(), runId, name))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return notFound("run " + runId + " has no attachment named '" + name + "'");
                    }
                    var row = it.next();
                    return Response.ok(row.getBuffer("data").getBytes(), row.getString("content_type"))
                            .build();
                });
    }

    /** Body: {session: [ids], filter, is_root, trace, parent_run, run_type, error, id: [ids], select, limit, cursor}. */
    @POST
    @Path("runs/query")
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> query(byte[] body) {
        JsonNode json = parse(body);
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
        List<String> select = new ArrayList<>();
        if (json.has("select") && json.get("select").isArray()) {
            json.get("select").forEach(s -> select.add(s.asText()));
        }
        Set<RunField> columns = RunView.columns(select);
        boolean withFeedback = select.isEmpty() || select.contains("feedback_stats");
        UUID tenantId = tenancy.currentTenantId();
        return runs.page(
                        tenantId,
                        filter,
                        RunSortField.START_TIME,
                        SortDirection.DESC,
                        limit,
                        cursor,
                        RunSelection.of(columns))
                .flatMap(page -> {
                    List<UUID> runIds = page.runs().stream().map(RunRecord::id).toList();
                    Uni<List<List<io.tracegql.domain.FeedbackStat>>> stats = withFeedback
                            ? feedback.feedbackStatsByRunIds(tenantId, runIds)
                            : Uni.createFrom().item((List<List<io.tracegql.domain.FeedbackStat>>) null);
                    return stats.map(feedbackStats -> {
                        List<Map<String, Object>> views = new ArrayList<>();
                        for (int i = 0; i < page.runs().size(); i++) {
                            views.add(RunView.of(
                                    page.runs().get(i), feedbackStats == null ? null : feedbackStats.get(i)));
                        }
                        Map<String, Object> cursors = new LinkedHashMap<>();
                        cursors.put(
                                "next",
                                page.hasNextPage() && !page.runs().isEmpty()
                                        ? RunCursor.after(
                                                        page.runs()
                                                                .get(page.runs().size() - 1),
                                                        RunSortField.START_TIME,
                                                        SortDirection.DESC)
                                                .encode()
                                        : null);
                        Map<String, Object> result = new LinkedHashMap<>();
                        result.put("runs", views);
                        result.put("cursors", cursors);
                        return result;
                    });
                });
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
        UUID projectId = uuid("id", id);
        UUID tenantId = tenancy.currentTenantId();
        return projects.projectsByIds(tenantId, List.of(projectId)).flatMap(found -> {
            ProjectRecord project = found.get(0);
            if (project == null) {
                return Uni.createFrom().item(notFound("project " + projectId + " does not exist"));
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
        List<UUID> ids = runIds.stream().map(r -> uuid("run", r)).toList();
        return feedback.feedback(
                        tenancy.currentTenantId(),
                        ids,
                        keys,
                        Math.max(offset, 0),
                        Math.min(Math.max(limit, 1), MAX_LIMIT))
                .map(list -> list.stream().map(FeedbackView::of).toList());
    }

    /**
     * The body's typed fields and its filters (filter, trace_filter, tree_filter), all of which must
     * match. The typed fields are held to the same rules as every run filter, each named by its field.
     */
    private static RunFilter filter(JsonNode json) {
        Map<RunFilter, String> parts = new IdentityHashMap<>();
        List<RunFilter> fields = new ArrayList<>();
        List<UUID> sessions = uuids(json, "session");
        if (sessions.size() == 1) {
            fields.add(part(parts, "session", new Compare(RunFilterField.PROJECT_ID, Op.EQ, sessions.get(0))));
        } else if (sessions.size() > 1) {
            List<RunFilter> anyProject = sessions.stream()
                    .map(s -> (RunFilter) new Compare(RunFilterField.PROJECT_ID, Op.EQ, s))
                    .toList();
            fields.add(part(parts, "session", new RunFilter.Any(anyProject)));
        }
        List<UUID> ids = uuids(json, "id");
        if (!ids.isEmpty()) {
            fields.add(part(parts, "id", new Compare(RunFilterField.ID, Op.IN, ids)));
        }
        UUID trace = uuid(json, "trace");
        if (trace != null) {
            fields.add(part(parts, "trace", new Compare(RunFilterField.TRACE_ID, Op.EQ, trace)));
        }
        UUID parent = uuid(json, "parent_run");
        if (parent != null) {
            fields.add(part(parts, "parent_run", new Compare(RunFilterField.PARENT_RUN_ID, Op.EQ, parent)));
        }
        if (json.hasNonNull("is_root")) {
            fields.add(part(
                    parts,
                    "is_root",
                    new Compare(
                            RunFilterField.IS_ROOT, Op.EQ, json.get("is_root").asBoolean())));
        }
        if (json.hasNonNull("error")) {
            fields.add(part(
                    parts,
                    "error",
                    new Compare(RunFilterField.ERROR, Op.EQ, json.get("error").asBoolean())));
        }
        RunFilter typed = new RunFilter.All(fields);
        try {
            RunFilterRules.check(typed, parts::get);
        } catch (RunFilterRules.InvalidRunFilterException e) {
            String part = parts.getOrDefault(e.node(), "body");
            throw IngestException.malformed(part, e.getMessage());
        }
        List<RunFilter> conditions = new ArrayList<>(fields);
        for (String filterKey : List.of("filter", "trace_filter", "tree_filter")) {
            if (json.hasNonNull(filterKey)) {
                conditions.add(parseFilter(filterKey, json.get(filterKey).asText()));
            }
        }
        return new RunFilter.All(conditions);
    }

    private static RunFilter part(Map<RunFilter, String> parts, String name, RunFilter node) {
        parts.put(node, name);
        if (node instanceof RunFilter.Any any) {
            any.filters().forEach(alternative -> parts.put(alternative, name));
        }
        return node;
    }

    private static RunFilter parseFilter(String field, String text) {
        try {
            return FilterLanguage.parse(text);
        } catch (FilterLanguage.InvalidFilterException e) {
            throw IngestException.malformed(field, field + ": " + e.getMessage());
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode json = body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
            if (!json.isObject()) {
                throw IngestException.malformed("body", "the body must be a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw IngestException.malformed("body", "the body is not valid JSON");
        }
    }

    private static List<UUID> uuids(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> ids.add(uuid(field, n.asText())));
        } else {
            ids.add(uuid(field, node.asText()));
        }
        return ids;
    }

    private static UUID uuid(JsonNode json, String field) {
        return json.hasNonNull(field) ? uuid(field, json.get(field).asText()) : null;
    }

    private static UUID uuid(String field, String value) {
        UUID id = Uuids.parseOrNull(value);
        if (id != null) {
            return id;
        }
        throw IngestException.malformed(field, field + " must be a UUID, got '" + value + "'");
    }

    private static Response notFound(String message) {
        return Response.status(404)
                .entity(Map.of("error", "not_found", "message", message))
                .build();
    }
}
