package io.tracegql.graphql;

import java.util.List;
import java.util.UUID;
import jakarta.json.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.graphql.api.Context;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Source;

import io.tracegql.domain.RunField;
import io.tracegql.graphql.types.Project;
import io.tracegql.graphql.types.Run;
import io.tracegql.security.ShareLinks;
import io.tracegql.security.Tenancy;
import io.tracegql.store.ProjectStore;
import io.tracegql.store.RunSelection;
import io.tracegql.store.RunStore;

/**
 * Nested fields of Run. Each that loads data takes the whole list of runs at one level of the response
 * and answers it with one statement, so a page of 50 runs costs as many statements as a page of 1. Registered for
 * reflection because a class with only {@code @Source} methods is not registered by the extension.
 */
@GraphQLApi
@RegisterForReflection(fields = false)
public class RunResolvers {

    private static final String PATH = "A PostgreSQL jsonpath, e.g. $.messages[last]: the first item it selects,"
            + " computed in the database, or null when it selects nothing (errors evaluating it on this run's JSON,"
            + " such as a missing key in strict mode, also give null). Leave it out for the whole payload.";

    private final RunStore runs;
    private final ProjectStore projects;
    private final ProjectLoader projectLoader;
    private final Tenancy tenancy;
    private final Context context;
    private final ShareLinks shareLinks;

    public RunResolvers(
            RunStore runs,
            ProjectStore projects,
            ProjectLoader projectLoader,
            Tenancy tenancy,
            Context context,
            ShareLinks shareLinks) {
        this.shareLinks = shareLinks;
        this.runs = runs;
        this.projects = projects;
        this.projectLoader = projectLoader;
        this.tenancy = tenancy;
        this.context = context;
    }

    /**
     * Not batched, as there is nothing to load: the statement that read the run selected the column,
     * or computed the projection of every path asked for (see {@code Selections.runSelection}).
     */
    @Description("The run input payload (arbitrary JSON object); with path, only the part the path selects.")
    public JsonValue inputs(@Source Run run, @Name("path") @Description(PATH) String path) {
        return run.json(RunField.INPUTS, path);
    }

    /** Not batched, as there is nothing to load (see inputs). */
    @Description(
            "The run output payload (arbitrary JSON object), if any; with path, only the part the path" + " selects.")
    public JsonValue outputs(@Source Run run, @Name("path") @Description(PATH) String path) {
        return run.json(RunField.OUTPUTS, path);
    }

    /** Not batched, as there is nothing to load (see inputs). */
    @Description("Additional runtime JSON attached to the run (metadata and runtime inside); with path, only the"
            + " part the path selects.")
    public JsonValue extra(@Source Run run, @Name("path") @Description(PATH) String path) {
        return run.json(RunField.EXTRA, path);
    }

    /** Not batched, as there is nothing to load (see inputs). */
    @Description("The ordered list of run events (for example start, end, streamed tokens); with path, only the"
            + " part the path selects.")
    public JsonValue events(@Source Run run, @Name("path") @Description(PATH) String path) {
        return run.json(RunField.EVENTS, path);
    }

    /** Batched: the children of every run on this level in one query, grouped by parent. */
    @Description("Child runs spawned by this run, in execution order.")
    public Uni<List<@NonNull List<@NonNull Run>>> childRuns(@Source List<Run> parents) {
        RunSelection selection = Selections.batchedRunSelection(context);
        return Selections.reportingPaths(runs.childRunsByParentIds(tenancy.currentTenantId(), ids(parents), selection))
                .map(groups -> groups.stream()
                        .map(children -> children.stream().map(Run::new).toList())
                        .toList());
    }

    /** Batched: child ids of every run on this level in one query (ids only, no run columns). */
    @Id
    @Description("IDs of the child runs spawned by this run, in execution order.")
    public Uni<List<@NonNull List<@NonNull UUID>>> childRunIds(@Source List<Run> parents) {
        return runs.childRunIdsByParentIds(tenancy.currentTenantId(), ids(parents));
    }

    /** Batched: the parents of every run on this level in one query. */
    @Description("The parent run; null for a trace root.")
    public Uni<List<Run>> parentRun(@Source List<Run> children) {
        RunSelection selection = Selections.batchedRunSelection(context);
        // Roots have no parent: their null id finds no run and stays null, in place.
        List<UUID> parentIds = children.stream()
                .map(run -> run.record().<UUID>get(RunField.PARENT_RUN_ID))
                .toList();
        return Selections.reportingPaths(runs.runsByIds(tenancy.currentTenantId(), parentIds, selection))
                .map(found ->
                        found.stream().map(r -> r == null ? null : new Run(r)).toList());
    }

    /** Batched: the projects of every run on this level in one query (plus one per selected aggregate). */
    @Description("The project this run was logged to.")
    public Uni<List<Project>> project(@Source List<Run> sources) {
        Selections.ProjectParts parts = Selections.batchedProjectParts(context);
        UUID tenantId = tenancy.currentTenantId();
        List<UUID> projectIds = sources.stream()
                .map(run -> run.record().<UUID>get(RunField.PROJECT_ID))
                .toList();
        return projects.projectsByIds(tenantId, projectIds)
                .flatMap(records -> projectLoader.load(tenantId, records, parts));
    }

    /** Batched: the share links of every run's trace on this level in one query. */
    @Description("The URL of this run's public view while its trace is shared (see shareRun); a secret: anyone"
            + " with it can read the trace.")
    public Uni<List<String>> shareUrl(@Source List<Run> sources) {
        List<UUID> traceIds = sources.stream()
                .map(run -> run.record().<UUID>get(RunField.TRACE_ID))
                .toList();
        return shareLinks.urlsByTraceIds(tenancy.currentTenantId(), traceIds);
    }

    private static List<UUID> ids(List<Run> sources) {
        return sources.stream().map(run -> run.record().id()).toList();
    }
}
