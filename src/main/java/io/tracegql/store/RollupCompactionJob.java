package io.tracegql.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.jboss.logging.Logger;

import io.tracegql.config.TracegqlConfig;

/**
 * Compacts the runs' pending rollup changes now and then (tracegql.rollups.compact-interval), a
 * bounded batch per transaction until a batch comes back short, so that reads of the rollups touch
 * few pending rows. Rounds never overlap here, and the database lets one compaction run at a time
 * across gateway instances. A round that fails is logged and the next one tries again.
 */
@ApplicationScoped
public class RollupCompactionJob {

    private static final Logger LOG = Logger.getLogger(RollupCompactionJob.class);

    private final RunRollups rollups;
    private final Vertx vertx;
    private final long intervalMs;
    private final int batchSize;
    private final Rounds rounds;

    public RollupCompactionJob(RunRollups rollups, Vertx vertx, TracegqlConfig config) {
        this.rollups = rollups;
        this.vertx = vertx;
        this.intervalMs = config.rollups().compactInterval().toMillis();
        this.batchSize = config.rollups().compactBatchSize();
        this.rounds = new Rounds(LOG, "compacting run rollups", this::compactAll);
    }

    void start(@Observes StartupEvent event) {
        rounds.start(vertx, 0, intervalMs);
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** Compacts batches until one moves fewer changes than a full batch; how many it moved in all. */
    public Uni<Long> compactAll() {
        return compactFrom(0);
    }

    private Uni<Long> compactFrom(long movedBefore) {
        return rollups.compact(batchSize)
                .flatMap(moved -> moved < batchSize
                        ? Uni.createFrom().item(movedBefore + moved)
                        : compactFrom(movedBefore + moved));
    }
}
