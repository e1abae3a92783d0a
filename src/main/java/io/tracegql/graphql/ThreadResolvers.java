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

import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;
import io.tracegql.graphql.types.ConversationThread;
import io.tracegql.graphql.types.FeedbackStats;
import io.tracegql.graphql.types.PageInfo;
import io.tracegql.graphql.types.Run;
import io.tracegql.graphql.types.RunConnection;
import io.tracegql.security.Tenancy;
import io.tracegql.store.FeedbackStore;
import io.tracegql.store.RunCursor;
import io.tracegql.store.RunRecord;
import io.tracegql.store.RunSelection;
import io.tracegql.store.RunStore;

/**
 * Nested fields of Thread, each batched: one statement answers every thread of a level of the response.
 * Registered for reflection because a class with only {@code @Source} methods is not registered by the
 * extension.
 */
@GraphQLApi
@RegisterForReflection(fields = false)
public class ThreadResolvers {

    private final RunStore runs;
    private final FeedbackStore feedback;
    private final Tenancy tenancy;
    private final Paging paging;
    private final Context context;

    public ThreadResolvers(RunStore runs, FeedbackStore feedback, Tenancy tenancy, Paging paging, Context context) {
        this.runs = runs;
        this.feedback = feedback;
        this.tenancy = tenancy;
        this.paging = paging;
        this.context = context;
    }

    /** Batched: the turns of every thread on this level in one statement. */
    @Description("The thread's traces (their root runs), newest first.")
    public Uni<List<@NonNull RunConnection>> traces(
            @Source List<ConversationThread> threads,
            @Name("first") @Description("Page size: 1 to the configured maximum (default 200).") Integer first,
            @Name("after") @Description("Cursor after which the page starts (an endCursor or edge cursor).")
                    String after) {
        int pageSize = paging.pageSize(first);
        RunCursor cursor = Paging.runCursor(after, RunSortField.START_TIME, SortDirection.DESC);
        RunSelection selection = Selections.batchedRunSelection(context, "edges/node/", "nodes/");
        UUID projectId = threads.get(0).record().projectId();
        List<String> ids = threads.stream().map(t -> t.record().threadId()).toList();
        return Selections.reportingPaths(
                        runs.turnsByThreads(tenancy.currentTenantId(), projectId, ids, pageSize + 1, cursor, selection))
                .map(groups -> {
                    List<RunConnection> connections = new ArrayList<>(groups.size());
                    for (List<RunRecord> turns : groups) {
                        connections.add(connection(turns, pageSize));
                    }
                    return connections;
                });
    }

    /** Batched: the feedback on the turns of every thread on this level in one statement. */
    @NonNull
    @Description("Feedback on the thread's traces (their root runs), aggregated per feedback key.")
    public Uni<List<@NonNull List<@NonNull FeedbackStats>>> feedbackStats(@Source List<ConversationThread> threads) {
        UUID projectId = threads.get(0).record().projectId();
        List<String> ids = threads.stream().map(t -> t.record().threadId()).toList();
        return feedback.turnFeedbackStatsByThreads(tenancy.currentTenantId(), projectId, ids)
                .map(groups -> groups.stream().map(FeedbackStats::of).toList());
    }

    private static RunConnection connection(List<RunRecord> turns, int pageSize) {
        boolean hasNext = turns.size() > pageSize;
        List<RunConnection.RunEdge> edges = (hasNext ? turns.subList(0, pageSize) : turns)
                .stream()
                        .map(run -> new RunConnection.RunEdge(
                                RunCursor.after(run, RunSortField.START_TIME, SortDirection.DESC)
                                        .encode(),
                                new Run(run)))
                        .toList();
        PageInfo pageInfo =
                PageInfo.of(edges.stream().map(RunConnection.RunEdge::cursor).toList(), hasNext);
        return new RunConnection(
                edges, edges.stream().map(RunConnection.RunEdge::node).toList(), pageInfo);
    }
}
