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
import org.eclipse.microprofile.graphql.Query;

import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.types.Run;
import io.tracegql.security.ShareLinks;
import io.tracegql.security.Tenancy;
import io.tracegql.store.RunSelection;
import io.tracegql.store.RunStore;

/**
 * Public share links: a tenant shares a run's trace, and anyone with the link reads that trace and
 * nothing else (the runs' nested fields need a key, so a shared view cannot navigate further).
 */
@GraphQLApi
public class ShareQueries {

    /** The one query field that answers without an API key. */
    public static final String SHARED_RUN = "sharedRun";

    private final ShareLinks shares;
    private final RunStore runs;
    private final Tenancy tenancy;
    private final Context context;

    public ShareQueries(ShareLinks shares, RunStore runs, Tenancy tenancy, Context context) {
        this.shares = shares;
        this.runs = runs;
        this.tenancy = tenancy;
        this.context = context;
    }

    @Mutation("shareRun")
    @Description("Shares the trace of a run through a public link (the same link while it stays shared);"
            + " returns the link, or null when there is no such run.")
    public Uni<String> shareRun(@Name("runId") @NonNull @Id String runId) {
        requireSharing();
        UUID tenantId = tenancy.currentTenantId();
        return traceOf(tenantId, runId)
                .flatMap(traceId -> traceId == null ? Uni.createFrom().nullItem() : shares.share(tenantId, traceId));
    }

    @Mutation("unshareRun")
    @Description("Revokes the public link of a run's trace; false when it was not shared.")
    public Uni<@NonNull Boolean> unshareRun(@Name("runId") @NonNull @Id String runId) {
        UUID tenantId = tenancy.currentTenantId();
        return traceOf(tenantId, runId)
                .flatMap(traceId -> traceId == null ? Uni.createFrom().item(false) : shares.unshare(tenantId, traceId));
    }

    @Query(SHARED_RUN)
    @Description("The runs of a shared trace in execution order, for anyone with the link's token (no API"
            + " key needed); null when the link does not exist or was revoked.")
    public Uni<List<@NonNull Run>> sharedRun(@Name("token") @NonNull String token) {
        RunSelection selection = Selections.runSelection(Selections.current(context), "");
        return shares.resolve(token)
                .flatMap(shared -> shared.isEmpty()
                        ? Uni.createFrom().nullItem()
                        : Selections.reportingPaths(runs.traceRuns(
                                        shared.get().tenantId(), shared.get().traceId(), selection))
                                .map(found -> found.stream().map(Run::new).toList()));
    }

    private Uni<UUID> traceOf(UUID tenantId, String runId) {
        return runs.traceIdOf(tenantId, Ids.parse(runId, "runId"));
    }

    private void requireSharing() {
        if (!shares.enabled()) {
            throw new InvalidInputException("sharing is disabled on this server: set TRACEGQL_SHARE_SECRET");
        }
    }
}
