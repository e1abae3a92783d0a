package io.tracegql.graphql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.graphql.api.Context;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.RunChange;
import io.tracegql.domain.RunFilter;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.types.Project;
import io.tracegql.graphql.types.Run;
import io.tracegql.live.ChangeQueue;
import io.tracegql.live.RunChangeFeed;
import io.tracegql.live.SubscriberConnections;
import io.tracegql.live.SubscriptionMetrics;
import io.tracegql.security.SubscriptionCallers;
import io.tracegql.store.ProjectStore;
import io.tracegql.store.RunRecord;
import io.tracegql.store.RunSelection;
import io.tracegql.store.RunStore;

/**
 * Live updates over GraphQL subscriptions (graphql-transport-ws or graphql-ws on /graphql). Every
 * gateway instance hears every committed change from the database ({@link RunChangeFeed}); each
 * subscription keeps the changes of its own tenant that it asked for in a bounded queue and reads the
 * current data for a whole batch of them with one statement, so a burst of 100 runs costs one query
 * per subscriber, not 100.
 */
@GraphQLApi
public class RunSubscriptions {

    /** How often a subscription whose client stopped reading looks again. */
    private static final Duration WRITABLE_POLL = Duration.ofMillis(20);

    /** How every subscription ends when it cannot go on. */
    private static final String ENDING = " An event carries errors only when the subscription ends:"
            + " UNAUTHENTICATED, or SUBSCRIBER_TOO_SLOW when more than tracegql.subscriptions.buffer-size changes"
            + " were waiting for the client (its data then repeats the previous event). A subscription over"
            + " the caps of tracegql.subscriptions.max-per-connection or max-per-key is refused with"
            + " TOO_MANY_SUBSCRIPTIONS.";

    private final RunChangeFeed feed;
    private final RunStore runs;
    private final ProjectStore projects;
    private final ProjectLoader projectLoader;
    private final SubscriptionCallers callers;
    private final Context context;
    private final TracegqlConfig.Subscriptions settings;
    private final SubscriberConnections connections;
    private final SubscriptionMetrics metrics;

    public RunSubscriptions(
            RunChangeFeed feed,
            RunStore runs,
            ProjectStore projects,
            ProjectLoader projectLoader,
            SubscriptionCallers callers,
            Context context,
            TracegqlConfig config,
            SubscriberConnections connections,
            SubscriptionMetrics metrics) {
        this.feed = feed;
        this.metrics = metrics;
        this.runs = runs;
        this.projects = projects;
        this.projectLoader = projectLoader;
        this.callers = callers;
        this.context = context;
        this.settings = config.subscriptions();
        this.connections = connections;
    }

    @Subscription("runCreated")
    @Description("Each new run of a project that matches the filter, as it is written. The filter is checked"
            + " against the run as stored when the event is sent." + ENDING)
    public Multi<Run> runCreated(
            @Name("projectId") @NonNull @Id String projectId, @Name("filter") RunFilterInput filter) {
        UUID project = Ids.parse(projectId, "projectId");
        RunFilter runFilter = RunFilters.toDomain(filter);
        RunSelection selection = Selections.runSelection(Selections.current(context), "");
        return metrics.measured(
                "runCreated",
                subscribe(
                        change -> change.kind() == RunChange.Kind.CREATED
                                && change.projectId().equals(project),
                        (tenantId, batch) -> Selections.reportingPaths(
                                runs.runsByIds(tenantId, runIds(batch), runFilter, selection))));
    }

    @Subscription("runUpdated")
    @Description("Every change to a run of a trace: a new run, a later post or patch (end time, outputs, error),"
            + " feedback. Emits the run as it is now; changes to one run that wait together are sent once." + ENDING)
    public Multi<Run> runUpdated(@Name("traceId") @NonNull @Id String traceId) {
        UUID trace = Ids.parse(traceId, "traceId");
        RunSelection selection = Selections.runSelection(Selections.current(context), "");
        return metrics.measured(
                "runUpdated",
                subscribe(
                        change -> change.traceId().equals(trace),
                        (tenantId, batch) ->
                                Selections.reportingPaths(runs.runsByIds(tenantId, runIds(batch), selection))));
    }

    @Subscription("traceUpdated")
    @Description("The root run of a trace whenever something in the trace changed, at most once per"
            + " tracegql.subscriptions.interval (1 s by default): select the tree you show (childRuns...) and"
            + " each event brings it up to date." + ENDING)
    public Multi<Run> traceUpdated(@Name("traceId") @NonNull @Id String traceId) {
        UUID trace = Ids.parse(traceId, "traceId");
        RunSelection selection = Selections.runSelection(Selections.current(context), "");
        return metrics.measured(
                "traceUpdated",
                throttled(change -> change.traceId().equals(trace), tenantId -> Selections.reportingPaths(
                                runs.runsByIds(tenantId, List.of(trace), selection))
                        .map(found -> found.get(0) == null ? null : new Run(found.get(0)))));
    }

