package io.tracegql.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.tracegql.domain.FeedbackStat;
import io.tracegql.store.FeedbackStore;
import io.tracegql.store.RunRecord;

/**
 * Runs read for a LangSmith v1 {@code select} list as {@link RunView}s, with their feedback stats
 * (one more statement for all the runs) when the list asks for them or is empty: what a run of
 * {@code /runs/query} and a line of {@code /runs/export} are.
 */
@ApplicationScoped
class RunViews {

    private static final String FEEDBACK_STATS = "feedback_stats";

    private final FeedbackStore feedback;

    RunViews(FeedbackStore feedback) {
        this.feedback = feedback;
    }

    /** The views of runs read with {@code RunView.columns(select)}, in their order. */
    Uni<List<Map<String, Object>>> of(UUID tenantId, List<RunRecord> runs, List<String> select) {
        boolean withFeedback = select.isEmpty() || select.contains(FEEDBACK_STATS);
        Uni<List<List<FeedbackStat>>> stats = withFeedback
                ? feedback.feedbackStatsByRunIds(
                        tenantId, runs.stream().map(RunRecord::id).toList())
                : Uni.createFrom().item((List<List<FeedbackStat>>) null);
        return stats.map(feedbackStats -> {
            List<Map<String, Object>> views = new ArrayList<>(runs.size());
            for (int i = 0; i < runs.size(); i++) {
                views.add(RunView.of(runs.get(i), feedbackStats == null ? null : feedbackStats.get(i)));
            }
            return views;
        });
    }
}
