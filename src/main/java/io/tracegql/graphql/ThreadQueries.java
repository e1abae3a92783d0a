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
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.types.ConversationThread;
import io.tracegql.graphql.types.PageInfo;
import io.tracegql.graphql.types.ThreadConnection;
import io.tracegql.security.Tenancy;
import io.tracegql.store.ThreadStore;
import io.tracegql.store.ThreadStore.ThreadCursor;

/** Root queries over threads (conversations). */
@GraphQLApi
public class ThreadQueries {

    private final ThreadStore threads;
    private final Tenancy tenancy;
    private final Paging paging;
    private final Context context;

    public ThreadQueries(ThreadStore threads, Tenancy tenancy, Paging paging, Context context) {
        this.threads = threads;
        this.tenancy = tenancy;
        this.paging = paging;
        this.context = context;
    }

    @Query("thread")
    @Description("A thread of a project by its id; null when no trace of the project has that thread id.")
    public Uni<ConversationThread> thread(
            @Name("projectId") @NonNull @Id String projectId, @Name("threadId") @NonNull String threadId) {
        UUID project = Ids.parse(projectId, "projectId");
        boolean totals = Selections.threadTotals(Selections.current(context), "");
        return threads.threadsByIds(tenancy.currentTenantId(), project, List.of(threadId), totals)
                .map(found -> found.get(0) == null ? null : new ConversationThread(found.get(0)));
    }

    @Query("threads")
    @Description("A page of a project's threads, the one with the latest turn first; with a filter, those with a"
            + " turn that matches. Walk pages with `after: pageInfo.endCursor`.")
    public Uni<@NonNull ThreadConnection> threads(
            @Name("projectId") @NonNull @Id String projectId,
            @Name("filter")
                    @Description("Only threads with a turn (root run) that matches; their figures still cover every"
                            + " turn.")
                    RunFilterInput filter,
            @Name("filterExpression")
                    @Description("The same in LangSmith's filter language, e.g. eq(status, \"error\"); combined with"
                            + " `filter` (one turn must match both).")
                    String filterExpression,
            @Name("first") @Description("Page size: 1 to the configured maximum (default 200).") Integer first,
            @Name("after") @Description("Cursor after which the page starts.") String after) {
        UUID project = Ids.parse(projectId, "projectId");
        RunFilter turns = RunFilters.toDomain(filter, filterExpression);
        int pageSize = paging.pageSize(first);
        ThreadCursor cursor = null;
        if (after != null) {
            try {
                cursor = ThreadCursor.decode(after);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("after: '" + after + "' is not valid: " + e.getMessage()
                        + "; use a pageInfo.endCursor from a previous page");
            }
        }
        boolean totals = Selections.threadTotals(Selections.current(context), "edges/node/", "nodes/");
        return threads.page(tenancy.currentTenantId(), project, turns, pageSize, cursor, totals)
                .map(page -> {
                    List<ThreadConnection.ThreadEdge> edges = page.threads().stream()
                            .map(thread -> new ThreadConnection.ThreadEdge(
                                    ThreadCursor.after(thread).encode(), new ConversationThread(thread)))
                            .toList();
                    PageInfo pageInfo = PageInfo.of(
                            edges.stream()
                                    .map(ThreadConnection.ThreadEdge::cursor)
                                    .toList(),
                            page.hasNextPage());
                    return new ThreadConnection(
                            edges,
                            edges.stream()
                                    .map(ThreadConnection.ThreadEdge::node)
                                    .toList(),
                            pageInfo);
                });
    }
}
