package io.tracegql.graphql.types;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("TraceConnection")
@Description("One page of traces.")
public record TraceConnection(
        @NonNull @Description("The traces of this page with their cursors.")
        List<@NonNull TraceEdge> edges,

        @NonNull @Description("The traces of this page.") List<@NonNull Trace> nodes,

        @NonNull @Description("Whether more traces follow.") PageInfo pageInfo) {

    @Type("TraceEdge")
    @Description("A trace and its cursor.")
    public record TraceEdge(
            @NonNull @Description("Opaque keyset cursor: pass it as `after` to continue after this trace.")
            String cursor,

            @NonNull @Description("The trace.") Trace node) {}
}
