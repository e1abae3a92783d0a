package io.tracegql.graphql;

import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.inputs.RunOrderInput;
import io.tracegql.store.RunCursor;

/**
 * The arguments of a page of runs ({@code runs(filter, filterExpression, orderBy, first, after)}),
 * checked: the filter against its rules, the page size against the maximum, the cursor against the
 * order. Every path that answers the field reads them here, so that each refuses the same input with
 * the same error.
 */
public record RunPageArguments(
        RunFilter filter, RunSortField sortField, SortDirection direction, int first, RunCursor after) {

    public static RunPageArguments of(
            Paging paging,
            RunFilterInput filter,
            String filterExpression,
            RunOrderInput orderBy,
            Integer first,
            String after) {
        RunFilter runFilter = RunFilters.toDomain(filter, filterExpression);
        RunOrderInput order = orderBy == null ? new RunOrderInput() : orderBy;
        int pageSize = paging.pageSize(first);
        RunCursor cursor = Paging.runCursor(after, order.field, order.direction);
        return new RunPageArguments(runFilter, order.field, order.direction, pageSize, cursor);
    }
}
