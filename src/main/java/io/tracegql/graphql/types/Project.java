package io.tracegql.graphql.types;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.domain.FeedbackStat;
import io.tracegql.store.ProjectRecord;
import io.tracegql.store.ProjectStats;
import io.tracegql.store.RunFacet;

/**
 * A project (tracer session) with its aggregates. The aggregates are loaded, for a whole page of
 * projects at once, only when a query selects them (see {@code ProjectLoader}). Private fields are
 * named unlike the GraphQL fields, which SmallRye GraphQL would otherwise read directly.
 */
@Type("Project")
@Description("A project (tracer session): a named collection of traces, with aggregates over its runs.")
public class Project {

    private final ProjectRecord project;
    private ProjectStats stats;
    private List<RunFacet> facets;
    private List<FeedbackStat> runFeedback;
    private List<FeedbackStat> sessionFeedback;

    private final String appUrl;

    /** A project; {@code appUrl} is the base URL of a web app that shows projects, or null. */
    public Project(ProjectRecord project, String appUrl) {
        this.project = project;
        this.appUrl = appUrl;
    }

    @Ignore
    public ProjectRecord record() {
        return project;
    }

    @Ignore
    public void attachStats(ProjectStats stats) {
        this.stats = stats;
    }

    @Ignore
    public void attachRunFacets(List<RunFacet> runFacets) {
        this.facets = runFacets;
    }

    @Ignore
    public void attachFeedbackStats(List<FeedbackStat> feedbackStats) {
        this.runFeedback = feedbackStats;
    }

    @Ignore
    public void attachSessionFeedbackStats(List<FeedbackStat> sessionFeedbackStats) {
        this.sessionFeedback = sessionFeedbackStats;
    }

    @NonNull
    @Id
    @Description("The ID of the project.")
    public UUID getId() {
        return project.id();
    }

    @NonNull
    @Id
    @Description("The tenant this project belongs to.")
    public UUID getTenantId() {
        return project.tenantId();
    }

    @NonNull
    @Description("The name of the project.")
    public String getName() {
        return project.name();
    }

    @Description("The description of the project.")
    public String getDescription() {
        return project.description();
    }

    @NonNull
    @Description("When the project was created.")
    public OffsetDateTime getStartTime() {
        return project.startTime();
    }

    @Description("When the project was ended, if it was.")
    public OffsetDateTime getEndTime() {
        return project.endTime();
    }

    @Description("Extra metadata for the project (JSON; metadata and tags live inside).")
    public JsonValue getExtra() {
        return JsonOutput.of(project.extra());
    }

    @Description("The project's metadata (extra.metadata), if any.")
    public JsonValue getMetadata() {
        return JsonOutput.of(extraEntry("metadata"));
    }

    @NonNull
    @Description("The project's tags (extra.tags).")
    public List<@NonNull String> getTags() {
        Object tags = extraEntry("tags");
        if (tags instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    @Id
    @Description("The reference dataset this project's runs were generated on, if any.")
    public UUID getReferenceDatasetId() {
        return project.referenceDatasetId();
    }

    @Description("URL of this project within the app, when an app URL is configured (tracegql.app-url).")
    public String getUrl() {
        return appUrl == null ? null : appUrl.replaceAll("/+$", "") + "/projects/" + project.id();
    }

    @Description("Number of traces (root runs) in the project.")
    public Integer getRunCount() {
        return stats == null ? null : Math.toIntExact(stats.runCount());
    }

    @Description(
            "Median latency in seconds of the project's traces (root runs); from the rollups, within 1% of the exact value.")
    public Double getLatencyP50() {
        return stats == null ? null : stats.latencyP50();
    }

    @Description(
            "99th percentile latency in seconds of the project's traces (root runs); from the rollups, within 1% of the exact value.")
    public Double getLatencyP99() {
        return stats == null ? null : stats.latencyP99();
    }

    @Description(
            "Median seconds from start to first token, over runs that recorded a first token; from the rollups, within 1% of the exact value.")
    public Double getFirstTokenP50() {
        return stats == null ? null : stats.firstTokenP50();
    }

    @Description(
            "99th percentile seconds from start to first token, over runs that recorded a first token; from the rollups, within 1% of the exact value.")
    public Double getFirstTokenP99() {
        return stats == null ? null : stats.firstTokenP99();
    }

    @Description("Total tokens consumed in the project (sum over llm runs).")
    public Long getTotalTokens() {
        return stats == null ? null : stats.totalTokens();
    }

    @Description("Total prompt tokens consumed in the project (sum over llm runs).")
    public Long getPromptTokens() {
        return stats == null ? null : stats.promptTokens();
    }

    @Description("Total completion tokens consumed in the project (sum over llm runs).")
    public Long getCompletionTokens() {
        return stats == null ? null : stats.completionTokens();
    }

    @Description("Total estimated LLM cost in USD (sum over llm runs).")
    public BigDecimal getTotalCost() {
        return stats == null ? null : stats.totalCost();
    }

    @Description("Estimated cost in USD of the prompt (input) tokens (sum over llm runs).")
    public BigDecimal getPromptCost() {
        return stats == null ? null : stats.promptCost();
    }

    @Description("Estimated cost in USD of the completion tokens (sum over llm runs).")
    public BigDecimal getCompletionCost() {
        return stats == null ? null : stats.completionCost();
    }

    @Description("How many of the project's llm runs report tokens but have no cost: their client sent none and no"
            + " model price matches their model (see modelPrices), so the cost totals leave them out.")
    public Integer getUnpricedRunCount() {
        if (stats == null) {
            return null;
        }
        return stats.unpricedRunCount() == null ? 0 : Math.toIntExact(stats.unpricedRunCount());
    }

    @Description("Fraction (0 to 1) of the project's traces (root runs) that ended in an error.")
    public Double getErrorRate() {
        return stats == null ? null : stats.errorRate();
    }

    @Description("Start time of the newest trace (root run) in the project.")
    public OffsetDateTime getLastRunStartTime() {
        return stats == null ? null : stats.lastRunStartTime();
    }

    @Description("Stats of the feedback on the project's runs, per feedback key.")
    public List<@NonNull FeedbackStats> getFeedbackStats() {
        return runFeedback == null ? null : FeedbackStats.of(runFeedback);
    }

    @Description("Stats of the feedback given to the project as a whole (not to a run), per feedback key.")
    public List<@NonNull FeedbackStats> getSessionFeedbackStats() {
        return sessionFeedback == null ? null : FeedbackStats.of(sessionFeedback);
    }

    @Description("Most frequent values of name, run_type, status, tag, metadata keys and the values of those"
            + " keys over all the project's runs, with counts (top 10 per facet; see the runFacets query).")
    public List<@NonNull RunFacetCount> getRunFacets() {
        return facets == null ? null : facets.stream().map(RunFacetCount::of).toList();
    }

    private Object extraEntry(String key) {
        return project.extra() instanceof Map<?, ?> extra ? extra.get(key) : null;
    }
}
