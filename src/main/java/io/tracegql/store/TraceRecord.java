package io.tracegql.store;

import java.util.Map;
import java.util.UUID;

import io.tracegql.domain.TraceTotal;

/**
 * A trace: its root run, read with the columns that were asked for (null while the root has not
 * arrived), and its totals over the whole tree (empty when they were not asked for).
 */
public record TraceRecord(UUID traceId, RunRecord root, Map<TraceTotal, Object> totals) {

    public TraceRecord {
        totals = totals == null ? Map.of() : totals;
    }

    /** Whether the totals were read. */
    public boolean hasTotals() {
        return !totals.isEmpty();
    }

    /** A total as the Java type of {@link TraceTotal#javaType()}; null without a value or when not read. */
    @SuppressWarnings("unchecked")
    public <T> T total(TraceTotal total) {
        return (T) totals.get(total);
    }
}
