package io.tracegql.store;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
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
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunField.Merge;
import io.tracegql.domain.RunStatus;

/**
 * Writes runs in bulk: one prepared statement executed for all rows in one round trip. Writing is
 * idempotent and order-independent: a run written again is merged into the stored one by each
 * field's {@link Merge} rule in the {@link RunField} catalogue, from which both statements (the upsert
 * of complete runs and the update of patches) are generated. Derived columns (previews, totals,
 * status) are filled here once, so reads never compute them.
 */
@ApplicationScoped
public class RunWriter {

    /** Every written field, in catalogue order: the upsert's columns after tenant_id. */
    private static final List<RunField> WRITTEN =
            EnumSet.allOf(RunField.class).stream().filter(RunField::written).toList();

    /** Merge rules that combine the stored value with the one written, which is then a parameter. */
    private static final Set<Merge> MERGED_WITH_VALUE = EnumSet.of(
            Merge.FIRST_WINS, Merge.LATER_WINS, Merge.NON_EMPTY_LATER_WINS, Merge.ANY_TRUE, Merge.FOLLOWS_COSTS);

    /** The fields an update sends as parameters $3, $4..., after the tenant and the run id. */
    private static final List<RunField> PATCHED = WRITTEN.stream()
            .filter(field -> MERGED_WITH_VALUE.contains(field.merge()))
            .toList();

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
    public Uni<Void> upsert(SqlClient connection, UUID tenantId, List<RunRecord> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(runs.size());
        for (RunRecord run : runs) {
            List<Object> values = new ArrayList<>(WRITTEN.size() + 1);
            values.add(tenantId);
            for (RunField field : WRITTEN) {
                values.add(parameter(field, value(field, run, false)));
            }
            rows.add(Tuple.from(values));
        }
        return sql.batch(connection, UPSERT, rows).replaceWithVoid();
    }

