package io.tracegql.ingest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunType;
import io.tracegql.store.RunRecord;
import io.tracegql.store.entity.FeedbackEntity;
import io.tracegql.store.entity.ProjectEntity;

/**
 * Generates a small, realistic data set: a few projects of traces that look like what LLM apps
 * record (chains of retrievers, prompts, llm calls, tools and parsers, up to four levels deep), with
 * chat-message payloads, token usage and cost on llm calls, a few errors, first-token times on
 * streamed calls and feedback on some traces. The same seed gives the same data.
 */
public final class DemoData {

    private static final String[] PROJECTS = {"support-bot", "docs-rag", "research-agent"};
    private static final String[] QUESTIONS = {
        "How do I reset my password?",
        "What is the refund policy for annual plans?",
        "Summarise the latest release notes.",
        "Which regions support data residency?",
        "Why did my export fail last night?",
        "Compare the pro and team plans.",
        "How can I rotate my API key?",
        "What does error E1042 mean?"
    };
    private static final String[] MODELS = {"gpt-4o-mini", "claude-3-5-haiku", "llama-3.1-70b"};
    private static final BigDecimal PROMPT_PRICE = new BigDecimal("0.0000025");
    private static final BigDecimal COMPLETION_PRICE = new BigDecimal("0.00001");

    /** Everything generated: projects first, then runs (parents before children), then feedback. */
    public record DataSet(List<ProjectEntity> projects, List<RunRecord> runs, List<FeedbackEntity> feedback) {}

    private final Random random;
    private final UUID tenantId;
    private final OffsetDateTime now;
    private final List<RunRecord> runs = new ArrayList<>();
    private final List<FeedbackEntity> feedback = new ArrayList<>();

    private DemoData(long seed, UUID tenantId, OffsetDateTime now) {
        this.random = new Random(seed);
        this.tenantId = tenantId;
        this.now = now;
    }

    public static DataSet generate(long seed, UUID tenantId, int tracesPerProject, OffsetDateTime now) {
        return new DemoData(seed, tenantId, now).build(tracesPerProject);
    }

    private DataSet build(int tracesPerProject) {
        List<ProjectEntity> projects = new ArrayList<>();
        for (int p = 0; p < PROJECTS.length; p++) {
            ProjectEntity project = new ProjectEntity();
            project.id = uuid();
            project.tenantId = tenantId;
            project.name = PROJECTS[p];
            project.description = "Demo traces of the " + PROJECTS[p] + " app";
            project.startTime = now.minusDays(7 - p);
            project.extra =
                    Map.of("metadata", Map.of("team", p == 0 ? "support" : "platform"), "tags", List.of("demo"));
            projects.add(project);
            for (int t = 0; t < tracesPerProject; t++) {
                OffsetDateTime start =
                        now.minusMinutes(random.nextInt(6 * 24 * 60)).minusSeconds(random.nextInt(60));
                trace(project, start);
            }
        }
        FeedbackEntity sessionFeedback = feedbackOn(null, projects.get(0).id, "release_ready", 1.0, "yes");
        feedback.add(sessionFeedback);
        return new DataSet(projects, runs, feedback);
    }

    private void trace(ProjectEntity project, OffsetDateTime start) {
        String question = QUESTIONS[random.nextInt(QUESTIONS.length)];
        RunRecord root = run(project, null, RunType.CHAIN, project.name + "-pipeline", start);
        root.set(RunField.INPUTS, Map.of("messages", List.of(message("user", question))));
        int budget = 2 + random.nextInt(13); // 3 to 15 runs in all
        OffsetDateTime end = children(project, root, start.plusNanos(1_000_000), budget, 1);
        boolean failed = runs.stream()
                .anyMatch(r -> root.get(RunField.TRACE_ID).equals(r.get(RunField.TRACE_ID))
                        && r.get(RunField.ERROR) != null
                        && r != root);
        root.set(RunField.END_TIME, end.plusNanos(2_000_000));
        if (failed && random.nextInt(2) == 0) {
            root.set(RunField.ERROR, "ToolException: a step of the pipeline failed");
        } else {
            root.set(RunField.OUTPUTS, Map.of("messages", List.of(message("assistant", answerTo(question)))));
        }
        root.set(RunField.EXTRA, Map.of("metadata", Map.of("user_id", "user-" + random.nextInt(20), "env", "prod")));
        if (random.nextInt(5) < 2) {
            double score = random.nextInt(4) == 0 ? 0.0 : 1.0;
            feedback.add(feedbackOn(root.id(), project.id, "correctness", score, null));
            if (random.nextBoolean()) {
                feedback.add(feedbackOn(
                        root.id(), project.id, "user_rating", score, score > 0 ? "thumbs_up" : "thumbs_down"));
            }
        }
    }

