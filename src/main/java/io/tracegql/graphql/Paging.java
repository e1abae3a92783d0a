package io.tracegql.graphql;

import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;
import io.tracegql.domain.TraceSortField;
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.store.RunCursor;
import io.tracegql.store.TraceCursor;

/** Checks page sizes against the configured maximum, and the cursors of run and trace pages. */
@ApplicationScoped
public class Paging {

    private final TracegqlConfig.Page config;

    Paging(TracegqlConfig config) {
        this.config = config.page();
    }

    public int pageSize(Integer first) {
        if (first == null) {
            return config.defaultSize();
        }
        if (first < 1 || first > config.maxSize()) {
            throw new InvalidInputException(
                    "first must be between 1 and " + config.maxSize() + " (the maximum page size), got " + first);
        }
        return first;
    }

    /** The cursor {@code after} of a page of runs in this order, or null; refused when it is not one. */
    public static RunCursor runCursor(String after, RunSortField field, SortDirection direction) {
        return checked(after, RunCursor::decode, c -> order(c.field(), c.direction()), order(field, direction));
    }

    /** The cursor {@code after} of a page of traces in this order, or null; refused when it is not one. */
    static TraceCursor traceCursor(String after, TraceSortField field, SortDirection direction) {
        return checked(after, TraceCursor::decode, c -> order(c.field(), c.direction()), order(field, direction));
    }

    /**
     * A decoded cursor, refused when it is not one of ours or was issued for another order than the
     * page asks for: used with another order it would silently skip items.
     */
    private static <C> C checked(
            String after, Function<String, C> decode, Function<C, String> issuedFor, String order) {
        if (after == null) {
            return null;
        }
        C cursor;
        try {
            cursor = decode.apply(after);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("after: '" + after + "' is not valid: " + e.getMessage()
                    + "; use a pageInfo.endCursor or edge cursor from a previous page");
        }
        String issued = issuedFor.apply(cursor);
        if (!issued.equals(order)) {
            throw new InvalidInputException("after: the cursor was issued for orderBy {" + issued
                    + "}; repeat that orderBy or start again without after");
        }
        return cursor;
    }

    private static String order(Enum<?> field, SortDirection direction) {
        return "field: " + field + ", direction: " + direction;
    }
}
