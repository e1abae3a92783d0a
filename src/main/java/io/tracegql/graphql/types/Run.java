package io.tracegql.graphql.types;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunStatus;
import io.tracegql.domain.RunType;
import io.tracegql.store.JsonProjection;
import io.tracegql.store.RunRecord;

/**
 * One step of an LLM application (an llm call, a chain, a tool...). Its nested fields (childRuns,
 * parentRun, project) are batched in {@code RunResolvers}, where its JSON fields with a path argument
 * (inputs, outputs, extra, events) are too. Its feedback stats are read with the run itself.
 */
@Type("Run")
@Description("One step of an LLM application: an llm call, a chain, a tool, a retriever... Runs form traces (trees).")
public class Run {

    private final RunRecord run;

    public Run(RunRecord run) {
        this.run = run;
    }

    /** The stored record behind this run. */
    @Ignore
    public RunRecord record() {
        return run;
    }

    /**
     * A JSON column (inputs, outputs, extra or events) as read, or, with a path, the projection of it
     * that the same statement computed (see {@code RunSelection}). The fields are in {@code
     * RunResolvers}, as fields with arguments.
     */
    @Ignore
    public JsonValue json(RunField column, String path) {
        if (path != null) {
            return JsonOutput.of(run.projection(new JsonProjection(column, path)));
        }
        return JsonOutput.of(run.get(column));
    }

    @Description("This run's UUID.")
    @NonNull
    @Id
    public UUID getId() {
        return run.id();
    }

    @Description("The root trace UUID; for a root run it matches id.")
    @NonNull
    @Id
    public UUID getTraceId() {
        return run.get(RunField.TRACE_ID);
    }

    @Description("ID of the parent run, if this run is part of a larger operation.")
    @Id
    public UUID getParentRunId() {
        return run.get(RunField.PARENT_RUN_ID);
    }

    @Description(
            "Hierarchical ordering key for trace trees: {time}{run-uuid} per ancestor, joined by dots, so sorting gives execution order.")
    @NonNull
    public String getDottedOrder() {
        return run.get(RunField.DOTTED_ORDER);
    }

    @Description("The tracing project UUID this run was logged to.")
    @NonNull
    @Id
    public UUID getProjectId() {
        return run.get(RunField.PROJECT_ID);
    }

    @Description("The ID of the project that owns this run (same as projectId).")
    @NonNull
    @Id
    public UUID getSessionId() {
        return run.get(RunField.PROJECT_ID);
    }

    @Description("Human-readable label for the run (model, function or step name chosen when it was traced).")
    public String getName() {
        return run.get(RunField.NAME);
    }

    @Description("What kind of operation this run represents (an LLM call, a tool invocation, a chain step...).")
    public RunType getRunType() {
        return run.get(RunField.RUN_TYPE) == null ? null : RunType.fromWireName(run.get(RunField.RUN_TYPE));
    }

    @Description("Completion status of the run.")
    public RunStatus getStatus() {
        return run.get(RunField.STATUS) == null ? null : RunStatus.fromWireName(run.get(RunField.STATUS));
    }

    @Description("When the run started.")
    public OffsetDateTime getStartTime() {
        return run.get(RunField.START_TIME);
    }

    @Description("When the run ended; null if it has not finished yet.")
    public OffsetDateTime getEndTime() {
        return run.get(RunField.END_TIME);
    }

    @Description("When the first output token was produced, when recorded for streamed runs.")
    public OffsetDateTime getFirstTokenTime() {
        return run.get(RunField.FIRST_TOKEN_TIME);
    }

    @Description("Wall-clock duration from start to end in seconds; null while the run is still running.")
    public Double getLatencySeconds() {
        return run.get(RunField.LATENCY_SECONDS);
    }

    @Description("True when this run has no parent (it is the trace root).")
    @NonNull
    public boolean getIsRoot() {
        return run.get(RunField.PARENT_RUN_ID) == null;
    }

    @Description("Ancestor run UUIDs from the trace root down to the direct parent, read from dottedOrder.")
    @NonNull
    @Id
    public List<UUID> getParentRunIds() {
        return DottedOrder.ancestorIds(run.get(RunField.DOTTED_ORDER));
    }

    @Description("The error message when the run failed.")
    public String getError() {
        return run.get(RunField.ERROR);
    }

    @Description("A truncated plain-text preview of inputs.")
    public String getInputsPreview() {
        return run.get(RunField.INPUTS_PREVIEW);
    }

    @Description("A truncated plain-text preview of outputs.")
    public String getOutputsPreview() {
        return run.get(RunField.OUTPUTS_PREVIEW);
    }

    @Description("A truncated plain-text snippet of the error.")
    public String getErrorPreview() {
        return run.get(RunField.ERROR_PREVIEW);
    }

    @Description("Arbitrary user-defined JSON metadata (extra.metadata).")
    public JsonValue getMetadata() {
        return JsonOutput.of(run.get(RunField.METADATA));
    }

