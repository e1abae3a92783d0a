package io.tracegql.store;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.jboss.logging.Logger;

/**
 * The rounds of a background job: a first round, then one every interval; a round starts unless the
 * last one is still running, and a round that fails is logged and left to the next one, which tries
 * again. Once stopped (the gateway shuts down), no round starts, and one that fails because the
 * connections closed under it is not worth a warning.
 */
final class Rounds {

    private final Logger log;
    private final String work;
    private final Supplier<Uni<?>> round;
    private volatile boolean running;
    private volatile boolean stopped;
    private Vertx vertx;
    private long firstTimer = -1;
    private long periodicTimer = -1;

    /** {@code work} names what a round does, for the log: "applying retention". */
    Rounds(Logger log, String work, Supplier<Uni<?>> round) {
        this.log = log;
        this.work = work;
        this.round = round;
    }

    /** The first round after {@code firstDelayMs} (at once for 0), then one every {@code intervalMs}. */
    void start(Vertx vertx, long firstDelayMs, long intervalMs) {
        this.vertx = vertx;
        if (firstDelayMs == 0) {
            run();
        } else {
            firstTimer = vertx.setTimer(firstDelayMs, id -> run());
        }
        periodicTimer = vertx.setPeriodic(intervalMs, id -> run());
    }

    /** No round starts after this. */
    void stop() {
        stopped = true;
        if (vertx != null) {
            vertx.cancelTimer(firstTimer);
            vertx.cancelTimer(periodicTimer);
        }
    }

    /** Starts a round unless one is running. */
    void run() {
        if (running || stopped) {
            return;
        }
        running = true;
        round.get().subscribe().with(ignored -> running = false, failure -> {
            running = false;
            if (stopped) {
                log.debugf("%s stopped with the gateway (%s)", work, failure.getMessage());
            } else {
                log.warnf("%s failed (%s); the next round tries again", work, failure.getMessage());
            }
        });
    }
}
