package io.tracegql.graphql.types;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Type;

@Type("PageInfo")
@Description("Where a page sits in its list (Relay connection spec).")
public record PageInfo(
        @Description("Whether more items follow this page; pass endCursor as `after` to get them.")
        boolean hasNextPage,

        @Description("Always false: pages are only walked forwards.")
        boolean hasPreviousPage,

        @Description("Cursor of the first item on this page.")
        String startCursor,

        @Description("Cursor of the last item on this page.")
        String endCursor) {

    /** The page info of a forward page whose items have these cursors, in order. */
    @Ignore
    public static PageInfo of(List<String> cursors, boolean hasNextPage) {
        return new PageInfo(
                hasNextPage,
                false,
                cursors.isEmpty() ? null : cursors.get(0),
                cursors.isEmpty() ? null : cursors.get(cursors.size() - 1));
    }
}
