package io.tracegql.domain;

/**
 * What a page of traces can be sorted by: a field of the root run or a total of the whole trace. Ties
 * are broken by trace id; traces without a value come last.
 */
public enum TraceSortField {
    START_TIME(RunField.START_TIME, null),
    /** The root's latency; null while the root has not ended. */
    LATENCY(RunField.LATENCY_SECONDS, null),
    TOTAL_TOKENS(null, TraceTotal.TOTAL_TOKENS),
    TOTAL_COST(null, TraceTotal.TOTAL_COST),
    RUN_COUNT(null, TraceTotal.RUN_COUNT),
    ERROR_COUNT(null, TraceTotal.ERROR_COUNT);

    private final RunField rootField;
    private final TraceTotal total;

    TraceSortField(RunField rootField, TraceTotal total) {
        this.rootField = rootField;
        this.total = total;
    }

    /** The root run's field that orders the traces, or null when a total does. */
    public RunField rootField() {
        return rootField;
    }

    /** The total that orders the traces, or null when a field of the root does. */
    public TraceTotal total() {
        return total;
    }

    /** Whether every trace has a value to be sorted by. */
    public boolean alwaysValued() {
        return total == null ? rootField == RunField.START_TIME : total.alwaysValued();
    }

    /** The Java type of the sort value. */
    public Class<?> javaType() {
        return total == null ? rootField.kind().javaType() : total.javaType();
    }
}
