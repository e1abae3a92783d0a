package io.tracegql.graphql.types;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("ProjectConnection")
@Description("One page of projects.")
public record ProjectConnection(
        @NonNull @Description("The projects of this page with their cursors.")
        List<@NonNull ProjectEdge> edges,

        @NonNull @Description("The projects of this page.") List<@NonNull Project> nodes,

        @NonNull @Description("Whether more projects follow.")
        PageInfo pageInfo) {

    @Type("ProjectEdge")
    @Description("A project and its cursor.")
    public record ProjectEdge(
            @NonNull @Description("Opaque keyset cursor: pass it as `after` to continue after this project.")
            String cursor,

            @NonNull @Description("The project.") Project node) {}
}
