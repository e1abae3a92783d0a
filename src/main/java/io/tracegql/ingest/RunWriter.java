package io.tracegql.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.Previews;
import io.tracegql.domain.RunStatus;
import io.tracegql.store.JsonValues;
import io.tracegql.store.RunRecord;
import io.tracegql.store.Sql;

/**
 * Writes runs in bulk: one prepared statement executed for all rows in one round trip. Writing is
 * idempotent and order-independent: a run written again is merged into the stored one, where fields
 * that describe how a run started (inputs, name, type, start, position in its trace) keep their
 * first value and fields that describe how it ended (end time, outputs, error, usage, events) take
 * the latest value sent. Derived columns (previews, totals, status) are filled here once, so reads
 * never compute them.
 */
@ApplicationScoped
public class RunWriter {

    /** Columns whose stored value wins over a later write (how the run started). */
    private static final List<String> FIRST_WINS = List.of(
            "trace_id",
            "parent_run_id",
            "dotted_order",
            "name",
            "run_type",
            "start_time",
            "inputs",
            "inputs_preview",
            "serialized",
            "manifest_id",
            "reference_example_id",
            "reference_dataset_id",
            "thread_id",
            "app_path",
            "price_model_id");

    /** Columns that a later write replaces (how the run ended). */
    private static final List<String> LATER_WINS = List.of(
            "end_time",
            "first_token_time",
            "outputs",
            "outputs_preview",
            "error",
            "error_preview",
            "extra",
            "events",
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
            "thread_evaluation_time",
            "attachments",
            "inputs_s3_urls",
            "outputs_s3_urls");

    /** Every written column, in the order of {@link #values}. */
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

    /** The parameters of an update, in order. */
    private static final List<String> PATCH_COLUMNS = patchColumns();

    private static final String DERIVED_STATUS =
            "case when %1$s is not null then 'error'" + " when %2$s is not null then 'success' else 'pending' end";

    private static final String UPSERT = upsert();
    private static final String PATCH = patch();

    private final Sql sql;
    private final int previewLength;

    public RunWriter(Sql sql, TracegqlConfig config) {
        this.sql = sql;
        this.previewLength = config.preview().maxLength();
    }

    /** Creates the runs of one tenant (or merges them into stored ones) in one transaction. */
    public Uni<Void> insert(UUID tenantId, List<RunRecord> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.inTransaction(connection -> upsert(connection, tenantId, runs));
    }

    /** Creates or merges complete runs (name, type, start time, project known) on a connection. */
    Uni<Void> upsert(SqlClient connection, UUID tenantId, List<RunRecord> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(runs.size());
        for (RunRecord run : runs) {
            rows.add(Tuple.from(values(tenantId, run)));
        }
        return sql.batch(connection, UPSERT, rows).replaceWithVoid();
    }

    /**
     * Merges updates into stored runs; returns the ids of the runs that do not exist (yet), whose
     * updates the caller keeps until they are created.
     */
    Uni<Set<UUID>> patch(SqlClient connection, UUID tenantId, List<RunRecord> patches) {
        if (patches.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<Tuple> rows = new ArrayList<>(patches.size());
        for (RunRecord patch : patches) {
            List<Object> values = values(tenantId, patch);
            // An update without tags leaves the stored tags alone.
            values.set(
                    COLUMNS.indexOf("tags"),
                    patch.tags() == null ? null : patch.tags().toArray(String[]::new));
            List<Object> parameters = new ArrayList<>(PATCH_COLUMNS.size());
            PATCH_COLUMNS.forEach(column -> parameters.add(values.get(COLUMNS.indexOf(column))));
            rows.add(Tuple.from(parameters));
        }
        return sql.batch(connection, PATCH, rows).map(result -> {
            Set<UUID> updated = new HashSet<>();
            for (RowSet<Row> rowSet = result; rowSet != null; rowSet = rowSet.next()) {
                rowSet.forEach(row -> updated.add(row.getUUID("id")));
            }
            return patches.stream()
                    .map(RunRecord::id)
                    .filter(id -> !updated.contains(id))
                    .collect(Collectors.toSet());
        });
    }

    private List<Object> values(UUID tenantId, RunRecord run) {
        String dottedOrder = run.dottedOrder() != null || run.startTime() == null || run.parentRunId() != null
                ? run.dottedOrder()
                : DottedOrder.of(null, run.startTime(), run.id());
        String status = run.status() != null
                ? run.status()
                : RunStatus.derive(run.error(), run.endTime()).wireName();
        return new ArrayList<>(Arrays.asList(
                tenantId,
                run.id(),
                run.projectId(),
                run.traceId() != null || run.parentRunId() != null ? run.traceId() : run.id(),
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

    private static List<String> patchColumns() {
        List<String> columns = new ArrayList<>(List.of("tenant_id", "id"));
        columns.addAll(FIRST_WINS);
        columns.addAll(LATER_WINS);
        columns.add("tags");
        return List.copyOf(columns);
    }

    private static String upsert() {
        StringBuilder out = new StringBuilder("insert into runs (")
                .append(String.join(", ", COLUMNS))
                .append(") values (");
        for (int i = 1; i <= COLUMNS.size(); i++) {
            out.append(i > 1 ? ", $" : "$").append(i);
        }
        out.append(") on conflict (tenant_id, id) do update set ");
        for (String column : FIRST_WINS) {
            out.append(column)
                    .append(" = coalesce(runs.")
                    .append(column)
                    .append(", excluded.")
                    .append(column)
                    .append("), ");
        }
        for (String column : LATER_WINS) {
            out.append(column)
                    .append(" = coalesce(excluded.")
                    .append(column)
                    .append(", runs.")
                    .append(column)
                    .append("), ");
        }
        out.append("tags = case when cardinality(excluded.tags) > 0 then excluded.tags else runs.tags end, ")
                .append("in_dataset = runs.in_dataset or excluded.in_dataset, ")
                .append("status = ")
                .append(DERIVED_STATUS.formatted(
                        "coalesce(excluded.error, runs.error)", "coalesce(excluded.end_time, runs.end_time)"))
                .append(", updated_at = now()");
        return out.toString();
    }

    private static String patch() {
        StringBuilder out = new StringBuilder("update runs set ");
        for (String column : FIRST_WINS) {
            out.append(column)
                    .append(" = coalesce(")
                    .append(column)
                    .append(", $")
                    .append(patchParam(column))
                    .append("), ");
        }
        for (String column : LATER_WINS) {
            out.append(column)
                    .append(" = coalesce($")
                    .append(patchParam(column))
                    .append(", ")
                    .append(column)
                    .append("), ");
        }
        return out.append("tags = coalesce($")
                .append(patchParam("tags"))
                .append(", tags), status = ")
                .append(DERIVED_STATUS.formatted(
                        "coalesce($" + patchParam("error") + ", error)",
                        "coalesce($" + patchParam("end_time") + ", end_time)"))
                .append(", updated_at = now() where tenant_id = $1 and id = $2 returning id")
                .toString();
    }

    private static int patchParam(String column) {
        return PATCH_COLUMNS.indexOf(column) + 1;
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
}
