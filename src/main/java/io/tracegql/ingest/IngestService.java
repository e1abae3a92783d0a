package io.tracegql.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.RunField;
import io.tracegql.store.JsonValues;
import io.tracegql.store.RunPricing;
import io.tracegql.store.RunRecord;
import io.tracegql.store.RunWriter;
import io.tracegql.store.Sql;

import static io.tracegql.domain.RunField.DOTTED_ORDER;
import static io.tracegql.domain.RunField.PARENT_RUN_ID;
import static io.tracegql.domain.RunField.START_TIME;
import static io.tracegql.domain.RunField.TRACE_ID;

/**
 * Writes one ingest request in one transaction: the projects it names (created on first use), its
 * runs (created, or merged into stored ones), its updates (merged, or kept until their run arrives)
 * and its feedback, then estimates the costs of its llm runs that have tokens but no costs from the
 * tenant's model prices ({@link RunPricing}), over the runs as they now are. The answer is sent only
 * after the commit, so an accepted request is durable; a request that fails is not written at all.
 */
@ApplicationScoped
public class IngestService {

    /** Project of runs that name none, as LangSmith clients expect. */
    public static final String DEFAULT_PROJECT = "default";

    private static final String ENSURE_PROJECTS = "insert into projects (id, tenant_id, name)"
            + " select gen_random_uuid(), $1, name from unnest($2::text[]) as name"
            + " on conflict (tenant_id, name) do nothing";
    private static final String PROJECTS_BY_NAME =
            "select id, name from projects where tenant_id = $1 and name = any($2::text[])";
    private static final String PROJECTS_BY_ID =
            "select id from projects where tenant_id = $1 and id = any($2::uuid[])";
    private static final String PARENTS =
            "select id, dotted_order, project_id from runs where tenant_id = $1 and id = any($2::uuid[])";
    /** Ascending, so that two requests that share keys never wait for each other in a circle. */
    private static final String WRITE_LOCKS =
            "select pg_advisory_xact_lock(k) from (select k from unnest($1::bigint[]) as k order by k) as keys";
    /** See {@link #adoptOrphans}; visible to the test that holds its plan to index lookups. */
    static final String ADOPT_ORPHANS = "update runs c set trace_id = p.trace_id,"
            + " dotted_order = p.dotted_order || '.' || c.dotted_order"
            + " from runs o join runs p on p.tenant_id = o.tenant_id and p.id = o.parent_run_id"
            + " where o.tenant_id = $1 and (o.parent_run_id = any($2::uuid[]) or o.id = any($2::uuid[]))"
            + " and o.trace_id = o.id and o.parent_run_id is not null"
            + " and not (p.trace_id = p.id and p.parent_run_id is not null and exists (select 1 from runs g"
            + " where g.tenant_id = p.tenant_id and g.id = p.parent_run_id))"
            + " and c.tenant_id = o.tenant_id and c.trace_id = o.id";
    /** Parents that arrive together with their own parents move one level a round; cycles end. */
    private static final int MAX_ADOPTION_ROUNDS = 64;

    private static final String PENDING_PATCHES = "delete from run_patches where tenant_id = $1"
            + " and run_id = any($2::uuid[]) returning run_id, patch, received_at";
    private static final String KEEP_PATCH = "insert into run_patches (tenant_id, run_id, patch) values ($1, $2, $3)";
    private static final String FEEDBACK_PROJECTS = "update feedback f set project_id = r.project_id from runs r"
            + " where f.tenant_id = $1 and f.project_id is null and f.run_id = any($2::uuid[])"
            + " and r.tenant_id = f.tenant_id and r.id = f.run_id";
    private static final String UPSERT_FEEDBACK = "insert into feedback (id, tenant_id, run_id, project_id, key, score,"
            + " value, comment, correction, feedback_source, created_at, modified_at)"
            + " values ($1, $2, $3, coalesce($4, (select r.project_id from runs r where r.tenant_id = $2 and r.id = $3)),"
            + " $5, $6, $7, $8, $9, $10, coalesce($11, now()), now())"
            + " on conflict (id) do update set score = excluded.score, value = excluded.value,"
            + " comment = excluded.comment, correction = excluded.correction, modified_at = now()"
            + " where feedback.tenant_id = excluded.tenant_id and feedback.key = excluded.key";

    private static final String UPSERT_ATTACHMENT = "insert into run_attachments (tenant_id, run_id, name,"
            + " content_type, data) values ($1, $2, $3, $4, $5) on conflict (tenant_id, run_id, name)"
            + " do update set content_type = excluded.content_type, data = excluded.data";
    private static final String LINK_ATTACHMENT = "update runs set attachments = coalesce(attachments, '{}')"
            + " || jsonb_build_object($3::text, $4::text) where tenant_id = $1 and id = $2";

