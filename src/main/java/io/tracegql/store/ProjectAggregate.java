package io.tracegql.store;

import java.util.Locale;

/**
 * The aggregates of a project (the TracerSessionResult figures): the column each is read as, which the
 * rollups' project_rollup_stats (migration V15) returns and both {@link ProjectStore#statsByProjectIds}
 * and a compiled read select, and each one's exact SQL expression over the runs {@code r} of the
 * project, which {@link ProjectStore#statsFromRuns} computes to check the rollups against.
 * Trace-level figures cover root runs, token and cost totals llm runs (see {@link ProjectStats}).
 */
public enum ProjectAggregate {
    RUN_COUNT(Kind.COUNT, "count(*)" + Filters.ROOTS),
    LATENCY_P50(Kind.DOUBLE, "percentile_cont(0.5) within group (order by r.latency_seconds)" + Filters.ROOTS),
    LATENCY_P99(Kind.DOUBLE, "percentile_cont(0.99) within group (order by r.latency_seconds)" + Filters.ROOTS),
    FIRST_TOKEN_P50(Kind.DOUBLE, "percentile_cont(0.5) within group (order by " + Filters.FIRST_TOKEN + ")"),
    FIRST_TOKEN_P99(Kind.DOUBLE, "percentile_cont(0.99) within group (order by " + Filters.FIRST_TOKEN + ")"),
    TOTAL_TOKENS(Kind.LONG, "sum(r.total_tokens)" + Filters.LLM),
    PROMPT_TOKENS(Kind.LONG, "sum(r.prompt_tokens)" + Filters.LLM),
    COMPLETION_TOKENS(Kind.LONG, "sum(r.completion_tokens)" + Filters.LLM),
    TOTAL_COST(Kind.DECIMAL, "sum(r.total_cost)" + Filters.LLM),
    PROMPT_COST(Kind.DECIMAL, "sum(r.prompt_cost)" + Filters.LLM),
    COMPLETION_COST(Kind.DECIMAL, "sum(r.completion_cost)" + Filters.LLM),
    ERROR_RATE(Kind.DOUBLE, "avg(case when r.status = 'error' then 1.0 else 0.0 end)" + Filters.ROOTS),
    LAST_RUN_START_TIME(Kind.TIME, "max(r.start_time)" + Filters.ROOTS),
    /** llm runs with tokens and no cost: no price matched their model. */
    UNPRICED_RUN_COUNT(Kind.COUNT, "count(*) filter (where " + RunAnalytics.UNPRICED + ")");

    /** How an aggregate is read: the Java type the project's field has. */
    public enum Kind {
        /** A count, an int in GraphQL. */
        COUNT,
        DOUBLE,
        LONG,
        DECIMAL,
        TIME
    }

    private static final class Filters {
        static final String ROOTS = " filter (where r.parent_run_id is null)";
        static final String LLM = " filter (where r.run_type = 'llm')";
        static final String FIRST_TOKEN = "extract(epoch from (r.first_token_time - r.start_time))";
    }

    private final Kind kind;
    private final String sql;

    ProjectAggregate(Kind kind, String sql) {
        this.kind = kind;
        this.sql = sql;
    }

    public Kind kind() {
        return kind;
    }

    /** The SQL expression over the runs {@code r}. */
    String sql() {
        return sql;
    }

    /** The column it is selected as, e.g. run_count. */
    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The field of Project that shows it, e.g. runCount. */
    public String graphqlName() {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : column().toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
