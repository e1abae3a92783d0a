package io.tracegql.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
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

    /** How a write merges a column into a run that is already stored. */
    private enum Merge {
        /** Identifies the run: never changes. */
        KEY,
        /** The stored value wins over a later write (how the run started). */
        FIRST_WINS,
        /** A later write replaces the stored value (how the run ended). */
        LATER_WINS,
        /** Merged by a rule of its own, written out in {@link #upsert()} and {@link #patch()}. */
        OWN_RULE
    }

    /** The value a column is written with, given the writer, the tenant and the run. */
    @FunctionalInterface
    private interface Value {
        Object of(RunWriter writer, UUID tenantId, RunRecord run);
    }

    private record Column(String name, Merge merge, Value value) {}

    /** Every written column, its merge rule and its value, in the order of the statement's parameters. */
    private static final List<Column> COLUMNS = List.of(
            new Column("tenant_id", Merge.KEY, (w, tenantId, run) -> tenantId),
            new Column("id", Merge.KEY, (w, tenantId, run) -> run.id()),
            new Column("project_id", Merge.KEY, (w, tenantId, run) -> run.projectId()),
            new Column(
                    "trace_id",
                    Merge.FIRST_WINS,
                    (w, tenantId, run) ->
                            run.traceId() != null || run.parentRunId() != null ? run.traceId() : run.id()),
            new Column("parent_run_id", Merge.FIRST_WINS, (w, tenantId, run) -> run.parentRunId()),
            new Column("dotted_order", Merge.FIRST_WINS, (w, tenantId, run) -> dottedOrder(run)),
            new Column("name", Merge.FIRST_WINS, (w, tenantId, run) -> run.name()),
            new Column("run_type", Merge.FIRST_WINS, (w, tenantId, run) -> run.runType()),
            new Column("status", Merge.OWN_RULE, (w, tenantId, run) -> status(run)),
            new Column("start_time", Merge.FIRST_WINS, (w, tenantId, run) -> run.startTime()),
            new Column("end_time", Merge.LATER_WINS, (w, tenantId, run) -> run.endTime()),
            new Column("first_token_time", Merge.LATER_WINS, (w, tenantId, run) -> run.firstTokenTime()),
            new Column("inputs", Merge.FIRST_WINS, (w, tenantId, run) -> JsonValues.toParameter(run.inputs())),
            new Column("outputs", Merge.LATER_WINS, (w, tenantId, run) -> JsonValues.toParameter(run.outputs())),
            new Column("error", Merge.LATER_WINS, (w, tenantId, run) -> run.error()),
            new Column(
                    "inputs_preview",
                    Merge.FIRST_WINS,
                    (w, tenantId, run) -> Previews.ofPayload(run.inputs(), w.previewLength)),
            new Column(
                    "outputs_preview",
                    Merge.LATER_WINS,
                    (w, tenantId, run) -> Previews.ofPayload(run.outputs(), w.previewLength)),
            new Column(
                    "error_preview",
                    Merge.LATER_WINS,
                    (w, tenantId, run) -> Previews.ofError(run.error(), w.previewLength)),
            new Column("extra", Merge.LATER_WINS, (w, tenantId, run) -> JsonValues.toParameter(run.extra())),
            new Column("events", Merge.LATER_WINS, (w, tenantId, run) -> JsonValues.toParameter(run.events())),
            new Column(
                    "tags",
                    Merge.OWN_RULE,
                    (w, tenantId, run) ->
                            run.tags() == null ? new String[0] : run.tags().toArray(String[]::new)),
            new Column("serialized", Merge.FIRST_WINS, (w, tenantId, run) -> JsonValues.toParameter(run.serialized())),
            new Column("manifest_id", Merge.FIRST_WINS, (w, tenantId, run) -> run.manifestId()),
            new Column("prompt_tokens", Merge.LATER_WINS, (w, tenantId, run) -> run.promptTokens()),
            new Column("completion_tokens", Merge.LATER_WINS, (w, tenantId, run) -> run.completionTokens()),
            new Column(
                    "total_tokens",
                    Merge.LATER_WINS,
                    (w, tenantId, run) -> run.totalTokens() != null
                            ? run.totalTokens()
                            : sum(run.promptTokens(), run.completionTokens())),
            new Column(
                    "prompt_token_details",
                    Merge.LATER_WINS,
                    (w, tenantId, run) -> JsonValues.toParameter(run.promptTokenDetails())),
            new Column(
                    "completion_token_details",
                    Merge.LATER_WINS,
                    (w, tenantId, run) -> JsonValues.toParameter(run.completionTokenDetails())),
            new Column("prompt_cost", Merge.LATER_WINS, (w, tenantId, run) -> run.promptCost()),
            new Column("completion_cost", Merge.LATER_WINS, (w, tenantId, run) -> run.completionCost()),
            new Column(
                    "total_cost",
                    Merge.LATER_WINS,
                    (w, tenantId, run) ->
                            run.totalCost() != null ? run.totalCost() : sum(run.promptCost(), run.completionCost())),
            new Column(
                    "prompt_cost_details",
                    Merge.LATER_WINS,
                    (w, tenantId, run) -> JsonValues.toParameter(run.promptCostDetails())),
            new Column(
                    "completion_cost_details",
                    Merge.LATER_WINS,
                    (w, tenantId, run) -> JsonValues.toParameter(run.completionCostDetails())),
            new Column("reference_example_id", Merge.FIRST_WINS, (w, tenantId, run) -> run.referenceExampleId()),
            new Column("reference_dataset_id", Merge.FIRST_WINS, (w, tenantId, run) -> run.referenceDatasetId()),
            new Column("thread_id", Merge.FIRST_WINS, (w, tenantId, run) -> run.threadId()),
            new Column("thread_evaluation_time", Merge.LATER_WINS, (w, tenantId, run) -> run.threadEvaluationTime()),
            new Column("app_path", Merge.FIRST_WINS, (w, tenantId, run) -> run.appPath()),
            new Column("price_model_id", Merge.FIRST_WINS, (w, tenantId, run) -> run.priceModelId()),
            new Column(
                    "attachments", Merge.LATER_WINS, (w, tenantId, run) -> JsonValues.toParameter(run.attachments())),
            new Column(
                    "inputs_s3_urls",
                    Merge.LATER_WINS,
                    (w, tenantId, run) -> JsonValues.toParameter(run.inputsS3Urls())),
            new Column(
                    "outputs_s3_urls",
                    Merge.LATER_WINS,
                    (w, tenantId, run) -> JsonValues.toParameter(run.outputsS3Urls())),
            new Column(
                    "in_dataset",
                    Merge.OWN_RULE,
                    (w, tenantId, run) ->
                            run.inDataset() != null ? run.inDataset() : run.referenceExampleId() != null));

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
                    columnIndex("tags"),
                    patch.tags() == null ? null : patch.tags().toArray(String[]::new));
            List<Object> parameters = new ArrayList<>(PATCH_COLUMNS.size());
            PATCH_COLUMNS.forEach(column -> parameters.add(values.get(columnIndex(column))));
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
        List<Object> values = new ArrayList<>(COLUMNS.size());
        for (Column column : COLUMNS) {
            values.add(column.value().of(this, tenantId, run));
        }
        return values;
    }

    /** A root sent without its dotted order gets one from its start time and id. */
    private static String dottedOrder(RunRecord run) {
        return run.dottedOrder() != null || run.startTime() == null || run.parentRunId() != null
                ? run.dottedOrder()
                : DottedOrder.of(null, run.startTime(), run.id());
    }

    private static String status(RunRecord run) {
        return run.status() != null
                ? run.status()
                : RunStatus.derive(run.error(), run.endTime()).wireName();
    }

    /** The names of the columns merged by a rule, in the order of {@link #COLUMNS}. */
    private static List<String> merged(Merge merge) {
        return COLUMNS.stream()
                .filter(c -> c.merge() == merge)
                .map(Column::name)
                .toList();
    }

    private static List<String> patchColumns() {
        List<String> columns = new ArrayList<>(List.of("tenant_id", "id"));
        columns.addAll(merged(Merge.FIRST_WINS));
        columns.addAll(merged(Merge.LATER_WINS));
        columns.add("tags");
        return List.copyOf(columns);
    }

    private static String upsert() {
        StringBuilder out = new StringBuilder("insert into runs (")
                .append(String.join(", ", COLUMNS.stream().map(Column::name).toList()))
                .append(") values (");
        for (int i = 1; i <= COLUMNS.size(); i++) {
            out.append(i > 1 ? ", $" : "$").append(i);
        }
        out.append(") on conflict (tenant_id, id) do update set ");
        for (String column : merged(Merge.FIRST_WINS)) {
            out.append(column)
                    .append(" = coalesce(runs.")
                    .append(column)
                    .append(", excluded.")
                    .append(column)
                    .append("), ");
        }
        for (String column : merged(Merge.LATER_WINS)) {
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
        for (String column : merged(Merge.FIRST_WINS)) {
            out.append(column)
                    .append(" = coalesce(")
                    .append(column)
                    .append(", $")
                    .append(patchParam(column))
                    .append("), ");
        }
        for (String column : merged(Merge.LATER_WINS)) {
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

    private static int columnIndex(String name) {
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (COLUMNS.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a written column: " + name);
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