    private final Sql sql;
    private final RunWriter runWriter;
    private final ObjectMapper mapper;
    private final RunJson runJson;
    private final IngestMetrics metrics;
    private final RunPricing pricing;

    public IngestService(Sql sql, RunWriter runWriter, RunPricing pricing, ObjectMapper mapper, IngestMetrics metrics) {
        this.sql = sql;
        this.metrics = metrics;
        this.runWriter = runWriter;
        this.pricing = pricing;
        this.mapper = mapper;
        this.runJson = new RunJson(mapper);
    }

    /** Writes a validated batch for one tenant. Fails with an {@link IngestException} on a 4xx problem. */
    public Uni<Void> write(UUID tenantId, IngestBatch batch) {
        if (batch.size() == 0) {
            return Uni.createFrom().voidItem();
        }
        return sql.inTransaction(connection -> lock(connection, batch.writeLocks())
                        .flatMap(ignored -> resolveProjects(connection, tenantId, batch.posts()))
                        .flatMap(ignored -> resolveParents(connection, tenantId, batch))
                        .flatMap(ignored -> runWriter.upsert(connection, tenantId, records(batch.posts())))
                        .flatMap(ignored -> adoptOrphans(connection, tenantId, batch, 1))
                        .flatMap(ignored -> applyPendingPatches(connection, tenantId, batch.posts()))
                        .flatMap(ignored -> patch(connection, tenantId, batch.patches()))
                        .flatMap(ignored -> pricing.priceRuns(connection, tenantId, runIds(batch)))
                        .flatMap(ignored -> fixFeedbackProjects(connection, tenantId, batch.posts()))
                        .flatMap(ignored -> writeFeedback(connection, tenantId, batch.feedback()))
                        .flatMap(ignored -> writeAttachments(connection, tenantId, batch.attachments())))
                .invoke(() ->
                        metrics.written(batch.posts().size() + batch.patches().size()));
    }

