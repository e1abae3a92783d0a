package io.tracegql.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * The fields a run filter can test: one row per field, with the names LangSmith's filter language
 * gives it, the SQL expression it is compiled to (runs are {@code r}, feedback {@code f}), the type
 * of its values and the filter language's comparators on it. Both front-ends (the typed GraphQL
 * filter and the filter language) build conditions on these fields, and the SQL compiler reads its
 * columns from here, so a field is added in one place.
 *
 * <p>{@code metadata_key}/{@code metadata_value} and {@code feedback_key}/{@code feedback_score}
 * only work in pairs: they become {@link RunFilter.Metadata} and {@link RunFilter.Feedback}
 * conditions rather than {@link RunFilter.Compare}.
 *
 * <p>A field that is a run field names its {@link RunField}: its names and column come from the
 * catalogue. The rest are conditions or pairs of their own.
 */
public enum RunFilterField {
    ID(RunField.ID, ValueType.UUID, "eq", "in"),
    TRACE_ID(RunField.TRACE_ID, ValueType.UUID, "eq"),
    PARENT_RUN_ID(RunField.PARENT_RUN_ID, ValueType.UUID, "eq"),
    PROJECT_ID(RunField.PROJECT_ID, ValueType.UUID, "eq"),
    /** True for trace roots; {@link #sqlWhenFalse()} is its negation. */
    IS_ROOT(List.of("is_root"), "r.parent_run_id is null", "r.parent_run_id is not null", "eq", "neq"),
    /** Whether the run failed. */
    ERROR(List.of("error"), "r.error is not null", "r.error is null", "eq", "neq"),
    RUN_TYPE(RunField.RUN_TYPE, ValueType.RUN_TYPE, "eq", "neq", "in"),
    STATUS(RunField.STATUS, ValueType.RUN_STATUS, "eq", "neq", "in"),
    NAME(RunField.NAME, ValueType.TEXT, "eq"),
    /** The conversation (thread) the run belongs to. */
    THREAD_ID(RunField.THREAD_ID, ValueType.TEXT, "eq"),
    /** has: the run carries the tag; in: at least one of the tags (both served by the GIN index). */
    TAGS(RunField.TAGS, ValueType.TAGS, "has", "in"),
    START_TIME(RunField.START_TIME, ValueType.TIMESTAMP, "gt", "gte", "lt", "lte"),
    /** In seconds; null while the run has not ended, so unfinished runs never match. */
    LATENCY(RunField.LATENCY_SECONDS, ValueType.SECONDS, "gt", "gte", "lt", "lte"),
    TOTAL_TOKENS(RunField.TOTAL_TOKENS, ValueType.COUNT, "gt", "gte", "lt", "lte"),
    TOTAL_COST(RunField.TOTAL_COST, ValueType.AMOUNT, "gt", "gte", "lt", "lte"),
    /** Containment on this expression, so that the jsonb_path_ops GIN index serves it. */
    METADATA_KEY(List.of("metadata_key"), "r.extra -> 'metadata'", ValueType.TEXT, "eq"),
    METADATA_VALUE(List.of("metadata_value"), "r.extra -> 'metadata'", ValueType.TEXT, "eq"),
    /** Tested with an exists (...) over the run's feedback rows. */
    FEEDBACK_KEY(List.of("feedback_key"), "f.key", ValueType.TEXT, "eq"),
    /** Only inside a {@link RunFilter.Feedback}: the score of that feedback. */
    FEEDBACK_SCORE(List.of("feedback_score"), "f.score", ValueType.SCORE, "eq", "gt", "gte", "lt", "lte");

    /** What a field's values are: their Java type and the SQL type they are bound as. */
    public enum ValueType {
        UUID(java.util.UUID.class, "uuid"),
        /** A condition that holds or not: {@link #sql()} when true, {@link #sqlWhenFalse()} when false. */
        BOOLEAN(Boolean.class, "bool"),
        TEXT(String.class, "text"),
        RUN_TYPE(RunType.class, "text"),
        RUN_STATUS(RunStatus.class, "text"),
        /** Values are single tags; the column is a text[]. */
        TAGS(String.class, "text[]"),
        TIMESTAMP(OffsetDateTime.class, "timestamptz"),
        SECONDS(Double.class, "float8"),
        COUNT(Long.class, "int8"),
        AMOUNT(BigDecimal.class, "numeric"),
        SCORE(Double.class, "float8");

        private final Class<?> javaType;
        private final String sqlType;

        ValueType(Class<?> javaType, String sqlType) {
            this.javaType = javaType;
            this.sqlType = sqlType;
        }

        /** The class of one value. */
        public Class<?> javaType() {
            return javaType;
        }

        /** The SQL type one value (or, for tags, the array of values) is bound as. */
        public String sqlType() {
            return sqlType;
        }

        /** Whether bounds (gt, gte, lt, lte) apply: the values are ordered. */
        public boolean ordered() {
            return this == TIMESTAMP || this == SECONDS || this == COUNT || this == AMOUNT || this == SCORE;
        }

        /** Whether the values are never below 0, so a negative bound is a mistake. */
        public boolean nonNegative() {
            return this == SECONDS || this == COUNT || this == AMOUNT;
        }
    }

    private final List<String> names;
    private final String sql;
    private final String sqlWhenFalse;
    private final ValueType type;
    private final List<String> comparators;

    /** A field of the run field catalogue, by its LangSmith names (v1, then v2 where it differs). */
    RunFilterField(RunField field, ValueType type, String... comparators) {
        this(namesOf(field), "r." + field.column(), null, type, comparators);
    }

    RunFilterField(List<String> names, String sql, ValueType type, String... comparators) {
        this(names, sql, null, type, comparators);
    }

    RunFilterField(List<String> names, String sqlWhenTrue, String sqlWhenFalse, String... comparators) {
        this(names, sqlWhenTrue, sqlWhenFalse, ValueType.BOOLEAN, comparators);
    }

    RunFilterField(List<String> names, String sql, String sqlWhenFalse, ValueType type, String... comparators) {
        this.names = names;
        this.sql = sql;
        this.sqlWhenFalse = sqlWhenFalse;
        this.type = type;
        this.comparators = List.of(comparators);
    }

    private static List<String> namesOf(RunField field) {
        return field.v1Name().equals(field.v2Name())
                ? List.of(field.v1Name())
                : List.of(field.v1Name(), field.v2Name());
    }

    /** The filter language's name of the field; the first of {@link #names()}. */
    public String langSmithName() {
        return names.get(0);
    }

    /** Every name the filter language accepts for the field. */
    public List<String> names() {
        return names;
    }

    /** The SQL expression of the field, or for a boolean field the condition that it is true. */
    public String sql() {
        return sql;
    }

    /** For a boolean field, the condition that it is false; null otherwise. */
    public String sqlWhenFalse() {
        return sqlWhenFalse;
    }

    public ValueType type() {
        return type;
    }

    /** The filter language's comparators on the field. */
    public List<String> comparators() {
        return comparators;
    }

    /** The field the filter language calls {@code name}; null when there is none. */
    public static RunFilterField named(String name) {
        for (RunFilterField field : values()) {
            if (field.names.contains(name)) {
                return field;
            }
        }
        return null;
    }

    /** Every field name the filter language accepts, in the order of the table, for messages. */
    public static String supportedNames() {
        return String.join(
                ", ", Arrays.stream(values()).flatMap(f -> f.names.stream()).toList());
    }
}
