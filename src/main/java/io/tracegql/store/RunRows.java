package io.tracegql.store;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import io.tracegql.domain.RunField;

/**
 * How the store selects each {@link RunField} and reads it back from a row: both follow from the
 * field's column and kind, so that a field added to the catalogue is read without a line here.
 */
final class RunRows {

    /** Always selected: identity and tree position, which every nested resolver needs. */
    static final Set<RunField> KEYS = EnumSet.of(
            RunField.ID, RunField.PROJECT_ID, RunField.TRACE_ID, RunField.PARENT_RUN_ID, RunField.DOTTED_ORDER);

    private RunRows() {}

    /** The SQL expression (aliased by the field's column name) that reads a field of the run {@code r}. */
    static String select(RunField field) {
        return switch (field) {
            case METADATA, FEEDBACK_STATS -> value(field, "r") + " as " + field.column();
            default -> value(field, "r");
        };
    }

    /**
     * The SQL expression of a field of the run {@code run} (an alias of {@code runs}). Feedback stats
     * are the rows' form, a JSON array per key (see {@link FeedbackStore#runStats}).
     */
    static String value(RunField field, String run) {
        return switch (field) {
            case METADATA -> run + ".extra -> 'metadata'";
            case FEEDBACK_STATS -> FeedbackStore.rowStats(run);
            default -> run + "." + field.column();
        };
    }

    /** The select list for these fields plus the keys, in catalogue order. */
    static String selectList(Set<RunField> fields) {
        EnumSet<RunField> all = EnumSet.copyOf(KEYS);
        all.addAll(fields);
        StringBuilder out = new StringBuilder();
        for (RunField field : all) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(select(field));
        }
        return out.toString();
    }

    /** A record of the keys and these fields of a row. */
    static RunRecord read(Row row, Set<RunField> fields) {
        RunRecord run = new RunRecord();
        for (RunField field : KEYS) {
            run.set(field, value(row, field));
        }
        for (RunField field : fields) {
            run.set(field, value(row, field));
        }
        return run;
    }

    /** A field's value in a row, as the Java type of its kind. */
    static Object value(Row row, RunField field) {
        String column = field.column();
        return switch (field.kind()) {
            case UUID -> row.getUUID(column);
            case TEXT, RUN_TYPE, STATUS, DOTTED_ORDER, ERROR_TEXT -> row.getString(column);
            case TIME -> row.getOffsetDateTime(column);
            case DOUBLE -> row.getDouble(column);
            case INTEGER -> row.getInteger(column);
            case DECIMAL -> row.getBigDecimal(column);
            case BOOLEAN -> row.getBoolean(column);
            case TEXT_ARRAY -> {
                String[] values = row.getArrayOfStrings(column);
                yield values == null ? null : Arrays.asList(values);
            }
            case JSON, JSON_OBJECT, JSON_ARRAY -> {
                Object value = row.getValue(column);
                // A stored JSON null reads as the client's JSON_NULL marker: null either way.
                yield value == Tuple.JSON_NULL ? null : JsonValues.toPlain(value);
            }
            case FEEDBACK_STATS -> FeedbackStore.readRunStats(row.getValue(column));
        };
    }

    /** The PostgreSQL type of a field's column, for a parameter compared with it. */
    static String sqlType(RunField field) {
        return switch (field.kind()) {
            case UUID -> "uuid";
            case TEXT, RUN_TYPE, STATUS, DOTTED_ORDER, ERROR_TEXT -> "text";
            case TIME -> "timestamptz";
            case DOUBLE -> "float8";
            case INTEGER -> "int4";
            case DECIMAL -> "numeric";
            case BOOLEAN -> "bool";
            case TEXT_ARRAY -> "text[]";
            case JSON, JSON_OBJECT, JSON_ARRAY, FEEDBACK_STATS -> "jsonb";
        };
    }
}