    @Description("User-defined tags on this run.")
    public List<String> getTags() {
        return run.get(RunField.TAGS);
    }

    @Description("Serialized state of the traced component.")
    public JsonValue getSerialized() {
        return JsonOutput.of(run.get(RunField.SERIALIZED));
    }

    @Description(
            "The serialized configuration of the traced component (model parameters, prompt template, pipeline definition), when recorded.")
    public JsonValue getManifest() {
        return JsonOutput.of(run.get(RunField.SERIALIZED));
    }

    @Description("The manifest ID that correlates with this run.")
    @Id
    public UUID getManifestId() {
        return run.get(RunField.MANIFEST_ID);
    }

    @Description("The prompt-side token count.")
    public Integer getPromptTokens() {
        return run.get(RunField.PROMPT_TOKENS);
    }

    @Description("The completion-side token count.")
    public Integer getCompletionTokens() {
        return run.get(RunField.COMPLETION_TOKENS);
    }

    @Description("Prompt plus completion tokens (as recorded, or their sum when not recorded).")
    public Integer getTotalTokens() {
        return run.get(RunField.TOTAL_TOKENS);
    }

    @Description("Per-category breakdown of promptTokens (model-specific, e.g. cache_read); read only when requested.")
    public JsonValue getPromptTokenDetails() {
        return JsonOutput.of(run.get(RunField.PROMPT_TOKEN_DETAILS));
    }

    @Description(
            "Per-category breakdown of completionTokens (model-specific, e.g. reasoning); read only when requested.")
    public JsonValue getCompletionTokenDetails() {
        return JsonOutput.of(run.get(RunField.COMPLETION_TOKEN_DETAILS));
    }

    @Description("Estimated USD cost for the prompt.")
    public BigDecimal getPromptCost() {
        return run.get(RunField.PROMPT_COST);
    }

    @Description("Estimated USD cost for the completion.")
    public BigDecimal getCompletionCost() {
        return run.get(RunField.COMPLETION_COST);
    }

    @Description("Total estimated USD cost (as recorded, or prompt plus completion when not recorded).")
    public BigDecimal getTotalCost() {
        return run.get(RunField.TOTAL_COST);
    }

    @Description("Per-category USD breakdown of promptCost; read only when requested.")
    public JsonValue getPromptCostDetails() {
        return JsonOutput.of(run.get(RunField.PROMPT_COST_DETAILS));
    }

    @Description("Per-category USD breakdown of completionCost; read only when requested.")
    public JsonValue getCompletionCostDetails() {
        return JsonOutput.of(run.get(RunField.COMPLETION_COST_DETAILS));
    }

    @Description("The dataset example UUID this run was compared against, if any.")
    @Id
    public UUID getReferenceExampleId() {
        return run.get(RunField.REFERENCE_EXAMPLE_ID);
    }

    @Description("The dataset UUID of the reference example, if any.")
    @Id
    public UUID getReferenceDatasetId() {
        return run.get(RunField.REFERENCE_DATASET_ID);
    }

    @Description("The conversation thread this run belongs to, if any.")
    public String getThreadId() {
        return run.get(RunField.THREAD_ID);
    }

    @Description("Thread-level evaluation time, when recorded.")
    public OffsetDateTime getThreadEvaluationTime() {
        return run.get(RunField.THREAD_EVALUATION_TIME);
    }

    @Description("The URL path where this run is accessible within the app, if recorded.")
    public String getAppPath() {
        return run.get(RunField.APP_PATH);
    }

    @Description("The pricing model UUID used for cost estimates, when recorded.")
    @Id
    public UUID getPriceModelId() {
        return run.get(RunField.PRICE_MODEL_ID);
    }

    @Description("Attachment file names mapped to their download URLs.")
    public JsonValue getAttachments() {
        return JsonOutput.of(run.get(RunField.ATTACHMENTS));
    }

    @Description("Where large inputs were offloaded to object storage, if they were.")
    public JsonValue getInputsS3Urls() {
        return JsonOutput.of(run.get(RunField.INPUTS_S3_URLS));
    }

    @Description("Where large outputs were offloaded to object storage, if they were.")
    public JsonValue getOutputsS3Urls() {
        return JsonOutput.of(run.get(RunField.OUTPUTS_S3_URLS));
    }

    @Description("Whether the run is included in a dataset.")
    public Boolean getInDataset() {
        return run.get(RunField.IN_DATASET);
    }

    @Description("True when this run is linked to a dataset example (same as inDataset).")
    public Boolean getIsInDataset() {
        return run.get(RunField.IN_DATASET);
    }

    /**
     * Not a batched resolver: the statement that read the run computed its stats when the field was
     * selected (see {@code Selections.runSelection}), which saves a statement and a batched field per run.
     */
    @NonNull
    @Description("Feedback on this run, aggregated per feedback key.")
    public List<@NonNull FeedbackStats> getFeedbackStats() {
        return FeedbackStats.of(run.get(RunField.FEEDBACK_STATS));
    }
}
