package io.tracegql.graphql;

import jakarta.enterprise.context.ApplicationScoped;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.store.RunCursor;

/** Checks page sizes against the configured maximum, and the cursors of run pages. */
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
        if (after == null) {
            return null;
        }
        RunCursor cursor;
        try {
            cursor = RunCursor.decode(after);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("after: '" + after + "' is not valid: " + e.getMessage()
                    + "; use a pageInfo.endCursor or edge cursor from a previous page");
        }
        if (cursor.field() != field || cursor.direction() != direction) {
            throw new InvalidInputException("after: the cursor was issued for orderBy {field: " + cursor.field()
                    + ", direction: " + cursor.direction() + "}; repeat that orderBy or start again without after");
        }
        return cursor;
    }
}
