package io.tracegql.graphql;

import java.util.List;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.graphql.api.Context;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Source;

import io.tracegql.domain.RunField;
import io.tracegql.graphql.types.Run;
import io.tracegql.graphql.types.Trace;
import io.tracegql.security.Tenancy;
import io.tracegql.store.RunSelection;
import io.tracegql.store.RunStore;
import io.tracegql.store.TraceStore;

/**
 * Run.trace and Trace.runs, each batched: one statement answers every run (or trace) of a level of
 * the response. Registered for reflection because a class with only {@code @Source} methods is not
 * registered by the extension.
 */
@GraphQLApi
@RegisterForReflection(fields = false)
public class TraceResolvers {

    private final TraceStore traces;
    private final RunStore runs;
    private final Tenancy tenancy;
    private final Context context;

    public TraceResolvers(TraceStore traces, RunStore runs, Tenancy tenancy, Context context) {
        this.traces = traces;
        this.runs = runs;
        this.tenancy = tenancy;
        this.context = context;
    }

    /** Batched: the traces of every run on this level in one statement, totals included when selected. */
    @Description("The trace this run belongs to: its root run and the totals of the whole tree.")
    public Uni<List<Trace>> trace(@Source List<Run> sources) {
        Selections.TraceParts parts = Selections.batchedTraceParts(context);
        List<UUID> traceIds = sources.stream()
                .map(run -> run.record().<UUID>get(RunField.TRACE_ID))
                .toList();
        return Selections.reportingPaths(
                        traces.tracesByIds(tenancy.currentTenantId(), traceIds, parts.root(), parts.totals()))
                .map(found ->
                        found.stream().map(t -> t == null ? null : new Trace(t)).toList());
    }

    /** Batched: the runs of every trace on this level in one statement. */
    @NonNull
    @Description("All runs of the trace in execution order (by dottedOrder), as Query.trace lists them.")
    public Uni<List<@NonNull List<@NonNull Run>>> runs(@Source List<Trace> sources) {
        RunSelection selection = Selections.batchedRunSelection(context);
        List<UUID> traceIds = sources.stream().map(Trace::getTraceId).toList();
        return Selections.reportingPaths(runs.runsByTraceIds(tenancy.currentTenantId(), traceIds, selection))
                .map(groups -> groups.stream()
                        .map(group -> group.stream().map(Run::new).toList())
                        .toList());
    }
}
