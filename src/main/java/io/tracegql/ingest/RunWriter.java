package io.tracegql.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.Previews;
import io.tracegql.domain.RunStatus;
import io.tracegql.store.JsonValues;
import io.tracegql.store.RunRecord;
import io.tracegql.store.Sql;

/**
 * Writes runs in bulk: one prepared multi-row statement per call, inside one transaction, so a batch
 * is stored whole or not at all. Derived columns (previews, totals, status, dotted order of a root)
 * are filled here once, so that reads never compute them.
 */
@ApplicationScoped
public class RunWriter {

    private static final List<String> COLUMNS = List.of(
            "tenant_id",
            "id",
            "project_id",
            "trace_id",
            "parent_run_id",
            "dotted_order",
            "name",
            "run_type",
            "status",
            "start_time",
            "end_time",
            "first_token_time",
            "inputs",
            "outputs",
            "error",
            "inputs_preview",
            "outputs_preview",
            "error_preview",
            "extra",
            "events",
            "tags",
            "serialized",
            "manifest_id",
            "prompt_tokens",
            "completion_tokens",
            "total_tokens",
            "prompt_token_details",
            "completion_token_details",
            "prompt_cost",
            "completion_cost",
            "total_cost",
            "prompt_cost_details",
            "completion_cost_details",
            "reference_example_id",
            "reference_dataset_id",
            "thread_id",
            "thread_evaluation_time",
            "app_path",
            "price_model_id",
            "attachments",
            "inputs_s3_urls",
            "outputs_s3_urls",
            "in_dataset");

    private static final String INSERT = "insert into runs (" + String.join(", ", COLUMNS) + ") values ("
            + placeholders(COLUMNS.size()) + ") on conflict (tenant_id, id) do nothing";

    private final Sql sql;
    private final int previewLength;

    public RunWriter(Sql sql, TracegqlConfig config) {
        this.sql = sql;
        this.previewLength = config.preview().maxLength();
    }

    /** Inserts the runs of one tenant; runs whose id already exists are left as they are. */
    public Uni<Void> insert(UUID tenantId, List<RunRecord> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(runs.size());
        for (RunRecord run : runs) {
            rows.add(toTuple(tenantId, run));
        }
        return sql.pool()
                .withTransaction(connection -> sql.batch(connection, INSERT, rows))
                .replaceWithVoid();
    }

    private Tuple toTuple(UUID tenantId, RunRecord run) {
        String dottedOrder =
                run.dottedOrder() != null ? run.dottedOrder() : DottedOrder.of(null, run.startTime(), run.id());
        String status = run.status() != null
                ? run.status()
                : RunStatus.derive(run.error(), run.endTime()).wireName();
        return Tuple.from(Arrays.asList(
                tenantId,
                run.id(),
                run.projectId(),
                run.traceId() != null ? run.traceId() : run.id(),
                run.parentRunId(),
                dottedOrder,
                run.name(),
                run.runType(),
                status,
                run.startTime(),
                run.endTime(),
                run.firstTokenTime(),
                JsonValues.toParameter(run.inputs()),
                JsonValues.toParameter(run.outputs()),
                run.error(),
                Previews.ofPayload(run.inputs(), previewLength),
                Previews.ofPayload(run.outputs(), previewLength),
                Previews.ofError(run.error(), previewLength),
                JsonValues.toParameter(run.extra()),
                JsonValues.toParameter(run.events()),
                run.tags() == null ? new String[0] : run.tags().toArray(String[]::new),
                JsonValues.toParameter(run.serialized()),
                run.manifestId(),
                run.promptTokens(),
                run.completionTokens(),
                run.totalTokens() != null ? run.totalTokens() : sum(run.promptTokens(), run.completionTokens()),
                JsonValues.toParameter(run.promptTokenDetails()),
                JsonValues.toParameter(run.completionTokenDetails()),
                run.promptCost(),
                run.completionCost(),
                run.totalCost() != null ? run.totalCost() : sum(run.promptCost(), run.completionCost()),
                JsonValues.toParameter(run.promptCostDetails()),
                JsonValues.toParameter(run.completionCostDetails()),
                run.referenceExampleId(),
                run.referenceDatasetId(),
                run.threadId(),
                run.threadEvaluationTime(),
                run.appPath(),
                run.priceModelId(),
                JsonValues.toParameter(run.attachments()),
                JsonValues.toParameter(run.inputsS3Urls()),
                JsonValues.toParameter(run.outputsS3Urls()),
                run.inDataset() != null ? run.inDataset() : run.referenceExampleId() != null));
    }

    /** prompt + completion when at least one is known (a missing side counts as zero). */
    private static Integer sum(Integer prompt, Integer completion) {
        if (prompt == null && completion == null) {
            return null;
        }
        return (prompt == null ? 0 : prompt) + (completion == null ? 0 : completion);
    }

    private static BigDecimal sum(BigDecimal prompt, BigDecimal completion) {
        if (prompt == null && completion == null) {
            return null;
        }
        return (prompt == null ? BigDecimal.ZERO : prompt).add(completion == null ? BigDecimal.ZERO : completion);
    }

    private static String placeholders(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            out.append(i > 1 ? ", $" : "$").append(i);
        }
        return out.toString();
    }
}
