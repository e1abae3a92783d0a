package io.tracegql.graphql.types;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("RunConnection")
@Description("One page of runs.")
public record RunConnection(
        @NonNull @Description("The runs of this page with their cursors.")
        List<@NonNull RunEdge> edges,

        @NonNull @Description("The runs of this page.") List<@NonNull Run> nodes,
        @NonNull @Description("Whether more runs follow.") PageInfo pageInfo) {

    @Type("RunEdge")
    @Description("A run and its cursor.")
    public record RunEdge(
            @NonNull @Description("Opaque keyset cursor: pass it as `after` to continue after this run.")
            String cursor,

            @NonNull @Description("The run.") Run node) {}
}
