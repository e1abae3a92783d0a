package io.tracegql.graphql.types;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("ThreadConnection")
@Description("One page of threads.")
public record ThreadConnection(
        @NonNull @Description("The threads of this page with their cursors.")
        List<@NonNull ThreadEdge> edges,

        @NonNull @Description("The threads of this page.") List<@NonNull ConversationThread> nodes,

        @NonNull @Description("Whether more threads follow.")
        PageInfo pageInfo) {

    @Type("ThreadEdge")
    @Description("A thread and its cursor.")
    public record ThreadEdge(
            @NonNull @Description("Opaque keyset cursor: pass it as `after` to continue after this thread.")
            String cursor,

            @NonNull @Description("The thread.") ConversationThread node) {}
}
