package io.tracegql.ingest;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.FeedbackStat;
import io.tracegql.store.RunColumn;
import io.tracegql.store.RunRecord;

/** Runs as LangSmith clients read them: snake_case JSON, times as ISO-8601 strings. */
final class RunView {

    /** LangSmith select names and the columns they need. */
    private static final Map<String, RunColumn> SELECTABLE = Map.ofEntries(
            Map.entry("name", RunColumn.NAME),
            Map.entry("run_type", RunColumn.RUN_TYPE),
            Map.entry("status", RunColumn.STATUS),
            Map.entry("start_time", RunColumn.START_TIME),
            Map.entry("end_time", RunColumn.END_TIME),
            Map.entry("first_token_time", RunColumn.FIRST_TOKEN_TIME),
            Map.entry("latency", RunColumn.LATENCY_SECONDS),
            Map.entry("inputs", RunColumn.INPUTS),
            Map.entry("outputs", RunColumn.OUTPUTS),
            Map.entry("error", RunColumn.ERROR),
            Map.entry("inputs_preview", RunColumn.INPUTS_PREVIEW),
            Map.entry("outputs_preview", RunColumn.OUTPUTS_PREVIEW),
            Map.entry("extra", RunColumn.EXTRA),
            Map.entry("events", RunColumn.EVENTS),
            Map.entry("tags", RunColumn.TAGS),
            Map.entry("serialized", RunColumn.SERIALIZED),
            Map.entry("manifest_id", RunColumn.MANIFEST_ID),
            Map.entry("prompt_tokens", RunColumn.PROMPT_TOKENS),
            Map.entry("completion_tokens", RunColumn.COMPLETION_TOKENS),
            Map.entry("total_tokens", RunColumn.TOTAL_TOKENS),
            Map.entry("prompt_token_details", RunColumn.PROMPT_TOKEN_DETAILS),
            Map.entry("completion_token_details", RunColumn.COMPLETION_TOKEN_DETAILS),
            Map.entry("prompt_cost", RunColumn.PROMPT_COST),
            Map.entry("completion_cost", RunColumn.COMPLETION_COST),
            Map.entry("total_cost", RunColumn.TOTAL_COST),
            Map.entry("reference_example_id", RunColumn.REFERENCE_EXAMPLE_ID),
            Map.entry("reference_dataset_id", RunColumn.REFERENCE_DATASET_ID),
            Map.entry("thread_id", RunColumn.THREAD_ID),
            Map.entry("app_path", RunColumn.APP_PATH),
            Map.entry("attachments", RunColumn.ATTACHMENTS),
            Map.entry("in_dataset", RunColumn.IN_DATASET));

    private RunView() {}

    /** Columns for a LangSmith {@code select} list; every column when it is empty. Unknown names are skipped. */
    static Set<RunColumn> columns(List<String> select) {
        if (select == null || select.isEmpty()) {
            // The LangSmith run has no feedback stats: only the stored columns.
            return EnumSet.complementOf(EnumSet.of(RunColumn.FEEDBACK_STATS));
        }
        EnumSet<RunColumn> columns = EnumSet.noneOf(RunColumn.class);
        for (String name : select) {
            RunColumn column = SELECTABLE.get(name);
            if (column != null) {
                columns.add(column);
            }
        }
        return columns;
    }

    static Map<String, Object> of(RunRecord run, List<FeedbackStat> feedback) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.id());
        json.put("trace_id", run.traceId());
        json.put("parent_run_id", run.parentRunId());
        json.put("dotted_order", run.dottedOrder());
        json.put("parent_run_ids", DottedOrder.ancestorIds(run.dottedOrder()));
        json.put("session_id", run.projectId());
        json.put("is_root", run.parentRunId() == null);
        json.put("name", run.name());
        json.put("run_type", run.runType());
        json.put("status", run.status());
        json.put("start_time", run.startTime() == null ? null : run.startTime().toString());
        json.put("end_time", run.endTime() == null ? null : run.endTime().toString());
        json.put(
                "first_token_time",
                run.firstTokenTime() == null ? null : run.firstTokenTime().toString());
        json.put("latency", run.latencySeconds());
        json.put("inputs", run.inputs());
        json.put("outputs", run.outputs());
        json.put("error", run.error());
        json.put("inputs_preview", run.inputsPreview());
        json.put("outputs_preview", run.outputsPreview());
        json.put("extra", run.extra());
        json.put("events", run.events());
        json.put("tags", run.tags());
        json.put("serialized", run.serialized());
        json.put("manifest_id", run.manifestId());
        json.put("prompt_tokens", run.promptTokens());
        json.put("completion_tokens", run.completionTokens());
        json.put("total_tokens", run.totalTokens());
        json.put("prompt_token_details", run.promptTokenDetails());
        json.put("completion_token_details", run.completionTokenDetails());
        json.put("prompt_cost", run.promptCost());
        json.put("completion_cost", run.completionCost());
        json.put("total_cost", run.totalCost());
        json.put("reference_example_id", run.referenceExampleId());
        json.put("reference_dataset_id", run.referenceDatasetId());
        json.put("thread_id", run.threadId());
        json.put("app_path", run.appPath());
        json.put("attachments", run.attachments());
        json.put("in_dataset", run.inDataset());
        if (feedback != null) {
            json.put("feedback_stats", feedbackStats(feedback));
        }
        return json;
    }

    /** LangSmith's feedback stats shape: {key: {n, avg, values: {value: count}}}. */
    static Map<String, Object> feedbackStats(List<FeedbackStat> stats) {
        Map<String, Object> byKey = new LinkedHashMap<>();
        for (FeedbackStat stat : stats) {
            Map<String, Object> values = new LinkedHashMap<>();
            stat.values().forEach(v -> values.put(v.value(), v.count()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("n", stat.count());
            entry.put("avg", stat.meanScore());
            entry.put("values", values);
            byKey.put(stat.key(), entry);
        }
        return byKey;
    }
}
