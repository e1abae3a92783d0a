package io.tracegql.ingest;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.tracegql.domain.FeedbackStat;
import io.tracegql.domain.RunField;
import io.tracegql.store.RunRecord;
import io.tracegql.store.ThreadRecord;

/**
 * Threads as LangSmith clients read them: a v1 run group ({@code POST /runs/group}), a v2 thread
 * ({@code threads.query}) and the v2 stats of one thread ({@code threads.stats}). Token and cost
 * figures cover the llm runs of the thread's whole traces, the others its turns (root runs).
 */
final class ThreadView {

    /** Catalogue fields of the v1 run by their names in upper case, as listTraces selects them. */
    private static final Map<String, RunField> TRACE_FIELDS = traceFields();

    private ThreadView() {}

    /** The figures {@code threads.stats} can select, each with its key in the answer and its value. */
    enum Stat {
        TURNS("turns", ThreadRecord::turnCount),
        FIRST_START_TIME("first_start_time", t -> time(t.firstStartTime())),
        LAST_START_TIME("last_start_time", t -> time(t.lastStartTime())),
        LATENCY_P50("latency_p50_seconds", ThreadRecord::latencyP50),
        LATENCY_P99("latency_p99_seconds", ThreadRecord::latencyP99),
        PROMPT_TOKENS("prompt_tokens", t -> t.totals().promptTokens()),
        COMPLETION_TOKENS("completion_tokens", t -> t.totals().completionTokens()),
        TOTAL_TOKENS("total_tokens", t -> t.totals().totalTokens()),
        PROMPT_COST("prompt_cost", t -> t.totals().promptCost()),
        COMPLETION_COST("completion_cost", t -> t.totals().completionCost()),
        TOTAL_COST("total_cost", t -> t.totals().totalCost()),
        /** Read by a statement of its own: the feedback on the thread's turns. */
        FEEDBACK_STATS("feedback_stats", t -> null);

        private final String key;
        private final Function<ThreadRecord, Object> value;

        Stat(String key, Function<ThreadRecord, Object> value) {
            this.key = key;
            this.value = value;
        }

        static Set<Stat> parse(String part, List<String> names) {
            if (names == null || names.isEmpty()) {
                throw IngestException.malformed(part, part + " is required: name the stats to compute, of " + names());
            }
            EnumSet<Stat> stats = EnumSet.noneOf(Stat.class);
            for (String name : names) {
                try {
                    stats.add(Stat.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw IngestException.malformed(
                            part, part + ": unknown thread stat '" + name + "'; supported are " + names());
                }
            }
            return stats;
        }

        private static String names() {
            return String.join(", ", Arrays.stream(values()).map(Enum::name).toList());
        }
    }

    /**
     * The fields {@code threads.listTraces} can select: the trace's root run's, by their v1 names in
     * upper case (LATENCY, INPUTS_PREVIEW...). Its token and cost figures are sums over the whole trace,
     * which the root's fields of those names are not: they are refused rather than answered wrong.
     */
    static Set<RunField> traceSelects(String part, List<String> names) {
        EnumSet<RunField> fields = EnumSet.noneOf(RunField.class);
        for (String name : names) {
            RunField field = TRACE_FIELDS.get(name);
            if (field == null) {
                throw IngestException.malformed(
                        part,
                        part + ": unknown trace field '" + name + "'; selectable are "
                                + String.join(", ", TRACE_FIELDS.keySet()));
            }
            if (wholeTraceFigure(field)) {
                throw IngestException.malformed(
                        part,
                        part + ": " + name
                                + " of a trace is a total over its runs, which this server does not serve per trace yet");
            }
            fields.add(field);
        }
        return fields;
    }

    /** A trace of {@code threads.listTraces}: its id and the selected fields of its root run. */
    static Map<String, Object> trace(RunRecord root, Set<RunField> selects) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace_id", root.id().toString());
        for (RunField field : selects) {
            Object value = root.get(field);
            json.put(field.v1Name(), value instanceof OffsetDateTime time ? time.toString() : value);
        }
        return json;
    }

    /** Tokens, costs and their details: the kinds and fields that store usage. */
    private static boolean wholeTraceFigure(RunField field) {
        return field.kind() == RunField.Kind.INTEGER
                || field.kind() == RunField.Kind.DECIMAL
                || field.v2Name().endsWith("_details");
    }

    /** A v2 thread of {@code threads.query}. */
    static Map<String, Object> of(ThreadRecord thread, List<FeedbackStat> feedback) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("thread_id", thread.threadId());
        json.put("count", thread.turnCount());
        json.put("start_time", time(thread.lastStartTime()));
        json.put("min_start_time", time(thread.firstStartTime()));
        json.put("max_start_time", time(thread.lastStartTime()));
        json.put("first_inputs", thread.firstInputsPreview());
        json.put("last_outputs", thread.lastOutputsPreview());
        json.put("last_error", thread.lastError());
        json.put("num_errored_turns", thread.errorCount());
        json.put("latency_p50", thread.latencyP50());
        json.put("latency_p99", thread.latencyP99());
        json.put("total_tokens", thread.totals().totalTokens());
        json.put("total_cost", thread.totals().totalCost());
        json.put("feedback_stats", RunView.feedbackStats(feedback));
        return json;
    }

    /** A v1 run group of {@code POST /runs/group}: its filter selects the thread's runs in the filter language. */
    static Map<String, Object> group(ThreadRecord thread, List<FeedbackStat> feedback) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("thread_id", thread.threadId());
        json.put("filter", "eq(thread_id, \"" + quoted(thread.threadId()) + "\")");
        json.put("count", thread.turnCount());
        json.put("total_tokens", thread.totals().totalTokens());
        json.put("total_cost", thread.totals().totalCost());
        json.put("min_start_time", time(thread.firstStartTime()));
        json.put("max_start_time", time(thread.lastStartTime()));
        json.put("latency_p50", thread.latencyP50());
        json.put("latency_p99", thread.latencyP99());
        json.put("feedback_stats", RunView.feedbackStats(feedback));
        json.put("first_inputs", thread.firstInputsPreview());
        json.put("last_outputs", thread.lastOutputsPreview());
        json.put("last_error", thread.lastError());
        return json;
    }

    /** The selected stats of one thread, in the order of {@link Stat}. */
    static Map<String, Object> stats(ThreadRecord thread, List<FeedbackStat> feedback, Set<Stat> selects) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (Stat stat : selects) {
            json.put(
                    stat.key, stat == Stat.FEEDBACK_STATS ? RunView.feedbackStats(feedback) : stat.value.apply(thread));
        }
        return json;
    }

    private static String time(OffsetDateTime time) {
        return time == null ? null : time.toString();
    }

    private static String quoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static Map<String, RunField> traceFields() {
        Map<String, RunField> byName = new LinkedHashMap<>();
        for (RunField field : RunField.values()) {
            if (field.v1Name() != null && field.stored()) {
                byName.put(field.v1Name().toUpperCase(Locale.ROOT), field);
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
