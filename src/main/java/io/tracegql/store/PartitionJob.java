package io.tracegql.store;

import java.time.Duration;
import java.util.Optional;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.jboss.logging.Logger;

import io.tracegql.config.TracegqlConfig;

/**
 * Keeps the weekly partitions of runs (tracegql.partitions.*): at start and every interval, creates
 * the partitions of the coming weeks so that their runs never land in runs_default, and, when a max
 * age is set, drops the partitions of older weeks. A round that fails is logged and the next one
 * tries again; rounds never overlap here, and gateway instances running rounds at once are safe (a
 * partition that exists is not created again, one that is gone is not dropped again).
 */
@ApplicationScoped
public class PartitionJob {

    private static final Logger LOG = Logger.getLogger(PartitionJob.class);

    private final RunPartitions partitions;
    private final Vertx vertx;
    private final long intervalMs;
    private final int weeksAhead;
    private final Optional<Duration> maxAge;
    private final Rounds rounds;

    public PartitionJob(RunPartitions partitions, Vertx vertx, TracegqlConfig config) {
        this.partitions = partitions;
        this.vertx = vertx;
        this.intervalMs = config.partitions().interval().toMillis();
        this.weeksAhead = config.partitions().weeksAhead();
        this.maxAge = config.partitions().maxAge();
        this.rounds = new Rounds(LOG, "maintaining run partitions", this::maintain);
    }

    void start(@Observes StartupEvent event) {
        rounds.start(vertx, 0, intervalMs);
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** Creates the partitions ahead, then drops those past the max age, if one is set. */
    public Uni<Void> maintain() {
        Uni<Void> created = partitions
                .createAhead(weeksAhead)
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("created %d run partitions ahead", count);
                    }
                })
                .replaceWithVoid();
        if (maxAge.isEmpty()) {
            return created;
        }
        return created.flatMap(ignored -> partitions.dropOlderThan(maxAge.get()))
                .invoke(dropped -> {
                    if (!dropped.isEmpty()) {
                        LOG.infof("dropped the run partitions of the weeks %s (older than %s)", dropped, maxAge.get());
                    }
                })
                .replaceWithVoid();
    }
}