    /**
     * Merges updates into stored runs; returns the ids of the runs that do not exist (yet), whose
     * updates the caller keeps until they are created.
     */
    public Uni<Set<UUID>> patch(SqlClient connection, UUID tenantId, List<RunRecord> patches) {
        if (patches.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<Tuple> rows = new ArrayList<>(patches.size());
        for (RunRecord patch : patches) {
            List<Object> values = new ArrayList<>(PATCHED.size() + 2);
            values.add(tenantId);
            values.add(patch.id());
            for (RunField field : PATCHED) {
                values.add(parameter(field, value(field, patch, true)));
            }
            rows.add(Tuple.from(values));
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

    /** The value a field is written with: what was sent, or what the gateway derives from it. */
    private Object value(RunField field, RunRecord run, boolean patch) {
        UUID parent = run.get(RunField.PARENT_RUN_ID);
        return switch (field) {
            // A root is its own trace; its dotted order follows from its start time and id.
            case TRACE_ID -> run.get(field) != null || parent != null ? run.get(field) : run.id();
            case DOTTED_ORDER ->
                run.get(field) != null || run.get(RunField.START_TIME) == null || parent != null
                        ? run.get(field)
                        : DottedOrder.of(null, run.get(RunField.START_TIME), run.id());
            case STATUS ->
                run.get(field) != null
                        ? run.get(field)
                        : RunStatus.derive(run.get(RunField.ERROR), run.get(RunField.END_TIME))
                                .wireName();
            case INPUTS_PREVIEW -> Previews.ofPayload(run.get(RunField.INPUTS), previewLength);
            case OUTPUTS_PREVIEW -> Previews.ofPayload(run.get(RunField.OUTPUTS), previewLength);
            case ERROR_PREVIEW -> Previews.ofError(run.get(RunField.ERROR), previewLength);
            // A new run has tags (maybe none); an update without tags leaves the stored ones.
            case TAGS -> run.get(field) != null || patch ? run.get(field) : List.of();
            case TOTAL_TOKENS ->
                run.get(field) != null
                        ? run.get(field)
                        : sum(run.<Integer>get(RunField.PROMPT_TOKENS), run.get(RunField.COMPLETION_TOKENS));
            case TOTAL_COST ->
                run.get(field) != null
                        ? run.get(field)
                        : sum(run.<BigDecimal>get(RunField.PROMPT_COST), run.get(RunField.COMPLETION_COST));
            case IN_DATASET -> run.get(field) != null ? run.get(field) : run.get(RunField.REFERENCE_EXAMPLE_ID) != null;
            default -> run.get(field);
        };
    }

    /** A value as the reactive client binds it to the field's column. */
    private static Object parameter(RunField field, Object value) {
        return switch (field.kind()) {
            case JSON, JSON_OBJECT, JSON_ARRAY -> JsonValues.toParameter(value);
            case TEXT_ARRAY -> value == null ? null : ((List<?>) value).toArray(String[]::new);
            default -> value;
        };
    }

    /**
     * The assignment that merges a written value into the stored one, or null for a key. The stored
     * columns are {@code stored} followed by their name ("runs." in the upsert, nothing in the update).
     */
    private static String assignment(RunField field, String stored, Function<RunField, String> written) {
        String merged =
                switch (field.merge()) {
                    case KEY, NONE -> null;
                    case FIRST_WINS -> "coalesce(" + stored + field.column() + ", " + written.apply(field) + ")";
                    case LATER_WINS -> "coalesce(" + written.apply(field) + ", " + stored + field.column() + ")";
                    case NON_EMPTY_LATER_WINS ->
                        "case when cardinality(" + written.apply(field) + ") > 0 then " + written.apply(field)
                                + " else " + stored + field.column() + " end";
                    case ANY_TRUE -> stored + field.column() + " or coalesce(" + written.apply(field) + ", false)";
                    // Estimated costs give way to costs the client sends, and so does the price they came from.
                    case FOLLOWS_COSTS ->
                        "case when " + stored + "costs_estimated" + " and " + written.apply(RunField.TOTAL_COST)
                                + " is not null then " + written.apply(field) + " else coalesce("
                                + stored + field.column() + ", " + written.apply(field) + ") end";
                    case STATUS_OF_ERROR_AND_END ->
                        "case when coalesce(" + written.apply(RunField.ERROR) + ", " + stored + RunField.ERROR.column()
                                + ") is not null then 'error' when coalesce(" + written.apply(RunField.END_TIME) + ", "
                                + stored + RunField.END_TIME.column()
                                + ") is not null then 'success' else 'pending' end";
                };
        return merged == null ? null : field.column() + " = " + merged;
    }

    private static String assignments(String stored, Function<RunField, String> written) {
        List<String> out = new ArrayList<>();
        for (RunField field : WRITTEN) {
            String assignment = assignment(field, stored, written);
            if (assignment != null) {
                out.add(assignment);
            }
        }
        // A write that carries costs (total cost is derived from any cost sent) makes them the client's.
        out.add("costs_estimated = case when " + written.apply(RunField.TOTAL_COST) + " is not null then false else "
                + stored + "costs_estimated" + " end");
        out.add("updated_at = now()");
        return String.join(", ", out);
    }

    private static String upsert() {
        StringBuilder out = new StringBuilder("insert into runs (tenant_id");
        WRITTEN.forEach(field -> out.append(", ").append(field.column()));
        out.append(") values ($1");
        for (int i = 0; i < WRITTEN.size(); i++) {
            out.append(", $").append(i + 2);
        }
        return out.append(") on conflict (tenant_id, id) do update set ")
                .append(assignments("runs.", field -> "excluded." + field.column()))
                .toString();
    }

    private static String patch() {
        return "update runs set "
                + assignments("", field -> "$" + (PATCHED.indexOf(field) + 3) + "::" + RunRows.sqlType(field))
                + " where tenant_id = $1 and id = $2 returning id";
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
