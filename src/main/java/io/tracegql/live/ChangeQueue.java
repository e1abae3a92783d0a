package io.tracegql.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import io.tracegql.domain.RunChange;

/**
 * The changes one subscription has not sent yet. The feed offers changes without waiting (never
 * blocking the listening connection); the subscription takes them in batches when its client is ready
 * for more. Bounded: when more than {@code capacity} changes are waiting, the queue is dropped and the
 * next take fails with {@link SubscriberTooSlowException}, so one slow client costs at most its buffer.
 * A coalescing queue keeps only the latest change, for streams that only need to know that
 * something changed.
 */
public final class ChangeQueue implements Consumer<RunChange> {

    private final int capacity;
    private final boolean coalescing;
    private final ArrayDeque<RunChange> waiting = new ArrayDeque<>();
    private UniEmitter<? super List<RunChange>> taker;
    private int takerMax;
    private boolean overflowed;

    private ChangeQueue(int capacity, boolean coalescing) {
        this.capacity = capacity;
        this.coalescing = coalescing;
    }

    /** Keeps every change, up to capacity. */
    public static ChangeQueue bounded(int capacity) {
        return new ChangeQueue(capacity, false);
    }

    /** Keeps only the latest change. */
    public static ChangeQueue coalescing() {
        return new ChangeQueue(1, true);
    }

    /** Queues a change; never blocks. */
    @Override
    public void accept(RunChange change) {
        UniEmitter<? super List<RunChange>> ready;
        List<RunChange> batch = null;
        synchronized (this) {
            if (overflowed) {
                return;
            }
            if (coalescing) {
                waiting.clear();
            } else if (waiting.size() >= capacity) {
                overflowed = true;
                waiting.clear();
            }
            if (!overflowed) {
                waiting.add(change);
            }
            ready = taker;
            taker = null;
            if (ready != null && !overflowed) {
                batch = drain(takerMax);
            }
        }
        complete(ready, batch);
    }

    /**
     * The changes waiting (at most max, oldest first) as soon as there is at least one; fails with
     * {@link SubscriberTooSlowException} once the queue overflowed.
     */
    public Uni<List<RunChange>> take(int max) {
        return Uni.createFrom().emitter(emitter -> {
            List<RunChange> batch = null;
            synchronized (this) {
                if (!overflowed && waiting.isEmpty()) {
                    taker = emitter;
                    takerMax = max;
                    emitter.onTermination(() -> forget(emitter));
                    return;
                }
                if (!overflowed) {
                    batch = drain(max);
                }
            }
            complete(emitter, batch);
        });
    }

    /** Whether more changes came than the queue could keep (the next take fails). */
    public synchronized boolean overflowed() {
        return overflowed;
    }

    /** Drops the changes waiting: what comes next covers them. */
    public synchronized void clear() {
        waiting.clear();
    }

    private synchronized void forget(UniEmitter<? super List<RunChange>> emitter) {
        if (taker == emitter) {
            taker = null;
        }
    }

    private List<RunChange> drain(int max) {
        List<RunChange> batch = new ArrayList<>(Math.min(max, waiting.size()));
        while (batch.size() < max && !waiting.isEmpty()) {
            batch.add(waiting.poll());
        }
        return batch;
    }

    /** Completes outside the lock: what runs next (a query) must not hold up the feed. */
    private void complete(UniEmitter<? super List<RunChange>> emitter, List<RunChange> batch) {
        if (emitter == null) {
            return;
        }
        if (batch == null) {
            emitter.fail(new SubscriberTooSlowException(capacity));
        } else {
            emitter.complete(batch);
        }
    }
}
