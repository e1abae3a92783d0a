package io.tracegql.store;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;

/**
 * An opaque keyset cursor: the sort value and id of the last run on a page, plus the sort it was
 * issued for, so that a cursor used with another sort is refused instead of silently skipping rows.
 */
public record RunCursor(RunSortField field, SortDirection direction, String value, UUID id) {

    private static final String PREFIX = "run1";

    /** The cursor that points just after this run in this sort. */
    public static RunCursor after(RunRecord run, RunSortField field, SortDirection direction) {
        if (!run.has(field.field())) {
            throw new IllegalStateException("the run was read without " + field.field() + ", its sort value");
        }
        Object value = run.get(field.field());
        if (value instanceof BigDecimal decimal) {
            value = decimal.toPlainString();
        }
        return new RunCursor(field, direction, value == null ? null : value.toString(), run.id());
    }

    public String encode() {
        String raw =
                String.join("|", PREFIX, field.name(), direction.name(), value == null ? "" : value, id.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor; throws IllegalArgumentException with a readable reason when it is not one of ours. */
    public static RunCursor decode(String cursor) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("it is not a cursor returned by this API");
        }
        String[] parts = raw.split("\\|", -1);
        if (parts.length != 5 || !PREFIX.equals(parts[0])) {
            throw new IllegalArgumentException("it is not a cursor returned by this API");
        }
        try {
            RunCursor decoded = new RunCursor(
                    RunSortField.valueOf(parts[1]),
                    SortDirection.valueOf(parts[2]),
                    parts[3].isEmpty() ? null : parts[3],
                    UUID.fromString(parts[4]));
            decoded.typedValue();
            return decoded;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("it is not a cursor returned by this API");
        }
    }

    /** The sort value as the type its column has. */
    Object typedValue() {
        if (value == null) {
            return null;
        }
        return switch (field.field().kind()) {
            case TIME -> OffsetDateTime.parse(value);
            case DOUBLE -> Double.valueOf(value);
            case INTEGER -> Integer.valueOf(value);
            case DECIMAL -> new BigDecimal(value);
            default -> throw new IllegalStateException("runs are not sorted by " + field.field());
        };
    }
}
