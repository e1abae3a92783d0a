package io.tracegql.graphql;

import java.util.List;
import java.util.UUID;

import io.smallrye.graphql.api.Context;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.CreateProjectInput;
import io.tracegql.graphql.inputs.UpdateProjectInput;
import io.tracegql.graphql.types.Project;
import io.tracegql.security.Tenancy;
import io.tracegql.store.ProjectStore;
import io.tracegql.store.ProjectWrites;
import io.tracegql.store.RejectedWriteException;

/**
 * Mutations of projects. A written project is read back like a queried one, so that any field of it,
 * aggregates included, can be selected in the same request.
 */
@GraphQLApi
public class ProjectMutations {

    private final ProjectWrites writes;
    private final ProjectStore projects;
    private final ProjectLoader loader;
    private final Tenancy tenancy;
    private final Context context;

    public ProjectMutations(
            ProjectWrites writes, ProjectStore projects, ProjectLoader loader, Tenancy tenancy, Context context) {
        this.writes = writes;
        this.projects = projects;
        this.loader = loader;
        this.tenancy = tenancy;
        this.context = context;
    }

    @Mutation("createProject")
    @Description("Creates a project starting now. Its name must be unique.")
    public Uni<@NonNull Project> createProject(@Name("input") @NonNull CreateProjectInput input) {
        ProjectWrites.NewProject project = new ProjectWrites.NewProject(
                requireName(input.name),
                input.description,
                JsonInput.object(input.metadata, "input.metadata"),
                input.tags,
                Ids.parse(input.referenceDatasetId, "input.referenceDatasetId"));
        UUID tenantId = tenancy.currentTenantId();
        Selections.ProjectParts parts = Selections.projectParts(Selections.current(context), "");
        return writes.create(tenantId, project)
                .onFailure(RejectedWriteException.class)
                .transform(rejected -> new InvalidInputException(rejected.getMessage()))
                .flatMap(id -> read(tenantId, id, parts));
    }

    @Mutation("updateProject")
    @Description("Changes the fields given of a project; null when there is no such project.")
    public Uni<Project> updateProject(
            @Name("id") @NonNull @Id String id, @Name("input") @NonNull UpdateProjectInput input) {
        UUID projectId = Ids.parse(id, "id");
        ProjectWrites.ProjectChanges changes = new ProjectWrites.ProjectChanges(
                input.name == null ? null : requireName(input.name),
                input.description,
                JsonInput.object(input.metadata, "input.metadata"));
        UUID tenantId = tenancy.currentTenantId();
        Selections.ProjectParts parts = Selections.projectParts(Selections.current(context), "");
        return writes.update(tenantId, projectId, changes)
                .onFailure(RejectedWriteException.class)
                .transform(rejected -> new InvalidInputException(rejected.getMessage()))
                .flatMap(found -> found
                        ? read(tenantId, projectId, parts)
                        : Uni.createFrom().nullItem());
    }

    @Mutation("deleteProject")
    @Description("Deletes a project with its runs and all their feedback; false when there is no such project.")
    public Uni<@NonNull Boolean> deleteProject(@Name("id") @NonNull @Id String id) {
        return writes.delete(tenancy.currentTenantId(), Ids.parse(id, "id"));
    }

    private Uni<Project> read(UUID tenantId, UUID id, Selections.ProjectParts parts) {
        return projects.projectsByIds(tenantId, List.of(id))
                .flatMap(found -> loader.load(tenantId, found, parts))
                .map(loaded -> loaded.get(0));
    }

    private static String requireName(String name) {
        if (name.isBlank()) {
            throw new InvalidInputException("input.name must not be blank");
        }
        return name;
    }
}