    /** Adds up to budget runs below parent, depth-first; returns when the last one ended. */
    private OffsetDateTime children(
            ProjectEntity project, RunRecord parent, OffsetDateTime start, int budget, int depth) {
        OffsetDateTime cursor = start;
        int made = 0;
        while (made < budget) {
            RunType type = childType(depth);
            RunRecord child = run(project, parent, type, nameOf(type), cursor);
            made++;
            OffsetDateTime end;
            if (type == RunType.CHAIN && depth < 3 && made < budget) {
                int inner = Math.min(budget - made, 1 + random.nextInt(4));
                end = children(project, child, cursor.plusNanos(500_000), inner, depth + 1);
                made += inner;
                child.set(RunField.INPUTS, Map.of("input", "step " + depth))
                        .set(RunField.OUTPUTS, Map.of("output", "done"));
            } else {
                end = cursor.plusNanos(millis(type) * 1_000_000L);
                payloads(child, type);
            }
            child.set(RunField.END_TIME, end);
            cursor = end.plusNanos(300_000);
        }
        return cursor;
    }

    private RunType childType(int depth) {
        RunType[] kinds = {
            RunType.RETRIEVER,
            RunType.PROMPT,
            RunType.LLM,
            RunType.LLM,
            RunType.TOOL,
            RunType.PARSER,
            RunType.EMBEDDING,
            RunType.CHAIN
        };
        return depth >= 3 ? kinds[random.nextInt(kinds.length - 1)] : kinds[random.nextInt(kinds.length)];
    }

    private void payloads(RunRecord run, RunType type) {
        switch (type) {
            case LLM -> {
                String model = MODELS[random.nextInt(MODELS.length)];
                int prompt = 200 + random.nextInt(1800);
                int completion = 20 + random.nextInt(400);
                run.set(
                                RunField.INPUTS,
                                Map.of(
                                        "messages",
                                        List.of(
                                                message("system", "You are a helpful assistant."),
                                                message("user", QUESTIONS[random.nextInt(QUESTIONS.length)]))))
                        .set(
                                RunField.OUTPUTS,
                                Map.of("generations", List.of(Map.of("text", "Here is what I found: ..."))))
                        .set(RunField.PROMPT_TOKENS, prompt)
                        .set(RunField.COMPLETION_TOKENS, completion)
                        .set(RunField.PROMPT_TOKEN_DETAILS, Map.of("cache_read", prompt / 4))
                        .set(RunField.COMPLETION_TOKEN_DETAILS, Map.of("reasoning", completion / 5))
                        .set(RunField.PROMPT_COST, PROMPT_PRICE.multiply(BigDecimal.valueOf(prompt)))
                        .set(RunField.COMPLETION_COST, COMPLETION_PRICE.multiply(BigDecimal.valueOf(completion)))
                        .set(
                                RunField.PROMPT_COST_DETAILS,
                                Map.of("cache_read", PROMPT_PRICE.multiply(BigDecimal.valueOf(prompt / 4))))
                        .set(RunField.EXTRA, Map.of("metadata", Map.of("ls_model_name", model, "ls_provider", "demo")))
                        .set(RunField.SERIALIZED, Map.of("model", model, "temperature", 0.2));
                if (random.nextBoolean()) {
                    run.set(
                                    RunField.FIRST_TOKEN_TIME,
                                    run.<OffsetDateTime>get(RunField.START_TIME)
                                            .plusNanos((80 + random.nextInt(400)) * 1_000_000L))
                            .set(
                                    RunField.EVENTS,
                                    List.of(Map.of(
                                            "name",
                                            "new_token",
                                            "time",
                                            run.get(RunField.START_TIME).toString())));
                }
            }
            case RETRIEVER ->
                run.set(RunField.INPUTS, Map.of("query", QUESTIONS[random.nextInt(QUESTIONS.length)]))
                        .set(
                                RunField.OUTPUTS,
                                Map.of(
                                        "documents",
                                        List.of(
                                                Map.of(
                                                        "page_content",
                                                        "Passwords can be reset from the account page.",
                                                        "metadata",
                                                        Map.of("source", "kb/accounts.md")),
                                                Map.of(
                                                        "page_content",
                                                        "Refunds are prorated for annual plans.",
                                                        "metadata",
                                                        Map.of("source", "kb/billing.md")))));
            case TOOL -> {
                run.set(RunField.INPUTS, Map.of("input", "{\"ticket\": " + random.nextInt(9000) + "}"));
                if (random.nextInt(6) == 0) {
                    run.set(
                            RunField.ERROR,
                            "ToolException: ticket service timed out after 5s\n  at lookup_ticket (tools.py:42)");
                } else {
                    run.set(RunField.OUTPUTS, Map.of("output", "ticket is open, priority " + (1 + random.nextInt(3))));
                }
            }
            case PROMPT ->
                run.set(RunField.INPUTS, Map.of("question", QUESTIONS[random.nextInt(QUESTIONS.length)]))
                        .set(
                                RunField.OUTPUTS,
                                Map.of("messages", List.of(message("system", "Answer from the context."))));
            case PARSER ->
                run.set(RunField.INPUTS, Map.of("input", "Here is what I found: ..."))
                        .set(RunField.OUTPUTS, Map.of("output", "parsed"));
            case EMBEDDING ->
                run.set(RunField.INPUTS, Map.of("input", "refund policy"))
                        .set(RunField.OUTPUTS, Map.of("dimensions", 1536));
            default ->
                run.set(RunField.INPUTS, Map.of("input", "step")).set(RunField.OUTPUTS, Map.of("output", "done"));
        }
    }

