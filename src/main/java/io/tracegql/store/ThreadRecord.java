package io.tracegql.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A thread (conversation): the root runs (turns) of one project that share a thread id. Figures about
 * turns cover the root runs; token and cost totals, read only when asked for, cover the llm runs of
 * the thread's whole traces.
 */
public record ThreadRecord(
        UUID projectId,
        String threadId,
        long turnCount,
        OffsetDateTime firstStartTime,
        OffsetDateTime lastStartTime,
        String firstInputsPreview,
        String lastOutputsPreview,
        Double latencyP50,
        Double latencyP99,
        long errorCount,
        String lastError,
        Totals totals) {

    /** Tokens and costs of the llm runs of a thread's traces. */
    public record Totals(
            Long promptTokens,
            Long completionTokens,
            Long totalTokens,
            BigDecimal promptCost,
            BigDecimal completionCost,
            BigDecimal totalCost) {}
}