    @Subscription("projectStatsChanged")
    @Description("The project with its aggregates whenever its runs or their feedback changed, at most once per"
            + " tracegql.subscriptions.interval (1 s by default)." + ENDING)
    public Multi<Project> projectStatsChanged(@Name("projectId") @NonNull @Id String projectId) {
        UUID project = Ids.parse(projectId, "projectId");
        Selections.ProjectParts parts = Selections.projectParts(Selections.current(context), "");
        return metrics.measured(
                "projectStatsChanged",
                throttled(change -> change.projectId().equals(project), tenantId -> projects.projectsByIds(
                                tenantId, List.of(project))
                        .flatMap(found -> projectLoader.load(tenantId, found, parts))
                        .map(loaded -> loaded.get(0))));
    }

    /** Reads the runs of a batch of changes, in the order of the changes (null where none). */
    private interface BatchReader {
        Uni<List<RunRecord>> read(UUID tenantId, List<RunChange> batch);
    }

    /**
     * A run for each change this subscription is interested in, in commit order; a batch of waiting
     * changes is read with one statement.
     */
    private Multi<Run> subscribe(Predicate<RunChange> interest, BatchReader reader) {
        return forCaller(subscriber -> {
            ChangeQueue queue = ChangeQueue.bounded(settings.bufferSize());
            return listening(subscriber, interest, queue, () -> queue.take(settings.batchSize())
                            .flatMap(batch -> reader.read(subscriber.tenantId(), batch)))
                    .onItem()
                    .transformToIterable(found -> found.stream()
                            .filter(Objects::nonNull)
                            .map(Run::new)
                            .toList());
        });
    }

    /**
     * The current state read by {@code read} whenever something the subscription is interested in
     * changed, at most once per interval: changes that arrive while it waits are covered by the next
     * read, not queued.
     */
    private <T> Multi<T> throttled(Predicate<RunChange> interest, Function<UUID, Uni<T>> read) {
        long interval = settings.interval().toNanos();
        return forCaller(subscriber -> {
            ChangeQueue queue = ChangeQueue.coalescing();
            long[] nextAllowed = {System.nanoTime()};
            return listening(subscriber, interest, queue, () -> queue.take(1)
                            .flatMap(ignored -> {
                                long wait = nextAllowed[0] - System.nanoTime();
                                Uni<Void> now = Uni.createFrom().voidItem();
                                return wait > 0 ? now.onItem().delayIt().by(Duration.ofNanos(wait)) : now;
                            })
                            .invoke(queue::clear)
                            .flatMap(ignored -> read.apply(subscriber.tenantId()))
                            .invoke(() -> nextAllowed[0] = System.nanoTime() + interval))
                    .select()
                    .where(Objects::nonNull);
        });
    }

    /** Whose subscription it is, and whether its client's connection takes more right now. */
    private record Subscriber(UUID tenantId, BooleanSupplier writable) {}

    /**
     * Listens to the feed while the subscription lasts, queueing the tenant's changes the
     * subscription is interested in, and emits what {@code next} makes of them each time the client
     * is ready for more: asked for more and reading what was sent. While the client does not read,
     * changes wait in the bounded queue, which ends the subscription when it overflows.
     */
    private <T> Multi<T> listening(
            Subscriber subscriber, Predicate<RunChange> interest, ChangeQueue queue, Supplier<Uni<T>> next) {
        UUID tenantId = subscriber.tenantId();
        return Multi.createFrom().deferred(() -> {
            Runnable stop = feed.listen(change -> {
                if (change.tenantId().equals(tenantId) && interest.test(change)) {
                    queue.accept(change);
                }
            });
            return Multi.createBy()
                    .repeating()
                    .<T>uni(() -> whenReading(subscriber.writable(), queue).flatMap(ignored -> next.get()))
                    .indefinitely()
                    .onTermination()
                    .invoke(stop);
        });
    }

    /** Completes once the connection takes more, or at once when the queue overflowed (to end it). */
    private static Uni<Void> whenReading(BooleanSupplier writable, ChangeQueue queue) {
        if (writable.getAsBoolean() || queue.overflowed()) {
            return Uni.createFrom().voidItem();
        }
        // A repeated Uni must have an item: null items are dropped, and the condition is never asked.
        Uni<Boolean> pause =
                Uni.createFrom().item(Boolean.TRUE).onItem().delayIt().by(WRITABLE_POLL);
        return Multi.createBy()
                .repeating()
                .uni(() -> pause)
                .whilst(ignored -> !writable.getAsBoolean() && !queue.overflowed())
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * The stream of the subscription's tenant, emitted on a context of its own that carries the
     * caller, where the nested fields of each event are resolved.
     */
    private <T> Multi<T> forCaller(Function<Subscriber, Multi<T>> stream) {
        GraphQLContext connection =
                context.unwrap(DataFetchingEnvironment.class).getGraphQlContext();
        BooleanSupplier writable = connections.writable(connection);
        // Refused here, over a cap, before anything starts; given back however the subscription ends.
        Runnable release = connections.openSubscription(connection, callers.keyIdOf(connection));
        return callers.callerOf(connection)
                .onItem()
                .transformToMulti(caller -> stream.apply(new Subscriber(caller.tenantId(), writable))
                        .emitOn(callers.contextOf(caller)))
                .onTermination()
                .invoke(release);
    }

    private static List<UUID> runIds(List<RunChange> batch) {
        // One event per run per batch, in the order of its latest change.
        LinkedHashSet<UUID> ids = new LinkedHashSet<>();
        for (RunChange change : batch) {
            ids.remove(change.runId());
            ids.add(change.runId());
        }
        return new ArrayList<>(ids);
    }
}
