package io.tracegql.graphql.types;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.domain.FeedbackStat;
import io.tracegql.store.RunAnalytics;

/**
 * Aggregates of the runs that match a filter. Feedback stats take a second statement, run only when
 * selected, and are attached before the object is returned. Private fields are named unlike the
 * GraphQL fields, which SmallRye GraphQL would otherwise read directly.
 */
@Type("RunStats")
@Description("Aggregates over every run that matches a filter; the filter alone decides which runs count"
        + " (unlike project stats, there is no root-only or llm-only restriction).")
public class RunStats {

    private final RunAnalytics.RunStats aggregates;
    private final List<FeedbackStat> feedback;

    public RunStats(RunAnalytics.RunStats aggregates, List<FeedbackStat> feedback) {
        this.aggregates = aggregates;
        this.feedback = feedback;
    }

    @Ignore
    public RunAnalytics.RunStats aggregates() {
        return aggregates;
    }

    @Description("How many runs match.")
    public int getRunCount() {
        return Math.toIntExact(aggregates.runCount());
    }

    @Description("How many matching runs have the status error.")
    public int getErrorCount() {
        return Math.toIntExact(aggregates.errorCount());
    }

    @Description("errorCount / runCount; null when no run matches.")
    public Double getErrorRate() {
        return aggregates.runCount() == 0 ? null : (double) aggregates.errorCount() / aggregates.runCount();
    }

    @NonNull
    @Description(
            "Latency quantiles of the matching finished runs, one per probability asked for; without a filter, from the rollups, each within 1% of the exact value.")
    public List<@NonNull Quantile> getLatencyQuantiles() {
        return of(aggregates.latency());
    }

    @NonNull
    @Description(
            "Quantiles of the seconds from start to first token, over matching runs that recorded one; without a filter, from the rollups, each within 1% of the exact value.")
    public List<@NonNull Quantile> getFirstTokenQuantiles() {
        return of(aggregates.firstToken());
    }

    @NonNull
    @Description("Sum of total tokens over the matching runs (0 when none).")
    public Long getTotalTokens() {
        return aggregates.totalTokens();
    }

    @NonNull
    @Description("Sum of prompt tokens over the matching runs (0 when none).")
    public Long getPromptTokens() {
        return aggregates.promptTokens();
    }

    @NonNull
    @Description("Sum of completion tokens over the matching runs (0 when none).")
    public Long getCompletionTokens() {
        return aggregates.completionTokens();
    }

    @NonNull
    @Description("Sum of total cost in USD over the matching runs (0 when none).")
    public BigDecimal getTotalCost() {
        return aggregates.totalCost();
    }

    @NonNull
    @Description("Sum of prompt cost in USD over the matching runs (0 when none).")
    public BigDecimal getPromptCost() {
        return aggregates.promptCost();
    }

    @NonNull
    @Description("Sum of completion cost in USD over the matching runs (0 when none).")
    public BigDecimal getCompletionCost() {
        return aggregates.completionCost();
    }

    @NonNull
    @Description("How many matching llm runs report tokens but have no cost: their client sent none and no model"
            + " price matches their model (see modelPrices). Costs stay null for them, never 0.")
    public int getUnpricedRunCount() {
        Long count = aggregates.unpricedRunCount();
        return count == null ? 0 : Math.toIntExact(count);
    }

    @NonNull
    @Description("Feedback on the matching runs, per key.")
    public List<@NonNull FeedbackStats> getFeedbackStats() {
        return feedback == null ? List.of() : FeedbackStats.of(feedback);
    }

    private static List<Quantile> of(List<RunAnalytics.Quantile> quantiles) {
        return quantiles.stream()
                .map(q -> new Quantile(q.probability(), q.seconds()))
                .toList();
    }
}
