package io.tracegql.graphql.types;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.domain.RunStatus;
import io.tracegql.domain.TraceTotal;
import io.tracegql.store.TraceRecord;

/**
 * A trace: its root run and the totals of its whole tree ({@link TraceTotal}), read in the statement
 * that found the trace and only when selected. Its runs are batched in {@code TraceResolvers}.
 */
@Type("Trace")
@Description("A trace: the tree of runs under one root run, with figures over the whole tree. Token and cost"
        + " totals cover its llm runs; a cost total is null when no run of the trace has a cost (unpriced), never 0.")
public class Trace {

    private final TraceRecord trace;
    private final Run root;

    public Trace(TraceRecord trace) {
        this.trace = trace;
        this.root = trace.root() == null ? null : new Run(trace.root());
    }

    @Ignore
    public TraceRecord record() {
        return trace;
    }

    @NonNull
    @Id
    @Description("The trace id: the id of its root run.")
    public UUID getTraceId() {
        return trace.traceId();
    }

    @Description("The root run; null while only runs below it have arrived.")
    public Run getRoot() {
        return root;
    }

    @Description("When the root run started.")
    public OffsetDateTime getStartTime() {
        return root == null ? null : root.getStartTime();
    }

    @Description("When the root run ended; null while it runs.")
    public OffsetDateTime getEndTime() {
        return root == null ? null : root.getEndTime();
    }

    @Description("The root run's latency in seconds; null while it runs.")
    public Double getLatencySeconds() {
        return root == null ? null : root.getLatencySeconds();
    }

    @Description("The root run's status.")
    public RunStatus getStatus() {
        return root == null ? null : root.getStatus();
    }

    @Description("The root run's error, if it failed.")
    public String getError() {
        return root == null ? null : root.getError();
    }

    @NonNull
    @Description("How many runs the trace has.")
    public long getRunCount() {
        return trace.<Long>total(TraceTotal.RUN_COUNT);
    }

    @NonNull
    @Description("How many runs of the trace failed (status error), at any depth.")
    public long getErrorCount() {
        return trace.<Long>total(TraceTotal.ERROR_COUNT);
    }

    @Description("Prompt tokens of the trace's llm runs; null when none reports them.")
    public Long getPromptTokens() {
        return trace.total(TraceTotal.PROMPT_TOKENS);
    }

    @Description("Completion tokens of the trace's llm runs; null when none reports them.")
    public Long getCompletionTokens() {
        return trace.total(TraceTotal.COMPLETION_TOKENS);
    }

    @Description("Total tokens of the trace's llm runs; null when none reports them.")
    public Long getTotalTokens() {
        return trace.total(TraceTotal.TOTAL_TOKENS);
    }

    @Description("Prompt cost (USD) of the trace's llm runs that have one; null when none has.")
    public BigDecimal getPromptCost() {
        return trace.total(TraceTotal.PROMPT_COST);
    }

    @Description("Completion cost (USD) of the trace's llm runs that have one; null when none has.")
    public BigDecimal getCompletionCost() {
        return trace.total(TraceTotal.COMPLETION_COST);
    }

    @Description("Total cost (USD) of the trace's llm runs that have one; null when none has (unpriced).")
    public BigDecimal getTotalCost() {
        return trace.total(TraceTotal.TOTAL_COST);
    }

    @Description("The earliest first-token time of any run of the trace (Run.firstTokenTime); null when no run"
            + " recorded one.")
    public OffsetDateTime getFirstTokenTime() {
        return trace.total(TraceTotal.FIRST_TOKEN_TIME);
    }
}
