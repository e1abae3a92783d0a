package io.tracegql.security;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.tracegql.config.TracegqlConfig;

/**
 * Shares the gateway out between API keys (tracegql.quotas.max-concurrent-requests): at most that
 * many requests execute at once; more wait in a queue of their key, and the queues are served in
 * turn, one request each. A key with many requests in flight so delays another key's request by
 * about one turn, however many of its own are waiting, where one queue in order of arrival (the
 * database pool's) would put it behind all of them. Waiting requests have not read their body nor
 * touched the database: they cost a little memory each, and count against
 * tracegql.quotas.max-held-requests (with those held by {@link KeyQuotas}).
 *
 * <p>The queues are guarded by one lock, held only to move a request between them, never while a
 * request runs.
 */
@ApplicationScoped
public class FairTurns {

    private static final int NEW = 0;
    private static final int WAITING = 1;
    private static final int RUNNING = 2;
    private static final int LEFT = 3;

    private final int limit;
    private final Map<String, ArrayDeque<Waiting>> queues = new HashMap<>();
    /** Keys with requests waiting, in the order they are served. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();

    private int running;
    /** Requests in the queues whose client has not left. */
    private volatile int waiting;

    @Inject
    public FairTurns(
            TracegqlConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int poolSize) {
        this(config.quotas().maxConcurrentRequests().orElse(poolSize));
    }

    FairTurns(int limit) {
        this.limit = Math.max(0, limit);
    }

    /** Whether requests are limited at all. */
    public boolean enabled() {
        return limit > 0;
    }

    /**
     * Runs {@code start} with {@code executor} (the event loop of the request's connection) when the
     * request has its turn: at once if fewer than the limit execute and nobody waits, else when its
     * key's turn comes. Returns false, and runs
     * nothing, when the request would wait and {@code mayWait} is false. The turn is given back by
     * {@link Turn#leave}, which the request registers before it enters, to be called however it ends.
     */
    public boolean enter(Turn turn, String keyId, boolean mayWait, Executor executor, Runnable start) {
        synchronized (this) {
            if (running < limit && turns.isEmpty()) {
                running++;
                turn.state = RUNNING;
            } else if (!mayWait) {
                return false;
            } else {
                ArrayDeque<Waiting> queue = queues.computeIfAbsent(keyId, ignored -> new ArrayDeque<>());
                if (queue.isEmpty()) {
                    turns.addLast(keyId);
                }
                turn.state = WAITING;
                queue.addLast(new Waiting(executor, start, turn));
                waiting++;
                return true;
            }
        }
        start.run();
        return true;
    }

    /** A turn for a request, to be given back when it ends, before it {@link #enter enters}. */
    public Turn newTurn() {
        return new Turn();
    }

    /** Requests waiting for a turn now. */
    public int waiting() {
        return waiting;
    }

    private void leave(Turn turn) {
        Waiting next;
        synchronized (this) {
            int was = turn.state;
            turn.state = LEFT;
            if (was == WAITING) {
                // Gone before its turn came (the client closed): skipped when its turn comes.
                waiting--;
                return;
            }
            if (was != RUNNING) {
                return;
            }
            next = nextWaiting();
            if (next == null) {
                running--;
                return;
            }
            next.turn.state = RUNNING;
            waiting--;
        }
        // The freed turn passes to the next request, on the event loop of its own connection.
        next.executor.execute(next.start);
    }

    /** The next request to run, skipping those whose client left; null when none waits. */
    private Waiting nextWaiting() {
        while (!turns.isEmpty()) {
            String keyId = turns.pollFirst();
            ArrayDeque<Waiting> queue = queues.get(keyId);
            Waiting next = queue.pollFirst();
            if (queue.isEmpty()) {
                queues.remove(keyId);
            } else {
                turns.addLast(keyId);
            }
            if (next.turn.state == WAITING) {
                return next;
            }
        }
        return null;
    }

    private record Waiting(Executor executor, Runnable start, Turn turn) {}

    /** A request's turn: given back once, by whichever of the request's end handlers comes first. */
    public final class Turn {
        private final AtomicBoolean left = new AtomicBoolean();
        /** Guarded by the FairTurns lock. */
        private int state = NEW;

        public void leave() {
            if (left.compareAndSet(false, true)) {
                FairTurns.this.leave(this);
            }
        }
    }
}
