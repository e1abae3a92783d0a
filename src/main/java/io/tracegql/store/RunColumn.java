package io.tracegql.store;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiConsumer;

import io.vertx.mutiny.sqlclient.Row;

/**
 * The columns a run query can select, each with the SQL that reads it and how it fills a {@link
 * RunRecord}. Queries select {@link #KEYS} plus only what a request asked for, so the big payload
 * columns are read only when a client wants them (see {@link RunSelection}, which adds JSON
 * projections).
 */
public enum RunColumn {
    ID("r.id", (r, row) -> r.id(row.getUUID("id"))),
    PROJECT_ID("r.project_id", (r, row) -> r.projectId(row.getUUID("project_id"))),
    TRACE_ID("r.trace_id", (r, row) -> r.traceId(row.getUUID("trace_id"))),
    PARENT_RUN_ID("r.parent_run_id", (r, row) -> r.parentRunId(row.getUUID("parent_run_id"))),
    DOTTED_ORDER("r.dotted_order", (r, row) -> r.dottedOrder(row.getString("dotted_order"))),
    NAME("r.name", (r, row) -> r.name(row.getString("name"))),
    RUN_TYPE("r.run_type", (r, row) -> r.runType(row.getString("run_type"))),
    STATUS("r.status", (r, row) -> r.status(row.getString("status"))),
    START_TIME("r.start_time", (r, row) -> r.startTime(row.getOffsetDateTime("start_time"))),
    END_TIME("r.end_time", (r, row) -> r.endTime(row.getOffsetDateTime("end_time"))),
    FIRST_TOKEN_TIME("r.first_token_time", (r, row) -> r.firstTokenTime(row.getOffsetDateTime("first_token_time"))),
    LATENCY_SECONDS("r.latency_seconds", (r, row) -> r.latencySeconds(row.getDouble("latency_seconds"))),
    INPUTS("r.inputs", (r, row) -> r.inputs(json(row, "inputs"))),
    OUTPUTS("r.outputs", (r, row) -> r.outputs(json(row, "outputs"))),
    ERROR("r.error", (r, row) -> r.error(row.getString("error"))),
    INPUTS_PREVIEW("r.inputs_preview", (r, row) -> r.inputsPreview(row.getString("inputs_preview"))),
    OUTPUTS_PREVIEW("r.outputs_preview", (r, row) -> r.outputsPreview(row.getString("outputs_preview"))),
    ERROR_PREVIEW("r.error_preview", (r, row) -> r.errorPreview(row.getString("error_preview"))),
    EXTRA("r.extra", (r, row) -> r.extra(json(row, "extra"))),
    METADATA("r.extra -> 'metadata' as metadata", (r, row) -> r.metadata(json(row, "metadata"))),
    EVENTS("r.events", (r, row) -> r.events(json(row, "events"))),
    TAGS("r.tags", (r, row) -> r.tags(Arrays.asList(row.getArrayOfStrings("tags")))),
    SERIALIZED("r.serialized", (r, row) -> r.serialized(json(row, "serialized"))),
    MANIFEST_ID("r.manifest_id", (r, row) -> r.manifestId(row.getUUID("manifest_id"))),
    PROMPT_TOKENS("r.prompt_tokens", (r, row) -> r.promptTokens(row.getInteger("prompt_tokens"))),
    COMPLETION_TOKENS("r.completion_tokens", (r, row) -> r.completionTokens(row.getInteger("completion_tokens"))),
    TOTAL_TOKENS("r.total_tokens", (r, row) -> r.totalTokens(row.getInteger("total_tokens"))),
    PROMPT_TOKEN_DETAILS("r.prompt_token_details", (r, row) -> r.promptTokenDetails(json(row, "prompt_token_details"))),
    COMPLETION_TOKEN_DETAILS(
            "r.completion_token_details", (r, row) -> r.completionTokenDetails(json(row, "completion_token_details"))),
    PROMPT_COST("r.prompt_cost", (r, row) -> r.promptCost(row.getBigDecimal("prompt_cost"))),
    COMPLETION_COST("r.completion_cost", (r, row) -> r.completionCost(row.getBigDecimal("completion_cost"))),
    TOTAL_COST("r.total_cost", (r, row) -> r.totalCost(row.getBigDecimal("total_cost"))),
    PROMPT_COST_DETAILS("r.prompt_cost_details", (r, row) -> r.promptCostDetails(json(row, "prompt_cost_details"))),
    COMPLETION_COST_DETAILS(
            "r.completion_cost_details", (r, row) -> r.completionCostDetails(json(row, "completion_cost_details"))),
    REFERENCE_EXAMPLE_ID(
            "r.reference_example_id", (r, row) -> r.referenceExampleId(row.getUUID("reference_example_id"))),
    REFERENCE_DATASET_ID(
            "r.reference_dataset_id", (r, row) -> r.referenceDatasetId(row.getUUID("reference_dataset_id"))),
    THREAD_ID("r.thread_id", (r, row) -> r.threadId(row.getString("thread_id"))),
    THREAD_EVALUATION_TIME(
            "r.thread_evaluation_time",
            (r, row) -> r.threadEvaluationTime(row.getOffsetDateTime("thread_evaluation_time"))),
    APP_PATH("r.app_path", (r, row) -> r.appPath(row.getString("app_path"))),
    PRICE_MODEL_ID("r.price_model_id", (r, row) -> r.priceModelId(row.getUUID("price_model_id"))),
    ATTACHMENTS("r.attachments", (r, row) -> r.attachments(json(row, "attachments"))),
    INPUTS_S3_URLS("r.inputs_s3_urls", (r, row) -> r.inputsS3Urls(json(row, "inputs_s3_urls"))),
    OUTPUTS_S3_URLS("r.outputs_s3_urls", (r, row) -> r.outputsS3Urls(json(row, "outputs_s3_urls"))),
    IN_DATASET("r.in_dataset", (r, row) -> r.inDataset(row.getBoolean("in_dataset"))),
    /** Not a column: the run's feedback aggregated per key, computed in the statement that reads the run. */
    FEEDBACK_STATS(
            FeedbackStore.RUN_STATS_SELECT + " as feedback_stats",
            (r, row) -> r.feedbackStats(FeedbackStore.readRunStats(row.getValue("feedback_stats"))));

    /** Always selected: identity and tree position, which every nested resolver needs. */
    public static final Set<RunColumn> KEYS = EnumSet.of(ID, PROJECT_ID, TRACE_ID, PARENT_RUN_ID, DOTTED_ORDER);

    private final String select;
    private final BiConsumer<RunRecord, Row> reader;

    RunColumn(String select, BiConsumer<RunRecord, Row> reader) {
        this.select = select;
        this.reader = reader;
    }

    /** The SQL expression (with its alias where it needs one) that reads this column. */
    String select() {
        return select;
    }

    /** The select list for these columns plus the keys, in a stable order. */
    static String selectList(Set<RunColumn> columns) {
        EnumSet<RunColumn> all = EnumSet.copyOf(KEYS);
        all.addAll(columns);
        StringBuilder out = new StringBuilder();
        for (RunColumn column : all) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(column.select);
        }
        return out.toString();
    }

    static RunRecord read(Row row, Set<RunColumn> columns) {
        RunRecord run = new RunRecord();
        for (RunColumn column : KEYS) {
            column.reader.accept(run, row);
        }
        for (RunColumn column : columns) {
            column.reader.accept(run, row);
        }
        return run;
    }

    private static Object json(Row row, String column) {
        return JsonValues.toPlain(row.getValue(column));
    }
}
