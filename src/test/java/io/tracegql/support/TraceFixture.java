package io.tracegql.support;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;
import io.vertx.mutiny.sqlclient.Tuple;
import org.hibernate.reactive.mutiny.Mutiny;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.RunField;
import io.tracegql.ingest.DemoData;
import io.tracegql.store.RunRecord;
import io.tracegql.store.RunWriter;
import io.tracegql.store.Sql;
import io.tracegql.store.entity.FeedbackEntity;
import io.tracegql.store.entity.ProjectEntity;

/**
 * A small data set whose aggregates were worked out by hand (see the comments), written through the
 * gateway's own write path.
 *
 * <pre>
 * alpha  T1  R1 chain "pipeline"  10:00:00-10:00:10 (10 s)  tags prod,v1  metadata user_id=u1 env=prod
 *              R2 llm "ChatModel" 10:00:01-10:00:04 (3 s)  first token +0.5 s  tokens 100+50  cost .00025+.0005
 *              R3 tool "search"   10:00:05-10:00:06 (1 s)  error
 *                 R4 retriever "retrieve" 10:00:05.1-10:00:05.3 (0.2 s)
 *        T2  R5 llm "ChatModel"  (root) 2 s, first token +0.2 s, tokens 10+5 total 20 (as sent), cost .001, error
 *        T3  R6 chain "pipeline" (root) pending, metadata env=dev
 * beta   T4  R7 chain "other"    (root) 4 s
 * empty  (no runs)
 * feedback: R1 correctness 1 and 0, R1 rating "good"; R5 rating "good" and "bad"; alpha itself release=1 "yes"
 * </pre>
 */
@ApplicationScoped
public class TraceFixture {

    public static final UUID ALPHA = UUID.fromString("a0000000-0000-4000-8000-000000000001");
    public static final UUID BETA = UUID.fromString("b0000000-0000-4000-8000-000000000002");
    public static final UUID EMPTY = UUID.fromString("c0000000-0000-4000-8000-000000000003");
    public static final UUID R1 = run(1);
    public static final UUID R2 = run(2);
    public static final UUID R3 = run(3);
    public static final UUID R4 = run(4);
    public static final UUID R5 = run(5);
    public static final UUID R6 = run(6);
    public static final UUID R7 = run(7);
    public static final OffsetDateTime T1_START = OffsetDateTime.parse("2024-05-01T10:00:00Z");

    private final Sql sql;
    private final RunWriter runWriter;
    private final Mutiny.SessionFactory sessions;
    private final TracegqlConfig config;

    public TraceFixture(Sql sql, RunWriter runWriter, Mutiny.SessionFactory sessions, TracegqlConfig config) {
        this.sql = sql;
        this.runWriter = runWriter;
        this.sessions = sessions;
        this.config = config;
    }

