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
import io.tracegql.domain.RunStatus;
import io.tracegql.domain.RunType;
import io.tracegql.store.JsonProjection;
import io.tracegql.store.RunColumn;
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
    public JsonValue json(RunColumn column, String path) {
        if (path != null) {
            return JsonOutput.of(run.projection(new JsonProjection(column, path)));
        }
        return JsonOutput.of(
                switch (column) {
                    case INPUTS -> run.inputs();
                    case OUTPUTS -> run.outputs();
                    case EXTRA -> run.extra();
                    case EVENTS -> run.events();
                    default -> throw new IllegalArgumentException(column + " is not a JSON column");
                });
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
        return run.traceId();
    }

    @Description("ID of the parent run, if this run is part of a larger operation.")
    @Id
    public UUID getParentRunId() {
        return run.parentRunId();
    }

    @Description(
            "Hierarchical ordering key for trace trees: {time}{run-uuid} per ancestor, joined by dots, so sorting gives execution order.")
    @NonNull
    public String getDottedOrder() {
        return run.dottedOrder();
    }

    @Description("The tracing project UUID this run was logged to.")
    @NonNull
    @Id
    public UUID getProjectId() {
        return run.projectId();
    }

    @Description("The ID of the project that owns this run (same as projectId).")
    @NonNull
    @Id
    public UUID getSessionId() {
        return run.projectId();
    }

    @Description("Human-readable label for the run (model, function or step name chosen when it was traced).")
    public String getName() {
        return run.name();
    }

    @Description("What kind of operation this run represents (an LLM call, a tool invocation, a chain step...).")
    public RunType getRunType() {
        return run.runType() == null ? null : RunType.fromWireName(run.runType());
    }

    @Description("Completion status of the run.")
    public RunStatus getStatus() {
        return run.status() == null ? null : RunStatus.fromWireName(run.status());
    }

    @Description("When the run started.")
    public OffsetDateTime getStartTime() {
        return run.startTime();
    }

    @Description("When the run ended; null if it has not finished yet.")
    public OffsetDateTime getEndTime() {
        return run.endTime();
    }

    @Description("When the first output token was produced, when recorded for streamed runs.")
    public OffsetDateTime getFirstTokenTime() {
        return run.firstTokenTime();
    }

    @Description("Wall-clock duration from start to end in seconds; null while the run is still running.")
    public Double getLatencySeconds() {
        return run.latencySeconds();
    }

    @Description("True when this run has no parent (it is the trace root).")
    @NonNull
    public boolean getIsRoot() {
        return run.parentRunId() == null;
    }

    @Description("Ancestor run UUIDs from the trace root down to the direct parent, read from dottedOrder.")
    @NonNull
    @Id
    public List<UUID> getParentRunIds() {
        return DottedOrder.ancestorIds(run.dottedOrder());
    }

    @Description("The error message when the run failed.")
    public String getError() {
        return run.error();
    }

    @Description("A truncated plain-text preview of inputs.")
    public String getInputsPreview() {
        return run.inputsPreview();
    }

    @Description("A truncated plain-text preview of outputs.")
    public String getOutputsPreview() {
        return run.outputsPreview();
    }

    @Description("A truncated plain-text snippet of the error.")
    public String getErrorPreview() {
        return run.errorPreview();
    }

    @Description("Arbitrary user-defined JSON metadata (extra.metadata).")
    public JsonValue getMetadata() {
        return JsonOutput.of(run.metadata());
    }

    @Description("User-defined tags on this run.")
    public List<String> getTags() {
        return run.tags();
    }

    @Description("Serialized state of the traced component.")
    public JsonValue getSerialized() {
        return JsonOutput.of(run.serialized());
    }

    @Description(
            "The serialized configuration of the traced component (model parameters, prompt template, pipeline definition), when recorded.")
    public JsonValue getManifest() {
        return JsonOutput.of(run.serialized());
    }

    @Description("The manifest ID that correlates with this run.")
    @Id
    public UUID getManifestId() {
        return run.manifestId();
    }

    @Description("The prompt-side token count.")
    public Integer getPromptTokens() {
        return run.promptTokens();
    }

    @Description("The completion-side token count.")
    public Integer getCompletionTokens() {
        return run.completionTokens();
    }

    @Description("Prompt plus completion tokens (as recorded, or their sum when not recorded).")
    public Integer getTotalTokens() {
        return run.totalTokens();
    }

    @Description("Per-category breakdown of promptTokens (model-specific, e.g. cache_read); read only when requested.")
    public JsonValue getPromptTokenDetails() {
        return JsonOutput.of(run.promptTokenDetails());
    }

    @Description(
            "Per-category breakdown of completionTokens (model-specific, e.g. reasoning); read only when requested.")
    public JsonValue getCompletionTokenDetails() {
        return JsonOutput.of(run.completionTokenDetails());
    }

    @Description("Estimated USD cost for the prompt.")
    public BigDecimal getPromptCost() {
        return run.promptCost();
    }

    @Description("Estimated USD cost for the completion.")
    public BigDecimal getCompletionCost() {
        return run.completionCost();
    }

    @Description("Total estimated USD cost (as recorded, or prompt plus completion when not recorded).")
    public BigDecimal getTotalCost() {
        return run.totalCost();
    }

    @Description("Per-category USD breakdown of promptCost; read only when requested.")
    public JsonValue getPromptCostDetails() {
        return JsonOutput.of(run.promptCostDetails());
    }

    @Description("Per-category USD breakdown of completionCost; read only when requested.")
    public JsonValue getCompletionCostDetails() {
        return JsonOutput.of(run.completionCostDetails());
    }

    @Description("The dataset example UUID this run was compared against, if any.")
    @Id
    public UUID getReferenceExampleId() {
        return run.referenceExampleId();
    }

    @Description("The dataset UUID of the reference example, if any.")
    @Id
    public UUID getReferenceDatasetId() {
        return run.referenceDatasetId();
    }

    @Description("The conversation thread this run belongs to, if any.")
    public String getThreadId() {
        return run.threadId();
    }

    @Description("Thread-level evaluation time, when recorded.")
    public OffsetDateTime getThreadEvaluationTime() {
        return run.threadEvaluationTime();
    }

    @Description("The URL path where this run is accessible within the app, if recorded.")
    public String getAppPath() {
        return run.appPath();
    }

    @Description("The pricing model UUID used for cost estimates, when recorded.")
    @Id
    public UUID getPriceModelId() {
        return run.priceModelId();
    }

    @Description("Attachment file names mapped to their download URLs.")
    public JsonValue getAttachments() {
        return JsonOutput.of(run.attachments());
    }

    @Description("Where large inputs were offloaded to object storage, if they were.")
    public JsonValue getInputsS3Urls() {
        return JsonOutput.of(run.inputsS3Urls());
    }

    @Description("Where large outputs were offloaded to object storage, if they were.")
    public JsonValue getOutputsS3Urls() {
        return JsonOutput.of(run.outputsS3Urls());
    }

    @Description("Whether the run is included in a dataset.")
    public Boolean getInDataset() {
        return run.inDataset();
    }

    @Description("True when this run is linked to a dataset example (same as inDataset).")
    public Boolean getIsInDataset() {
        return run.inDataset();
    }

    /**
     * Not a batched resolver: the statement that read the run computed its stats when the field was
     * selected (see {@code Selections.runSelection}), which saves a statement and a batched field per run.
     */
    @NonNull
    @Description("Feedback on this run, aggregated per feedback key.")
    public List<@NonNull FeedbackStats> getFeedbackStats() {
        return FeedbackStats.of(run.feedbackStats());
    }
}
