package io.tracegql.store;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.tracegql.domain.RunField;

/**
 * One run as the store reads and writes it: a value per {@link RunField}. A field is either absent
 * (not sent by the client, not selected by the query) or present with a value, which may be null (an
 * SQL null); {@link #has} tells them apart. Values have the Java type of their field's kind; JSON
 * payloads are plain Java values (Map, List, scalars).
 */
public final class RunRecord {

    private static final RunField[] FIELDS = RunField.values();

    static {
        if (FIELDS.length > Long.SIZE) {
            throw new IllegalStateException("a run record keeps which fields it has in one long");
        }
    }

    private final Object[] values = new Object[FIELDS.length];
    private long present;
    private Map<JsonProjection, Object> projections;

    /** Whether the field was set (sent, derived or read), even to null. */
    public boolean has(RunField field) {
        return (present & bit(field)) != 0;
    }

    /** The field's value; null when it is null or absent. */
    @SuppressWarnings("unchecked")
    public <T> T get(RunField field) {
        return (T) values[field.ordinal()];
    }

    /** Sets a field, also to null (present, without a value). */
    public RunRecord set(RunField field, Object value) {
        if (value != null && !field.kind().javaType().isInstance(value)) {
            throw new IllegalArgumentException(
                    field + " holds " + field.kind().javaType().getSimpleName() + ", not "
                            + value.getClass().getSimpleName());
        }
        values[field.ordinal()] = value;
        present |= bit(field);
        return this;
    }

    public UUID id() {
        return get(RunField.ID);
    }

    /** The value of a projection this record was read with (null when the path selected nothing). */
    public Object projection(JsonProjection projection) {
        if (projections == null || !projections.containsKey(projection)) {
            throw new IllegalStateException("the run was read without the projection " + projection);
        }
        return projections.get(projection);
    }

    public RunRecord projection(JsonProjection projection, Object value) {
        if (projections == null) {
            projections = new HashMap<>();
        }
        projections.put(projection, value);
        return this;
    }

    private static long bit(RunField field) {
        return 1L << field.ordinal();
    }
}
