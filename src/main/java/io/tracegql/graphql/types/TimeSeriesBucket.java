package io.tracegql.graphql.types;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("TimeSeriesBucket")
@Description("Aggregates of the matching runs that started in one bucket of a time series.")
public record TimeSeriesBucket(
        @NonNull @Description("Start of the bucket (UTC); the bucket ends where the next one starts.")
        OffsetDateTime start,

        @Description("How many matching runs started in the bucket.")
        int runCount,

        @Description("How many of them have the status error.")
        int errorCount,

        @Description("Median latency in seconds; null when no finished run is in the bucket.")
        Double latencyP50,

        @Description("99th percentile latency in seconds; null when no finished run is in the bucket.")
        Double latencyP99,

        @Description("Median seconds from start to first token; null when no run in the bucket recorded one.")
        Double firstTokenP50,

        @NonNull @Description("Sum of total tokens (0 when none).")
        Long totalTokens,

        @NonNull @Description("Sum of total cost in USD (0 when none).")
        BigDecimal totalCost,

        @NonNull
        @Description("Per feedback key (in key order), the feedback on the bucket's runs: how much and its mean score.")
        List<@NonNull FeedbackScore> feedbackScores) {

    @Type("FeedbackScore")
    @Description("How much feedback was given under one key and the mean of its numeric scores.")
    public record FeedbackScore(
            @NonNull @Description("The feedback key, e.g. correctness.")
            String key,

            @Description("How many feedback entries have this key.")
            int count,

            @Description("Mean of the numeric scores; null when none is numeric.")
            Double meanScore) {}
}
