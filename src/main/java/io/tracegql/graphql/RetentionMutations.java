package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Source;

import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.DeleteTracesInput;
import io.tracegql.graphql.types.Project;
import io.tracegql.graphql.types.ProjectRetention;
import io.tracegql.graphql.types.TraceDeletion;
import io.tracegql.security.Tenancy;
import io.tracegql.store.TraceDeletes;

/** Deleting traces, now or by a project's retention. */
@GraphQLApi
public class RetentionMutations {

    /** The most trace ids one deleteTraces may name. */
    static final int MAX_TRACE_IDS = 1000;

    private final TraceDeletes deletes;
    private final Tenancy tenancy;

    public RetentionMutations(TraceDeletes deletes, Tenancy tenancy) {
        this.deletes = deletes;
        this.tenancy = tenancy;
    }

    @Mutation("deleteTraces")
    @Description("Deletes whole traces of a project — every run, with their feedback, attachments and share links —"
            + " named by traceIds (at most " + MAX_TRACE_IDS + ") or chosen by a filter on their root runs."
            + " Deleted in batches that each commit on their own.")
    public Uni<@NonNull TraceDeletion> deleteTraces(@Name("input") @NonNull DeleteTracesInput input) {
        UUID project = Ids.parse(input.projectId, "input.projectId");
        boolean byFilter = input.filter != null || input.filterExpression != null;
        if ((input.traceIds == null) == !byFilter) {
            throw new InvalidInputException("give either traceIds or a filter (filter or filterExpression) of the"
                    + " traces to delete; `filter: {}` deletes every trace of the project");
        }
        UUID tenant = tenancy.currentTenantId();
        Uni<TraceDeletes.Deleted> deleted;
        if (input.traceIds != null) {
            if (input.traceIds.size() > MAX_TRACE_IDS) {
                throw new InvalidInputException("traceIds may name at most " + MAX_TRACE_IDS + " traces, not "
                        + input.traceIds.size() + "; use a filter for more");
            }
            List<UUID> ids = new ArrayList<>(input.traceIds.size());
            for (String id : input.traceIds) {
                ids.add(Ids.parse(id, "input.traceIds"));
            }
            deleted = deletes.deleteTraces(tenant, project, ids);
        } else {
            deleted =
                    deletes.deleteMatching(tenant, project, RunFilters.toDomain(input.filter, input.filterExpression));
        }
        return deleted.map(d -> new TraceDeletion(
                (int) d.traces(), (int) d.runs(), (int) d.took().toMillis()));
    }

    @Mutation("setProjectRetention")
    @Description("Sets how long a project keeps its traces (null parts keep them); null when there is no such"
            + " project. Traces it no longer keeps go within tracegql.retention.interval.")
    public Uni<ProjectRetention> setProjectRetention(
            @Name("projectId") @NonNull @Id String projectId,
            @Name("maxAgeDays") Integer maxAgeDays,
            @Name("maxTraces") Integer maxTraces) {
        UUID project = Ids.parse(projectId, "projectId");
        positive(maxAgeDays, "maxAgeDays");
        positive(maxTraces, "maxTraces");
        return deletes.setRetention(
                        tenancy.currentTenantId(), new TraceDeletes.Retention(project, maxAgeDays, maxTraces))
                .map(found -> found ? new ProjectRetention(maxAgeDays, maxTraces) : null);
    }

    /** Batched: one statement for a page of projects. */
    @Name("retention")
    @Description("How long the project keeps its traces (see setProjectRetention).")
    public Uni<List<@NonNull ProjectRetention>> retention(@Source List<Project> projects) {
        List<UUID> ids = projects.stream().map(p -> p.record().id()).toList();
        return deletes.retentionsByProjectIds(tenancy.currentTenantId(), ids).map(found -> found.stream()
                .map(r -> r == null
                        ? new ProjectRetention(null, null)
                        : new ProjectRetention(r.maxAgeDays(), r.maxTraces()))
                .toList());
    }

    private static void positive(Integer value, String name) {
        if (value != null && value <= 0) {
            throw new InvalidInputException(name + " must be at least 1, or null to keep every trace");
        }
    }
}
