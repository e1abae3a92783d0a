package io.tracegql.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * The figures of a whole trace, over every run of its tree: each is a column of {@code trace_totals},
 * which a trigger keeps up to date in the transaction that writes the runs (migration V10 says how each
 * is computed). Token and cost sums cover the llm runs, as project and thread totals do, and are null
 * while no llm run has a value: an unpriced trace has no cost, not $0.
 */
public enum TraceTotal {
    RUN_COUNT("run_count", "runCount", Long.class),
    /** Runs whose status is error. */
    ERROR_COUNT("error_count", "errorCount", Long.class),
    PROMPT_TOKENS(RunField.PROMPT_TOKENS, Long.class),
    COMPLETION_TOKENS(RunField.COMPLETION_TOKENS, Long.class),
    TOTAL_TOKENS(RunField.TOTAL_TOKENS, Long.class),
    PROMPT_COST(RunField.PROMPT_COST, BigDecimal.class),
    COMPLETION_COST(RunField.COMPLETION_COST, BigDecimal.class),
    TOTAL_COST(RunField.TOTAL_COST, BigDecimal.class),
    /** The earliest first-token time of any run of the tree. */
    FIRST_TOKEN_TIME(RunField.FIRST_TOKEN_TIME, OffsetDateTime.class);

    private final String column;
    private final String graphqlName;
    private final Class<?> javaType;

    /** A figure over the run field of the same name. */
    TraceTotal(RunField field, Class<?> javaType) {
        this(field.column(), field.graphqlNames().get(0), javaType);
    }

    TraceTotal(String column, String graphqlName, Class<?> javaType) {
        this.column = column;
        this.graphqlName = graphqlName;
        this.javaType = javaType;
    }

    /** The column of {@code trace_totals}. */
    public String column() {
        return column;
    }

    /** The field of the GraphQL Trace type that shows it. */
    public String graphqlName() {
        return graphqlName;
    }

    /** Long, BigDecimal or OffsetDateTime. */
    public Class<?> javaType() {
        return javaType;
    }

    /** Whether every trace has a value (the counts); sums and times are null without contributing runs. */
    public boolean alwaysValued() {
        return this == RUN_COUNT || this == ERROR_COUNT;
    }
}
