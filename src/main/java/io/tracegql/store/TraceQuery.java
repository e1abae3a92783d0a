package io.tracegql.store;

import java.util.UUID;

import io.tracegql.domain.RunFilter;
import io.tracegql.domain.SortDirection;
import io.tracegql.domain.TraceSortField;
import io.tracegql.domain.TraceTotalsFilter;

/**
 * Which traces of a project a page lists, and in which order: those whose root run matches {@code
 * roots} and whose totals meet {@code totals}.
 */
public record TraceQuery(
        UUID projectId, RunFilter roots, TraceTotalsFilter totals, TraceSortField sortField, SortDirection direction) {

    public TraceQuery {
        roots = roots == null ? RunFilter.none() : roots;
        totals = totals == null ? TraceTotalsFilter.none() : totals;
        sortField = sortField == null ? TraceSortField.START_TIME : sortField;
        direction = direction == null ? SortDirection.DESC : direction;
    }

    /** Whether the statement needs the totals whatever was selected: to filter or sort by them. */
    boolean needsTotals() {
        return sortField.total() != null || !totals.bounds().isEmpty();
    }
}
