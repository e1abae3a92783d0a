package io.tracegql.store;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * The rounds of a background job: a round starts unless the last one is still running, and a round
 * that fails is logged and left to the next one, which tries again.
 */
final class Rounds {

    private final Logger log;
    private final String work;
    private final Supplier<Uni<?>> round;
    private volatile boolean running;

    /** {@code work} names what a round does, for the log: "applying retention". */
    Rounds(Logger log, String work, Supplier<Uni<?>> round) {
        this.log = log;
        this.work = work;
        this.round = round;
    }

    /** Starts a round unless one is running. */
    void run() {
        if (running) {
            return;
        }
        running = true;
        round.get().subscribe().with(ignored -> running = false, failure -> {
            running = false;
            log.warnf("%s failed (%s); the next round tries again", work, failure.getMessage());
        });
    }
}
