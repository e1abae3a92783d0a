package io.tracegql.graphql;

import java.util.ArrayList;
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

import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.types.PageInfo;
import io.tracegql.graphql.types.Project;
import io.tracegql.graphql.types.ProjectConnection;
import io.tracegql.security.Tenancy;
import io.tracegql.store.ProjectRecord;
import io.tracegql.store.ProjectStore;

/** Root queries over projects. */
@GraphQLApi
public class ProjectQueries {

    private final ProjectStore projects;
    private final ProjectLoader loader;
    private final Tenancy tenancy;
    private final Paging paging;
    private final Context context;

    public ProjectQueries(
            ProjectStore projects, ProjectLoader loader, Tenancy tenancy, Paging paging, Context context) {
        this.projects = projects;
        this.loader = loader;
        this.tenancy = tenancy;
        this.paging = paging;
        this.context = context;
    }

    @Query("project")
    @Description("A project by id or by name (give exactly one); null when there is no such project.")
    public Uni<Project> project(@Name("id") @Id String id, @Name("name") String name) {
        if ((id == null) == (name == null)) {
            throw new InvalidInputException("project: give either id or name, not both and not neither");
        }
        UUID tenantId = tenancy.currentTenantId();
        Selections.ProjectParts parts = Selections.projectParts(Selections.current(context), "");
        Uni<ProjectRecord> record = id != null
                ? projects.projectsByIds(tenantId, List.of(Ids.parse(id, "id"))).map(found -> found.get(0))
                : projects.projectByName(tenantId, name);
        return record.flatMap(found -> {
            List<ProjectRecord> one = new ArrayList<>();
            one.add(found);
            return loader.load(tenantId, one, parts).map(loaded -> loaded.get(0));
        });
    }

    @Query("projects")
    @Description("A page of projects, newest first. Walk pages with `after: pageInfo.endCursor`.")
    public Uni<@NonNull ProjectConnection> projects(
            @Name("first") @Description("Page size: 1 to the configured maximum (default 200).") Integer first,
            @Name("after") @Description("Cursor after which the page starts.") String after,
            @Name("nameContains") @Description("Only projects whose name contains this text (any case).")
                    String nameContains) {
        int pageSize = paging.pageSize(first);
        if (after != null) {
            try {
                ProjectStore.ProjectCursor.decode(after);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("after: '" + after + "' is not valid: " + e.getMessage()
                        + "; use a pageInfo.endCursor from a previous page");
            }
        }
        UUID tenantId = tenancy.currentTenantId();
        Selections.ProjectParts parts = Selections.projectParts(Selections.current(context), "edges/node/", "nodes/");
        return projects.page(tenantId, nameContains, pageSize, after)
                .flatMap(page -> loader.load(tenantId, page.projects(), parts).map(loaded -> {
                    List<ProjectConnection.ProjectEdge> edges = loaded.stream()
                            .map(p -> new ProjectConnection.ProjectEdge(
                                    ProjectStore.ProjectCursor.after(p.record()).encode(), p))
                            .toList();
                    PageInfo pageInfo = PageInfo.of(
                            edges.stream()
                                    .map(ProjectConnection.ProjectEdge::cursor)
                                    .toList(),
                            page.hasNextPage());
                    return new ProjectConnection(edges, loaded, pageInfo);
                }));
    }
}
