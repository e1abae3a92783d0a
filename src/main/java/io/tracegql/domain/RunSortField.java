package io.tracegql.domain;

/** What a page of runs can be sorted by; ties are broken by run id. */
public enum RunSortField {
    START_TIME,
    LATENCY,
    TOTAL_TOKENS,
    TOTAL_COST
}
