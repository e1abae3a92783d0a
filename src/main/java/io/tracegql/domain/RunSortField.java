package io.tracegql.domain;

/** What a page of runs can be sorted by; ties are broken by run id. */
public enum RunSortField {
    START_TIME(RunField.START_TIME),
    LATENCY(RunField.LATENCY_SECONDS),
    TOTAL_TOKENS(RunField.TOTAL_TOKENS),
    TOTAL_COST(RunField.TOTAL_COST);

    private final RunField field;

    RunSortField(RunField field) {
        this.field = field;
    }

    /** The run field whose value orders the runs. */
    public RunField field() {
        return field;
    }
}
