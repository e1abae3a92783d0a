package io.tracegql.graphql.types;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.domain.FeedbackStat;

@Type("FeedbackStats")
@Description("Aggregate of the feedback given under one key.")
public class FeedbackStats {

    private final FeedbackStat stat;

    public FeedbackStats(FeedbackStat stat) {
        this.stat = stat;
    }

    public static List<FeedbackStats> of(List<FeedbackStat> stats) {
        return stats.stream().map(FeedbackStats::new).toList();
    }

    @NonNull
    @Description("The feedback key (for example correctness or user_score).")
    public String getKey() {
        return stat.key();
    }

    @Description("How many pieces of feedback have this key.")
    public int getCount() {
        return Math.toIntExact(stat.count());
    }

    @Description("Mean of the numeric scores; null when no feedback under this key has a score.")
    public Double getMeanScore() {
        return stat.meanScore();
    }

    @NonNull
    @Description("For categorical feedback: how often each value was given, most frequent first.")
    public List<@NonNull ValueCount> getValues() {
        return stat.values().stream()
                .map(v -> new ValueCount(v.value(), Math.toIntExact(v.count())))
                .toList();
    }

    @Type("FeedbackValueCount")
    @Description("How often one categorical feedback value was given.")
    public record ValueCount(
            @NonNull @Description("The value.") String value,
            @Description("How many times it was given.") int count) {}
}