    public static UUID run(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n));
    }

    /** Empties every table and writes the hand-checked data set. */
    public void load() {
        await(() -> truncate().flatMap(ignored -> write(projects(), runs(), feedback())));
    }

    /** Writes a generated data set (for counting statements on many rows) beside the hand-checked one. */
    public DemoData.DataSet loadDemo(int tracesPerProject) {
        DemoData.DataSet data = DemoData.generate(
                7, config.defaultTenantId(), tracesPerProject, OffsetDateTime.parse("2024-06-01T00:00:00Z"));
        await(() -> write(data.projects(), data.runs(), data.feedback()));
        return data;
    }

    /** Empties every table. */
    public void reset() {
        await(this::truncate);
    }

    private Uni<Void> truncate() {
        return sql.query("truncate runs, feedback, projects, run_patches, run_attachments", Tuple.tuple())
                .replaceWithVoid();
    }

    private Uni<Void> write(List<ProjectEntity> projects, List<RunRecord> runs, List<FeedbackEntity> feedback) {
        UUID tenant = config.defaultTenantId();
        return sessions.withTransaction(s -> s.persistAll(projects.toArray()))
                .flatMap(ignored -> runWriter.insert(tenant, runs))
                .flatMap(ignored -> sessions.withTransaction(s -> s.persistAll(feedback.toArray())));
    }

    private List<ProjectEntity> projects() {
        return List.of(
                project(
                        ALPHA,
                        "alpha",
                        "2024-01-01T00:00:00Z",
                        Map.of("metadata", Map.of("team", "x"), "tags", List.of("t1"))),
                project(BETA, "beta", "2024-01-02T00:00:00Z", null),
                project(EMPTY, "empty", "2024-01-03T00:00:00Z", null));
    }

    private List<RunRecord> runs() {
        List<RunRecord> runs = new ArrayList<>();
        RunRecord r1 = node(null, R1, ALPHA, "pipeline", "chain", T1_START, T1_START.plusSeconds(10))
                .set(RunField.TAGS, List.of("prod", "v1"))
                .set(RunField.INPUTS, Map.of("messages", List.of(Map.of("role", "user", "content", "hi there"))))
                .set(RunField.OUTPUTS, Map.of("output", "hello"))
                .set(
                        RunField.EXTRA,
                        Map.of("metadata", Map.of("user_id", "u1", "env", "prod"), "runtime", Map.of("sdk", "js")));
        RunRecord r2 = node(r1, R2, ALPHA, "ChatModel", "llm", T1_START.plusSeconds(1), T1_START.plusSeconds(4))
                .set(RunField.FIRST_TOKEN_TIME, T1_START.plusSeconds(1).plusNanos(500_000_000))
                .set(RunField.INPUTS, Map.of("messages", List.of(Map.of("role", "user", "content", "hi there"))))
                .set(RunField.OUTPUTS, Map.of("generations", List.of(Map.of("text", "hello"))))
                .set(RunField.PROMPT_TOKENS, 100)
                .set(RunField.COMPLETION_TOKENS, 50)
                .set(RunField.PROMPT_TOKEN_DETAILS, Map.of("cache_read", 40))
                .set(RunField.COMPLETION_TOKEN_DETAILS, Map.of("reasoning", 10))
                .set(RunField.PROMPT_COST, new BigDecimal("0.00025"))
                .set(RunField.COMPLETION_COST, new BigDecimal("0.0005"))
                .set(RunField.PROMPT_COST_DETAILS, Map.of("cache_read", 0.0001))
                .set(RunField.COMPLETION_COST_DETAILS, Map.of("reasoning", 0.0001))
                .set(RunField.EVENTS, List.of(Map.of("name", "new_token", "time", "2024-05-01T10:00:01.5Z")))
                .set(RunField.SERIALIZED, Map.of("model", "gpt-4o-mini"))
                .set(RunField.MANIFEST_ID, run(901))
                .set(RunField.REFERENCE_EXAMPLE_ID, run(902))
                .set(RunField.REFERENCE_DATASET_ID, run(903))
                .set(RunField.THREAD_ID, "thread-1")
                .set(RunField.THREAD_EVALUATION_TIME, OffsetDateTime.parse("2024-05-01T11:00:00Z"))
                .set(RunField.APP_PATH, "/o/1/projects/p/alpha/r/2")
                .set(RunField.PRICE_MODEL_ID, run(904))
                .set(RunField.ATTACHMENTS, Map.of("image.png", "https://files.example/image.png"))
                .set(RunField.INPUTS_S3_URLS, Map.of("inputs", "s3://bucket/in"))
                .set(RunField.OUTPUTS_S3_URLS, Map.of("outputs", "s3://bucket/out"))
                .set(RunField.TAGS, List.of("model:small"));
        RunRecord r3 = node(r1, R3, ALPHA, "search", "tool", T1_START.plusSeconds(5), T1_START.plusSeconds(6))
                .set(RunField.INPUTS, Map.of("input", "weather"))
                .set(RunField.ERROR, "ToolError: boom\n  at search (tools.py:1)");
        RunRecord r4 = node(
                        r3,
                        R4,
                        ALPHA,
                        "retrieve",
                        "retriever",
                        T1_START.plusSeconds(5).plusNanos(100_000_000),
                        T1_START.plusSeconds(5).plusNanos(300_000_000))
                .set(RunField.INPUTS, Map.of("query", "weather"));
        OffsetDateTime t2 = OffsetDateTime.parse("2024-05-02T10:00:00Z");
        RunRecord r5 = node(null, R5, ALPHA, "ChatModel", "llm", t2, t2.plusSeconds(2))
                .set(RunField.FIRST_TOKEN_TIME, t2.plusNanos(200_000_000))
                .set(RunField.PROMPT_TOKENS, 10)
                .set(RunField.COMPLETION_TOKENS, 5)
                .set(RunField.TOTAL_TOKENS, 20)
                .set(RunField.TOTAL_COST, new BigDecimal("0.001"))
                .set(RunField.ERROR, "RateLimitError: slow down")
                .set(RunField.TAGS, List.of("v1"));
        RunRecord r6 = node(null, R6, ALPHA, "pipeline", "chain", OffsetDateTime.parse("2024-05-03T00:00:00Z"), null)
                .set(RunField.EXTRA, Map.of("metadata", Map.of("env", "dev")));
        OffsetDateTime t4 = OffsetDateTime.parse("2024-05-04T00:00:00Z");
        RunRecord r7 = node(null, R7, BETA, "other", "chain", t4, t4.plusSeconds(4));
        runs.addAll(List.of(r1, r2, r3, r4, r5, r6, r7));
        return runs;
    }

    private List<FeedbackEntity> feedback() {
        return List.of(
                feedback(11, R1, "correctness", 1.0, null),
                feedback(12, R1, "correctness", 0.0, null),
                feedback(13, R1, "rating", null, "good"),
                feedback(14, R5, "rating", null, "good"),
                feedback(15, R5, "rating", null, "bad"),
                feedback(16, null, "release", 1.0, "yes"));
    }

    private static RunRecord node(
            RunRecord parent,
            UUID id,
            UUID project,
            String name,
            String type,
            OffsetDateTime start,
            OffsetDateTime end) {
        return new RunRecord()
                .set(RunField.ID, id)
                .set(RunField.PROJECT_ID, project)
                .set(RunField.TRACE_ID, parent == null ? id : parent.get(RunField.TRACE_ID))
                .set(RunField.PARENT_RUN_ID, parent == null ? null : parent.id())
                .set(
                        RunField.DOTTED_ORDER,
                        DottedOrder.of(parent == null ? null : parent.get(RunField.DOTTED_ORDER), start, id))
                .set(RunField.NAME, name)
                .set(RunField.RUN_TYPE, type)
                .set(RunField.START_TIME, start)
                .set(RunField.END_TIME, end);
    }

    private ProjectEntity project(UUID id, String name, String start, Map<String, Object> extra) {
        ProjectEntity project = new ProjectEntity();
        project.id = id;
        project.tenantId = config.defaultTenantId();
        project.name = name;
        project.description = "the " + name + " project";
        project.startTime = OffsetDateTime.parse(start);
        project.extra = extra;
        return project;
    }

    private FeedbackEntity feedback(int n, UUID runId, String key, Double score, String value) {
        FeedbackEntity feedback = new FeedbackEntity();
        feedback.id = run(n);
        feedback.tenantId = config.defaultTenantId();
        feedback.runId = runId;
        feedback.projectId = ALPHA;
        feedback.key = key;
        feedback.score = score;
        feedback.valueJson = value == null ? null : Json.encode(value);
        feedback.createdAt = T1_START;
        feedback.modifiedAt = T1_START;
        return feedback;
    }

    private static <T> void await(java.util.function.Supplier<Uni<T>> work) {
        try {
            VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable e) {
            throw new IllegalStateException("could not write the fixture", e);
        }
    }
}