    private RunRecord run(ProjectEntity project, RunRecord parent, RunType type, String name, OffsetDateTime start) {
        UUID id = uuid();
        RunRecord run = new RunRecord()
                .set(RunField.ID, id)
                .set(RunField.PROJECT_ID, project.id)
                .set(RunField.TRACE_ID, parent == null ? id : parent.get(RunField.TRACE_ID))
                .set(RunField.PARENT_RUN_ID, parent == null ? null : parent.id())
                .set(
                        RunField.DOTTED_ORDER,
                        DottedOrder.of(parent == null ? null : parent.get(RunField.DOTTED_ORDER), start, id))
                .set(RunField.NAME, name)
                .set(RunField.RUN_TYPE, type.wireName())
                .set(RunField.START_TIME, start)
                .set(RunField.TAGS, parent == null ? List.of("demo", project.name) : List.of())
                .set(RunField.THREAD_ID, parent == null ? "thread-" + random.nextInt(8) : null);
        runs.add(run);
        return run;
    }

    private FeedbackEntity feedbackOn(UUID runId, UUID projectId, String key, Double score, String value) {
        FeedbackEntity entity = new FeedbackEntity();
        entity.id = uuid();
        entity.tenantId = tenantId;
        entity.runId = runId;
        entity.projectId = projectId;
        entity.key = key;
        entity.score = score;
        entity.valueJson = value == null ? null : io.vertx.core.json.Json.encode(value);
        entity.comment = value == null ? null : "given in the demo app";
        entity.feedbackSource = Map.of("type", "api");
        entity.createdAt = now;
        entity.modifiedAt = now;
        return entity;
    }

    private int millis(RunType type) {
        return switch (type) {
            case LLM -> 400 + random.nextInt(4000);
            case RETRIEVER, EMBEDDING -> 50 + random.nextInt(300);
            case TOOL -> 100 + random.nextInt(1500);
            default -> 1 + random.nextInt(20);
        };
    }

    private static String nameOf(RunType type) {
        return switch (type) {
            case LLM -> "ChatModel";
            case RETRIEVER -> "VectorStoreRetriever";
            case TOOL -> "lookup_ticket";
            case PROMPT -> "ChatPromptTemplate";
            case PARSER -> "StrOutputParser";
            case EMBEDDING -> "Embeddings";
            case CHAIN -> "RunnableSequence";
        };
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", role);
        message.put("content", content);
        return message;
    }

    private static String answerTo(String question) {
        return "Answer to \"" + question + "\": see the linked article.";
    }

    /** A random (version 4) UUID drawn from the seeded generator. */
    private UUID uuid() {
        long most = random.nextLong() & ~0xF000L | 0x4000L;
        long least = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(most, least);
    }
}
