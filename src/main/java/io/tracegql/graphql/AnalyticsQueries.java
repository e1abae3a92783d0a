package io.tracegql.graphql;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.smallrye.graphql.api.Context;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.tracegql.domain.FeedbackStat;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.TimeBucket;
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.types.RunFacetCount;
import io.tracegql.graphql.types.RunStats;
import io.tracegql.graphql.types.TimeSeriesBucket;
import io.tracegql.security.Tenancy;
import io.tracegql.store.ProjectStore;
import io.tracegql.store.RunAnalytics;

/** Root queries that aggregate the runs matching a filter: overall stats, time series and facets. */
@GraphQLApi
public class AnalyticsQueries {

    /** Most quantiles one runStats query may ask for. */
    static final int MAX_PROBABILITIES = 10;
    /** Most buckets one time series may have. */
    static final int MAX_BUCKETS = 1000;
    /** Most values runFacets may return per facet. */
    static final int MAX_FACET_VALUES = 100;

    private static final List<Double> DEFAULT_PROBABILITIES = List.of(0.5, 0.99);

    private final RunAnalytics analytics;
    private final Tenancy tenancy;
    private final Context context;

    public AnalyticsQueries(RunAnalytics analytics, Tenancy tenancy, Context context) {
        this.analytics = analytics;
        this.tenancy = tenancy;
        this.context = context;
    }

    @Query("runStats")
    @Description("Counts, latency and first-token quantiles, token and cost sums and feedback of the runs that match.")
    public Uni<@NonNull RunStats> runStats(
            @Name("filter") @Description("Which runs to aggregate; all runs when left out.") RunFilterInput filter,
            @Name("probabilities")
                    @Description("Probabilities (0 to 1) of the quantiles to compute; [0.5, 0.99] when left out, at"
                            + " most 10.")
                    double[] probabilities) {
        RunFilter runFilter = RunFilters.toDomain(filter);
        List<Double> quantiles = probabilities(probabilities);
        UUID tenant = tenancy.currentTenantId();
        boolean withFeedback = Selections.current(context).contains("feedbackStats");
        Uni<List<FeedbackStat>> feedback = withFeedback
                ? analytics.feedbackStats(tenant, runFilter)
                : Uni.createFrom().item(List.of());
        boolean withUnpriced = Selections.current(context).contains("unpricedRunCount");
        return analytics
                .stats(tenant, runFilter, quantiles, withUnpriced)
                .flatMap(stats -> feedback.map(stat -> new RunStats(stats, stat)));
    }

    @Query("timeSeries")
    @Description("Aggregates of the matching runs per time bucket (UTC), every bucket of the window present. With an"
            + " empty filter, buckets of an hour or more and a window on whole UTC hours, read from the rollups:"
            + " quantiles within 1% of the exact value.")
    public Uni<@NonNull List<@NonNull TimeSeriesBucket>> timeSeries(
            @Name("filter") @NonNull @Description("Which runs to aggregate.") RunFilterInput filter,
            @Name("window")
                    @NonNull
                    @Description("Runs that started in [from, to) count; the first bucket starts at from truncated to"
                            + " the bucket.")
                    RunFilterInput.TimeRange window,
            @Name("bucket") @NonNull @Description("The width of one bucket.") TimeBucket bucket) {
        RunFilter runFilter = RunFilters.toDomain(filter);
        if (window.from == null || window.to == null) {
            throw new InvalidInputException("window: both from and to are required");
        }
        if (!window.from.isBefore(window.to)) {
            throw new InvalidInputException("window: from (" + window.from + ") must be before to (" + window.to + ")");
        }
        long buckets = bucket.count(window.from, window.to);
        if (buckets > MAX_BUCKETS) {
            throw new InvalidInputException("window: from " + window.from + " to " + window.to + " spans " + buckets
                    + " " + bucket + " buckets, over the limit of " + MAX_BUCKETS
                    + "; narrow the window or choose a wider bucket");
        }
        return analytics
                .timeSeries(
                        tenancy.currentTenantId(),
                        runFilter,
                        window.from,
                        window.to,
                        bucket,
                        Selections.current(context).contains("feedbackScores"))
                .map(points -> points.stream()
                        .map(p -> new TimeSeriesBucket(
                                p.start(),
                                Math.toIntExact(p.runCount()),
                                Math.toIntExact(p.errorCount()),
                                p.latencyP50(),
                                p.latencyP99(),
                                p.firstTokenP50(),
                                p.totalTokens(),
                                p.totalCost(),
                                p.feedback().stream()
                                        .map(f -> new TimeSeriesBucket.FeedbackScore(
                                                f.key(), Math.toIntExact(f.count()), f.meanScore()))
                                        .toList()))
                        .toList());
    }

    @Query("runFacets")
    @Description("The most frequent values, with run counts, of name, run_type, status and tag, of the metadata"
            + " keys (key `metadata`: how many runs have each key) and of the scalar values of each of those keys"
            + " (key `metadata.<key>`), over the runs that match. Ordered by key, then count (descending), then"
            + " value.")
    public Uni<@NonNull List<@NonNull RunFacetCount>> runFacets(
            @Name("filter") @Description("Which runs to count; all runs when left out.") RunFilterInput filter,
            @Name("filterExpression")
                    @Description(
                            "A filter in LangSmith's filter language, combined with `filter` (both must" + " match).")
                    String filterExpression,
            @Name("limit")
                    @Description("How many values to keep per facet, and how many metadata keys get their values"
                            + " counted: 1 to 100 (default 10).")
                    Integer limit) {
        RunFilter runFilter = RunFilters.toDomain(filter, filterExpression);
        int perFacet = facetLimit(limit);
        return analytics
                .facets(tenancy.currentTenantId(), runFilter, perFacet)
                .map(facets -> facets.stream().map(RunFacetCount::of).toList());
    }

    private static int facetLimit(Integer limit) {
        if (limit == null) {
            return ProjectStore.FACET_VALUES;
        }
        if (limit < 1 || limit > MAX_FACET_VALUES) {
            throw new InvalidInputException("limit: " + limit + " is not between 1 and " + MAX_FACET_VALUES
                    + " (values per facet); leave it out for " + ProjectStore.FACET_VALUES);
        }
        return limit;
    }

    static List<Double> probabilities(double[] given) {
        if (given == null) {
            return DEFAULT_PROBABILITIES;
        }
        List<Double> probabilities = Arrays.stream(given).boxed().toList();
        if (probabilities.size() > MAX_PROBABILITIES) {
            throw new InvalidInputException("probabilities: " + probabilities.size() + " given, at most "
                    + MAX_PROBABILITIES + " are accepted");
        }
        for (int i = 0; i < probabilities.size(); i++) {
            double p = probabilities.get(i);
            if (!(p >= 0 && p <= 1)) {
                throw new InvalidInputException(
                        "probabilities[" + i + "]: " + p + " is not between 0 and 1 (0.5 is the median)");
            }
        }
        return probabilities;
    }
}
