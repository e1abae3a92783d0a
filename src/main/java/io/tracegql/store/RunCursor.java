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

    /**
     * {@link #encode} as an SQL expression over the run {@code run} (an alias of {@code runs}), for a
     * statement that writes its cursors itself: the same text, byte for byte.
     */
    static String encodeSql(RunSortField field, SortDirection direction, String run) {
        String column = run + "." + field.field().column();
        String value =
                switch (field.field().kind()) {
                    case TIME -> JavaText.offsetDateTimeToString(column);
                    case DOUBLE -> JavaText.doubleToString(column);
                    // A decimal's toPlainString and an integer's toString are PostgreSQL's text of them.
                    case INTEGER, DECIMAL -> column + "::text";
                    default -> throw new IllegalStateException("runs are not sorted by " + field.field());
                };
        String raw = "'" + String.join("|", PREFIX, field.name(), direction.name()) + "|' || coalesce(" + value
                + ", '') || '|' || " + run + ".id::text";
        // PostgreSQL's base64 breaks lines every 76 characters; the URL-safe alphabet, without padding.
        return "rtrim(translate(encode(convert_to(" + raw + ", 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')";
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
