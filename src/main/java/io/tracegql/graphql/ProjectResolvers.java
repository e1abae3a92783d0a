package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.graphql.api.Context;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Source;

import io.tracegql.domain.FeedbackStat;
import io.tracegql.domain.RunFilter;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.types.Project;
import io.tracegql.graphql.types.RunStats;
import io.tracegql.security.Tenancy;
import io.tracegql.store.RunAnalytics;

/**
 * Nested fields of Project that take arguments. Registered for reflection because a class with only
 * {@code @Source} methods is not registered by the extension.
 */
@GraphQLApi
@RegisterForReflection(fields = false)
public class ProjectResolvers {

    private final RunAnalytics analytics;
    private final Tenancy tenancy;
    private final Context context;

    public ProjectResolvers(RunAnalytics analytics, Tenancy tenancy, Context context) {
        this.analytics = analytics;
        this.tenancy = tenancy;
        this.context = context;
    }

    /**
     * Batched: a page of projects with their stats for a window costs one statement (and one more for
     * feedback when selected), not one per project.
     */
    @Name("runStats")
    @Description("Aggregates of this project's runs that match the filter (a time window is"
            + " `filter: {startTime: {from, to}}`): counts, latency and first-token quantiles, token and cost sums,"
            + " feedback. Unlike the project's own aggregates, every matching run counts, not only roots or llm"
            + " runs.")
    public Uni<List<@NonNull RunStats>> runStats(
            @Source List<Project> projects,
            @Name("filter") @Description("Which of the project's runs to aggregate; all when left out.")
                    RunFilterInput filter,
            @Name("probabilities")
                    @Description("Probabilities (0 to 1) of the quantiles to compute; [0.5, 0.99] when left out, at"
                            + " most 10.")
                    double[] probabilities) {
        RunFilter runFilter = RunFilters.toDomain(filter);
        List<Double> quantiles = AnalyticsQueries.probabilities(probabilities);
        UUID tenant = tenancy.currentTenantId();
        List<UUID> ids = new ArrayList<>(projects.size());
        projects.forEach(project -> ids.add(project.record().id()));
        boolean withFeedback = Selections.current(context).contains("feedbackStats");
        Uni<List<List<FeedbackStat>>> feedback = withFeedback
                ? analytics.feedbackStatsByProjectIds(tenant, ids, runFilter)
                : Uni.createFrom()
                        .item(ids.stream().map(id -> List.<FeedbackStat>of()).toList());
        boolean withUnpriced = Selections.current(context).contains("unpricedRunCount");
        return analytics
                .statsByProjectIds(tenant, ids, runFilter, quantiles, withUnpriced)
                .flatMap(stats -> feedback.map(feedbackStats -> {
                    List<RunStats> result = new ArrayList<>(stats.size());
                    for (int i = 0; i < stats.size(); i++) {
                        result.add(new RunStats(stats.get(i), feedbackStats.get(i)));
                    }
                    return result;
                }));
    }
}
