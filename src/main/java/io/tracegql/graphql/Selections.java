package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingFieldSelectionSet;
import graphql.schema.SelectedField;
import io.smallrye.graphql.api.Context;

import io.tracegql.store.RunColumn;

/**
 * Reads what a query selected, so that the store reads only those columns and computes project
 * aggregates only when they are asked for.
 */
final class Selections {

    /** GraphQL fields of Run that need a column beyond {@link RunColumn#KEYS}. */
    private static final Map<String, RunColumn> RUN_FIELD_COLUMNS = Map.ofEntries(
            Map.entry("name", RunColumn.NAME),
            Map.entry("runType", RunColumn.RUN_TYPE),
            Map.entry("status", RunColumn.STATUS),
            Map.entry("startTime", RunColumn.START_TIME),
            Map.entry("endTime", RunColumn.END_TIME),
            Map.entry("firstTokenTime", RunColumn.FIRST_TOKEN_TIME),
            Map.entry("latencySeconds", RunColumn.LATENCY_SECONDS),
            Map.entry("inputs", RunColumn.INPUTS),
            Map.entry("outputs", RunColumn.OUTPUTS),
            Map.entry("error", RunColumn.ERROR),
            Map.entry("inputsPreview", RunColumn.INPUTS_PREVIEW),
            Map.entry("outputsPreview", RunColumn.OUTPUTS_PREVIEW),
            Map.entry("errorPreview", RunColumn.ERROR_PREVIEW),
            Map.entry("extra", RunColumn.EXTRA),
            Map.entry("metadata", RunColumn.METADATA),
            Map.entry("events", RunColumn.EVENTS),
            Map.entry("tags", RunColumn.TAGS),
            Map.entry("serialized", RunColumn.SERIALIZED),
            Map.entry("manifest", RunColumn.SERIALIZED),
            Map.entry("manifestId", RunColumn.MANIFEST_ID),
            Map.entry("promptTokens", RunColumn.PROMPT_TOKENS),
            Map.entry("completionTokens", RunColumn.COMPLETION_TOKENS),
            Map.entry("totalTokens", RunColumn.TOTAL_TOKENS),
            Map.entry("promptTokenDetails", RunColumn.PROMPT_TOKEN_DETAILS),
            Map.entry("completionTokenDetails", RunColumn.COMPLETION_TOKEN_DETAILS),
            Map.entry("promptCost", RunColumn.PROMPT_COST),
            Map.entry("completionCost", RunColumn.COMPLETION_COST),
            Map.entry("totalCost", RunColumn.TOTAL_COST),
            Map.entry("promptCostDetails", RunColumn.PROMPT_COST_DETAILS),
            Map.entry("completionCostDetails", RunColumn.COMPLETION_COST_DETAILS),
            Map.entry("referenceExampleId", RunColumn.REFERENCE_EXAMPLE_ID),
            Map.entry("referenceDatasetId", RunColumn.REFERENCE_DATASET_ID),
            Map.entry("threadId", RunColumn.THREAD_ID),
            Map.entry("threadEvaluationTime", RunColumn.THREAD_EVALUATION_TIME),
            Map.entry("appPath", RunColumn.APP_PATH),
            Map.entry("priceModelId", RunColumn.PRICE_MODEL_ID),
            Map.entry("attachments", RunColumn.ATTACHMENTS),
            Map.entry("inputsS3Urls", RunColumn.INPUTS_S3_URLS),
            Map.entry("outputsS3Urls", RunColumn.OUTPUTS_S3_URLS),
            Map.entry("inDataset", RunColumn.IN_DATASET),
            Map.entry("isInDataset", RunColumn.IN_DATASET));

    private static final Set<String> PROJECT_STATS_FIELDS = Set.of(
            "runCount",
            "latencyP50",
            "latencyP99",
            "firstTokenP50",
            "firstTokenP99",
            "totalTokens",
            "promptTokens",
            "completionTokens",
            "totalCost",
            "promptCost",
            "completionCost",
            "errorRate",
            "lastRunStartTime");

    private Selections() {}

    /** The selection set of the field being resolved. */
    static DataFetchingFieldSelectionSet current(Context context) {
        return context.unwrap(DataFetchingEnvironment.class).getSelectionSet();
    }

    /** Columns for the Run fields selected under these paths (e.g. "" for a Run, "edges/node/" for a page). */
    static Set<RunColumn> runColumns(DataFetchingFieldSelectionSet selection, String... paths) {
        EnumSet<RunColumn> columns = EnumSet.noneOf(RunColumn.class);
        for (String path : paths) {
            for (SelectedField field : fieldsUnder(selection, path)) {
                RunColumn column = RUN_FIELD_COLUMNS.get(field.getName());
                if (column != null) {
                    columns.add(column);
                }
            }
        }
        return columns;
    }

    /** Which of a project's computed parts are selected under these paths. */
    static ProjectParts projectParts(DataFetchingFieldSelectionSet selection, String... paths) {
        boolean stats = false;
        boolean facets = false;
        boolean feedback = false;
        boolean sessionFeedback = false;
        for (String path : paths) {
            for (SelectedField field : fieldsUnder(selection, path)) {
                String name = field.getName();
                stats |= PROJECT_STATS_FIELDS.contains(name);
                facets |= name.equals("runFacets");
                feedback |= name.equals("feedbackStats");
                sessionFeedback |= name.equals("sessionFeedbackStats");
            }
        }
        return new ProjectParts(stats, facets, feedback, sessionFeedback);
    }

    /**
     * The fields selected directly under a path of field names ("" for the top, "nodes/" for the
     * fields of the nodes), as {@code selection.getFields(path + "*")} finds them, without compiling
     * that glob into a path matcher on every request.
     */
    private static List<SelectedField> fieldsUnder(DataFetchingFieldSelectionSet selection, String path) {
        List<SelectedField> level = selection.getImmediateFields();
        for (String name : path.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            List<SelectedField> next = new ArrayList<>();
            for (SelectedField field : level) {
                if (field.getName().equals(name)) {
                    next.addAll(field.getSelectionSet().getImmediateFields());
                }
            }
            level = next;
        }
        return level;
    }

    record ProjectParts(boolean stats, boolean facets, boolean feedbackStats, boolean sessionFeedbackStats) {}
}
