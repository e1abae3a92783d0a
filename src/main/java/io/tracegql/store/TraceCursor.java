package io.tracegql.store;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

import io.tracegql.domain.SortDirection;
import io.tracegql.domain.TraceSortField;

/**
 * An opaque keyset cursor: the sort value and trace id of the last trace on a page, plus the sort it
 * was issued for, so that a cursor used with another sort is refused instead of silently skipping
 * traces.
 */
public record TraceCursor(TraceSortField field, SortDirection direction, String value, UUID traceId) {

    private static final String PREFIX = "trace1";

    /** The cursor just after this trace in this sort; the trace was read with its sort value. */
    public static TraceCursor after(TraceRecord trace, TraceSortField field, SortDirection direction) {
        Object value = field.total() != null
                ? trace.total(field.total())
                : trace.root().get(field.rootField());
        if (value instanceof BigDecimal decimal) {
            value = decimal.toPlainString();
        }
        return new TraceCursor(field, direction, value == null ? null : value.toString(), trace.traceId());
    }

    public String encode() {
        String raw = String.join(
                "|", PREFIX, field.name(), direction.name(), value == null ? "" : value, traceId.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor; throws IllegalArgumentException with a readable reason when it is not one of ours. */
    public static TraceCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", -1);
            if (parts.length != 5 || !PREFIX.equals(parts[0])) {
                throw new IllegalArgumentException();
            }
            TraceCursor decoded = new TraceCursor(
                    TraceSortField.valueOf(parts[1]),
                    SortDirection.valueOf(parts[2]),
                    parts[3].isEmpty() ? null : parts[3],
                    UUID.fromString(parts[4]));
            if (decoded.value == null && decoded.field.alwaysValued()) {
                throw new IllegalArgumentException();
            }
            decoded.typedValue();
            return decoded;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("it is not a trace cursor returned by this API");
        }
    }

    /** The sort value as the type its column has. */
    Object typedValue() {
        if (value == null) {
            return null;
        }
        Class<?> type = field.javaType();
        if (type == OffsetDateTime.class) {
            return OffsetDateTime.parse(value);
        }
        if (type == Double.class) {
            return Double.valueOf(value);
        }
        if (type == Long.class) {
            return Long.valueOf(value);
        }
        return new BigDecimal(value);
    }
}
