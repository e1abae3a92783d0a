package io.tracegql.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * Aggregates of one project. Trace-level figures (run count, latency, error rate, last start) cover
 * root runs; first-token figures cover every run that recorded a first token; token and cost totals
 * cover llm runs, where usage is recorded, so that roll-ups on parent chains are not counted twice.
 */
public record ProjectStats(
        long runCount,
        Double latencyP50,
        Double latencyP99,
        Double firstTokenP50,
        Double firstTokenP99,
        Long totalTokens,
        Long promptTokens,
        Long completionTokens,
        BigDecimal totalCost,
        BigDecimal promptCost,
        BigDecimal completionCost,
        Double errorRate,
        OffsetDateTime lastRunStartTime,
        /** llm runs with tokens and no cost (no price matched their model); null when not asked for. */
        Long unpricedRunCount) {

    static final ProjectStats EMPTY =
            new ProjectStats(0, null, null, null, null, null, null, null, null, null, null, null, null, 0L);
}
