package io.tracegql.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.jboss.logging.Logger;

import io.tracegql.config.TracegqlConfig;

/**
 * Applies every project's retention now and then (tracegql.retention.interval), one project after
 * another, each in bounded batches (see {@link TraceDeletes}). A round that fails is logged and the
 * next round tries again; rounds never overlap.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    private static final long FIRST_ROUND_DELAY_MS = 30_000;

    private final TraceDeletes deletes;
    private final Vertx vertx;
    private final long intervalMs;
    private final Rounds rounds;

    public RetentionJob(TraceDeletes deletes, Vertx vertx, TracegqlConfig config) {
        this.deletes = deletes;
        this.vertx = vertx;
        this.intervalMs = config.retention().interval().toMillis();
        this.rounds = new Rounds(LOG, "applying retention", this::applyAll);
    }

    void start(@Observes StartupEvent event) {
        rounds.start(vertx, Math.min(FIRST_ROUND_DELAY_MS, intervalMs), intervalMs);
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** Applies the retention of every project that has one; completes when all are done. */
    public Uni<Void> applyAll() {
        return deletes.retentions()
                .onItem()
                .transformToMulti(projects -> Multi.createFrom().iterable(projects))
                .onItem()
                .transformToUniAndConcatenate(project -> deletes.applyRetention(project.tenantId(), project.retention())
                        .invoke(deleted -> {
                            if (deleted.traces() > 0) {
                                LOG.infof(
                                        "retention of project %s: deleted %d traces (%d runs) in %d ms",
                                        project.retention().projectId(),
                                        deleted.traces(),
                                        deleted.runs(),
                                        deleted.took().toMillis());
                            }
                        }))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
