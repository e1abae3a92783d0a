package io.tracegql.graphql;

import java.util.List;
import java.util.UUID;

import io.smallrye.graphql.api.Context;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.tracegql.domain.RunFilter;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.inputs.TraceOrderInput;
import io.tracegql.graphql.inputs.TraceTotalsFilterInput;
import io.tracegql.graphql.types.PageInfo;
import io.tracegql.graphql.types.Trace;
import io.tracegql.graphql.types.TraceConnection;
import io.tracegql.security.Tenancy;
import io.tracegql.store.TraceCursor;
import io.tracegql.store.TraceQuery;
import io.tracegql.store.TraceStore;

/** Root queries over traces as a whole: their root runs with the totals of their trees. */
@GraphQLApi
public class TraceQueries {

    private final TraceStore traces;
    private final Tenancy tenancy;
    private final Paging paging;
    private final Context context;

    public TraceQueries(TraceStore traces, Tenancy tenancy, Paging paging, Context context) {
        this.traces = traces;
        this.tenancy = tenancy;
        this.paging = paging;
        this.context = context;
    }

    @Query("traces")
    @Description("A page of a project's traces, the newest root run first unless orderBy says otherwise. Walk pages"
            + " with `after: pageInfo.endCursor`.")
    public Uni<@NonNull TraceConnection> traces(
            @Name("projectId") @NonNull @Id String projectId,
            @Name("filter") @Description("Conditions on each trace's root run.") RunFilterInput filter,
            @Name("filterExpression")
                    @Description("Conditions on each trace's root run in LangSmith's filter language, e.g."
                            + " has(tags, \"prod\"); combined with `filter` (both must match).")
                    String filterExpression,
            @Name("totals") @Description("Conditions on the totals of each whole trace.") TraceTotalsFilterInput totals,
            @Name("orderBy") TraceOrderInput orderBy,
            @Name("first") @Description("Page size: 1 to the configured maximum (default 200).") Integer first,
            @Name("after") @Description("Cursor after which the page starts (an endCursor or edge cursor).")
                    String after) {
        UUID project = Ids.parse(projectId, "projectId");
        RunFilter roots = RunFilters.toDomain(filter, filterExpression);
        TraceOrderInput order = orderBy == null ? new TraceOrderInput() : orderBy;
        TraceQuery query = new TraceQuery(project, roots, TraceFilters.toDomain(totals), order.field, order.direction);
        int pageSize = paging.pageSize(first);
        TraceCursor cursor = Paging.traceCursor(after, order.field, order.direction);
        Selections.TraceParts parts = Selections.traceParts(Selections.current(context), "edges/node/", "nodes/");
        return Selections.reportingPaths(
                        traces.page(tenancy.currentTenantId(), query, pageSize, cursor, parts.root(), parts.totals()))
                .map(page -> {
                    List<TraceConnection.TraceEdge> edges = page.traces().stream()
                            .map(trace -> new TraceConnection.TraceEdge(
                                    TraceCursor.after(trace, order.field, order.direction)
                                            .encode(),
                                    new Trace(trace)))
                            .toList();
                    PageInfo pageInfo = PageInfo.of(
                            edges.stream()
                                    .map(TraceConnection.TraceEdge::cursor)
                                    .toList(),
                            page.hasNextPage());
                    return new TraceConnection(
                            edges,
                            edges.stream().map(TraceConnection.TraceEdge::node).toList(),
                            pageInfo);
                });
    }
}
