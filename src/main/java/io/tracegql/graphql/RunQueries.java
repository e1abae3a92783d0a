package io.tracegql.graphql;

import java.util.List;
import java.util.UUID;

import graphql.schema.DataFetchingFieldSelectionSet;
import io.smallrye.graphql.api.Context;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.inputs.RunOrderInput;
import io.tracegql.graphql.types.PageInfo;
import io.tracegql.graphql.types.Run;
import io.tracegql.graphql.types.RunConnection;
import io.tracegql.security.Tenancy;
import io.tracegql.store.RunCursor;
import io.tracegql.store.RunSelection;
import io.tracegql.store.RunStore;

/** Root queries over runs and traces. */
@GraphQLApi
public class RunQueries {

    private final RunStore runs;
    private final Tenancy tenancy;
    private final Paging paging;
    private final Context context;

    public RunQueries(RunStore runs, Tenancy tenancy, Paging paging, Context context) {
        this.runs = runs;
        this.tenancy = tenancy;
        this.paging = paging;
        this.context = context;
    }

    @Query("run")
    @Description("A run by id; null when there is no such run.")
    public Uni<Run> run(@Name("id") @NonNull @Id String id) {
        UUID runId = Ids.parse(id, "id");
        RunSelection selection = Selections.runSelection(Selections.current(context), "");
        return Selections.reportingPaths(runs.runsByIds(tenancy.currentTenantId(), List.of(runId), selection))
                .map(found -> found.get(0) == null ? null : new Run(found.get(0)));
    }

    @Query("trace")
    @Description("All runs of a trace in execution order (by dottedOrder); empty when there is no such trace.")
    public Uni<List<@NonNull Run>> trace(@Name("traceId") @NonNull @Id String traceId) {
        UUID id = Ids.parse(traceId, "traceId");
        RunSelection selection = Selections.runSelection(Selections.current(context), "");
        return Selections.reportingPaths(runs.traceRuns(tenancy.currentTenantId(), id, selection))
                .map(found -> found.stream().map(Run::new).toList());
    }

    @Query("runs")
    @Description("A page of the runs that match a filter, newest first unless orderBy says otherwise."
            + " Walk pages with `after: pageInfo.endCursor`.")
    public Uni<@NonNull RunConnection> runs(
            @Name("filter") RunFilterInput filter,
            @Name("filterExpression")
                    @Description("A filter in LangSmith's filter language, e.g. and(eq(run_type, \"llm\"), gt(latency,"
                            + " \"5s\")); combined with `filter` (both must match).")
                    String filterExpression,
            @Name("orderBy") RunOrderInput orderBy,
            @Name("first") @Description("Page size: 1 to the configured maximum (default 200).") Integer first,
            @Name("after") @Description("Cursor after which the page starts (an endCursor or edge cursor).")
                    String after) {
        RunPageArguments arguments = RunPageArguments.of(paging, filter, filterExpression, orderBy, first, after);
        DataFetchingFieldSelectionSet selection = Selections.current(context);
        RunSelection read = Selections.runSelection(selection, "edges/node/", "nodes/");
        return Selections.reportingPaths(runs.page(
                        tenancy.currentTenantId(),
                        arguments.filter(),
                        arguments.sortField(),
                        arguments.direction(),
                        arguments.first(),
                        arguments.after(),
                        read))
                .map(page -> {
                    List<RunConnection.RunEdge> edges = page.runs().stream()
                            .map(run -> new RunConnection.RunEdge(
                                    RunCursor.after(run, arguments.sortField(), arguments.direction())
                                            .encode(),
                                    new Run(run)))
                            .toList();
                    PageInfo pageInfo = PageInfo.of(
                            edges.stream().map(RunConnection.RunEdge::cursor).toList(), page.hasNextPage());
                    return new RunConnection(
                            edges,
                            edges.stream().map(RunConnection.RunEdge::node).toList(),
                            pageInfo);
                });
    }
}