    private Uni<Void> lock(SqlClient connection, List<Long> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] sorted = keys.stream().distinct().sorted().toArray(Long[]::new);
        return sql.query(connection, WRITE_LOCKS, Tuple.of(sorted)).replaceWithVoid();
    }

    /** Sets the project of every new run: by id (which must exist) or by name (created on first use). */
    private Uni<Void> resolveProjects(SqlClient connection, UUID tenantId, List<IncomingRun> posts) {
        Set<String> names = new LinkedHashSet<>();
        Set<UUID> ids = new LinkedHashSet<>();
        for (IncomingRun post : posts) {
            if (post.sessionId() != null) {
                ids.add(post.sessionId());
            } else {
                names.add(post.sessionName() != null ? post.sessionName() : DEFAULT_PROJECT);
            }
        }
        Uni<Void> byId = ids.isEmpty()
                ? Uni.createFrom().voidItem()
                : sql.query(connection, PROJECTS_BY_ID, Tuple.of(tenantId, ids.toArray(UUID[]::new)))
                        .invoke(rows -> {
                            Set<UUID> found = new HashSet<>();
                            rows.forEach(row -> found.add(row.getUUID("id")));
                            for (IncomingRun post : posts) {
                                if (post.sessionId() != null && !found.contains(post.sessionId())) {
                                    throw IngestException.invalid(
                                            post.part(),
                                            "session_id",
                                            "project " + post.sessionId() + " does not exist; send session_name to"
                                                    + " create a project by name");
                                }
                                if (post.sessionId() != null) {
                                    post.run().set(RunField.PROJECT_ID, post.sessionId());
                                }
                            }
                        })
                        .replaceWithVoid();
        if (names.isEmpty()) {
            return byId;
        }
        String[] nameArray = names.toArray(String[]::new);
        return byId.flatMap(ignored -> sql.query(connection, ENSURE_PROJECTS, Tuple.of(tenantId, nameArray)))
                .flatMap(ignored -> sql.query(connection, PROJECTS_BY_NAME, Tuple.of(tenantId, nameArray)))
                .invoke(rows -> {
                    Map<String, UUID> byName = new HashMap<>();
                    rows.forEach(row -> byName.put(row.getString("name"), row.getUUID("id")));
                    for (IncomingRun post : posts) {
                        if (post.sessionId() == null) {
                            String name = post.sessionName() != null ? post.sessionName() : DEFAULT_PROJECT;
                            post.run().set(RunField.PROJECT_ID, byName.get(name));
                        }
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Gives child runs sent without a dotted order the one their parent implies. A child whose parent
     * is unknown is refused, or, when the batch allows parents to follow, starts a provisional trace of
     * its own (see {@link #adoptOrphans}).
     */
    private Uni<Void> resolveParents(SqlClient connection, UUID tenantId, IngestBatch batch) {
        List<IncomingRun> posts = batch.posts();
        Map<UUID, RunRecord> inBatch = new HashMap<>();
        posts.forEach(post -> inBatch.put(post.run().id(), post.run()));
        List<IncomingRun> orphans = posts.stream()
                .filter(post -> post.run().get(DOTTED_ORDER) == null)
                .toList();
        if (orphans.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] parentIds = orphans.stream()
                .map(post -> post.run().<UUID>get(PARENT_RUN_ID))
                .distinct()
                .toArray(UUID[]::new);
        return sql.query(connection, PARENTS, Tuple.of(tenantId, parentIds))
                .invoke(rows -> {
                    Map<UUID, String> stored = new HashMap<>();
                    rows.forEach(row -> stored.put(row.getUUID("id"), row.getString("dotted_order")));
                    placeUnderParents(orphans, inBatch, stored);
                    if (batch.parents() == IngestBatch.Parents.MAY_FOLLOW) {
                        // Tops of subtrees whose parent is yet to come first, so that their children in
                        // this request join them; runs left over are parts of a cycle of parents.
                        orphans.stream()
                                .filter(orphan ->
                                        !inBatch.containsKey(orphan.run().<UUID>get(PARENT_RUN_ID)))
                                .forEach(IngestService::startProvisionalTrace);
                        placeUnderParents(orphans, inBatch, stored);
                        orphans.forEach(IngestService::startProvisionalTrace);
                    }
                    for (IncomingRun orphan : orphans) {
                        if (orphan.run().get(DOTTED_ORDER) == null) {
                            throw IngestException.invalid(
                                    orphan.part(),
                                    "dotted_order",
                                    "parent run "
                                            + orphan.run().get(PARENT_RUN_ID)
                                            + " is not known: send dotted_order with the run,"
                                            + " or send its parent first");
                        }
                    }
                })
                .replaceWithVoid();
    }

    /** Completes the runs whose parent's dotted order is known, top-down: parents may be children too. */
    private static void placeUnderParents(
            List<IncomingRun> orphans, Map<UUID, RunRecord> inBatch, Map<UUID, String> stored) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (IncomingRun orphan : orphans) {
                RunRecord run = orphan.run();
                if (run.get(DOTTED_ORDER) != null) {
                    continue;
                }
                RunRecord parent = inBatch.get(run.<UUID>get(PARENT_RUN_ID));
                String parentOrder =
                        parent != null ? parent.get(DOTTED_ORDER) : stored.get(run.<UUID>get(PARENT_RUN_ID));
                if (parentOrder != null) {
                    run.set(DOTTED_ORDER, DottedOrder.of(parentOrder, run.get(START_TIME), run.id()));
                    run.set(TRACE_ID, DottedOrder.runIds(parentOrder).get(0));
                    progress = true;
                }
            }
        }
    }

    /** A child whose parent is not there yet stands at the top of a trace of its own until it is. */
    private static void startProvisionalTrace(IncomingRun orphan) {
        RunRecord run = orphan.run();
        if (run.get(DOTTED_ORDER) == null) {
            run.set(DOTTED_ORDER, DottedOrder.of(null, run.get(START_TIME), run.id()));
            run.set(TRACE_ID, run.id());
        }
    }

    /**
     * Moves provisional traces under their parents once the parents are stored: each stored child
     * that tops a trace of its own ({@code trace_id = id}) while it has a parent, where that parent or
     * the child itself was just written, takes its parent's trace id, and its subtree (the runs of its
     * provisional trace) the parent's dotted order in front of its own. A parent that is itself about to
     * move waits for the next round, so that a chain of them that arrives at once ends complete.
     */
    private Uni<Void> adoptOrphans(SqlClient connection, UUID tenantId, IngestBatch batch, int round) {
        if (batch.parents() != IngestBatch.Parents.MAY_FOLLOW || batch.posts().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = batch.posts().stream().map(post -> post.run().id()).toArray(UUID[]::new);
        return sql.query(connection, ADOPT_ORPHANS, Tuple.of(tenantId, ids))
                .flatMap(rows -> rows.rowCount() == 0 || round >= MAX_ADOPTION_ROUNDS
                        ? Uni.createFrom().voidItem()
                        : adoptOrphans(connection, tenantId, batch, round + 1));
    }

    /** Merges updates that arrived before their runs into the runs just created, oldest first. */
    private Uni<Void> applyPendingPatches(SqlClient connection, UUID tenantId, List<IncomingRun> posts) {
        if (posts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = posts.stream().map(post -> post.run().id()).toArray(UUID[]::new);
        return sql.query(connection, PENDING_PATCHES, Tuple.of(tenantId, ids)).flatMap(rows -> {
            List<Row> pending = new ArrayList<>();
            rows.forEach(pending::add);
            pending.sort(Comparator.comparing(row -> row.getOffsetDateTime("received_at")));
            List<RunRecord> patches = new ArrayList<>();
            for (Row row : pending) {
                JsonNode patch = mapper.valueToTree(((JsonObject) row.getValue("patch")).getMap());
                IncomingRun incoming =
                        runJson.read("patch." + row.getUUID("run_id"), patch, true, row.getUUID("run_id"));
                RunJson.complete(incoming);
                patches.add(incoming.run());
            }
            // Statements of a batch run one after another, so the newest update is applied last.
            return runWriter.patch(connection, tenantId, patches).replaceWithVoid();
        });
    }

    private Uni<Void> patch(SqlClient connection, UUID tenantId, List<IncomingRun> patches) {
        if (patches.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return runWriter
                .patch(connection, tenantId, records(patches))
                .flatMap(absent -> keepForLater(connection, tenantId, patches, absent));
    }

    private Uni<Void> keepForLater(SqlClient connection, UUID tenantId, List<IncomingRun> patches, Set<UUID> absent) {
        if (absent.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        for (IncomingRun patch : patches) {
            if (absent.contains(patch.run().id())) {
                rows.add(Tuple.of(tenantId, patch.run().id(), new JsonObject(runJson.toJson(patch.run()))));
            }
        }
        return sql.batch(connection, KEEP_PATCH, rows).replaceWithVoid();
    }

    private Uni<Void> fixFeedbackProjects(SqlClient connection, UUID tenantId, List<IncomingRun> posts) {
        if (posts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = posts.stream().map(post -> post.run().id()).toArray(UUID[]::new);
        return sql.query(connection, FEEDBACK_PROJECTS, Tuple.of(tenantId, ids)).replaceWithVoid();
    }

    private Uni<Void> writeFeedback(SqlClient connection, UUID tenantId, List<IncomingFeedback> feedback) {
        if (feedback.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(feedback.size());
        for (IncomingFeedback f : feedback) {
            rows.add(Tuple.from(Arrays.asList(
                    f.id(),
                    tenantId,
                    f.runId(),
                    f.sessionId(),
                    f.key(),
                    f.score(),
                    JsonValues.toParameter(f.value()),
                    f.comment(),
                    JsonValues.toParameter(f.correction()),
                    JsonValues.toParameter(f.feedbackSource()),
                    f.createdAt())));
        }
        return sql.batch(connection, UPSERT_FEEDBACK, rows).replaceWithVoid();
    }

    /** The runs a request created or changed: estimates follow what was just written to them. */
    private static Set<UUID> runIds(IngestBatch batch) {
        Set<UUID> ids = new LinkedHashSet<>();
        batch.posts().forEach(post -> ids.add(post.run().id()));
        batch.patches().forEach(patch -> ids.add(patch.run().id()));
        return ids;
    }

    private static List<RunRecord> records(List<IncomingRun> runs) {
        return runs.stream().map(IncomingRun::run).toList();
    }

    private Uni<Void> writeAttachments(SqlClient connection, UUID tenantId, List<IncomingAttachment> attachments) {
        if (attachments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> files = new ArrayList<>();
        List<Tuple> links = new ArrayList<>();
        for (IncomingAttachment a : attachments) {
            files.add(Tuple.of(
                    tenantId, a.runId(), a.name(), a.contentType(), io.vertx.core.buffer.Buffer.buffer(a.data())));
            links.add(Tuple.of(tenantId, a.runId(), a.name(), attachmentPath(a.runId(), a.name())));
        }
        return sql.batch(connection, UPSERT_ATTACHMENT, files)
                .flatMap(ignored -> sql.batch(connection, LINK_ATTACHMENT, links))
                .replaceWithVoid();
    }

    /** Where an attachment is served, relative to the gateway's base URL. */
    public static String attachmentPath(UUID runId, String name) {
        return "/runs/" + runId + "/attachments/"
                + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
    }
}
