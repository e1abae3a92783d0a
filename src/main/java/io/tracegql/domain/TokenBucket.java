package io.tracegql.domain;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket that refills at {@code rate} tokens a second and holds at most {@code burst}, kept
 * as one number: the time at which it will be full again (the generic cell rate algorithm). Taking
 * tokens is one compare-and-set, with no lock and no timer; a bucket that is full is the same as a
 * new one, so whoever keeps buckets may drop those that are {@link #isFull full} at no cost.
 *
 * <p>A request may cost more than the bucket holds (an ingest body larger than the burst): it is
 * admitted once the bucket holds a whole burst, and leaves it in debt, so that the rate holds on
 * average whatever the sizes of the requests.
 */
public final class TokenBucket {

    private final double nanosPerToken;
    private final long burst;
    /** The time (System.nanoTime) at which the bucket is full again; earlier than now when it is full. */
    private final AtomicLong fullAt;

    /** A full bucket. */
    public TokenBucket(double rate, long burst, long now) {
        if (!(rate > 0) || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate above 0 and a burst of at least 1");
        }
        this.nanosPerToken = 1e9 / rate;
        this.burst = burst;
        this.fullAt = new AtomicLong(now);
    }

    /**
     * Takes {@code cost} tokens if the bucket holds them (or a whole burst, for a cost above it) at
     * time {@code now}: returns 0 when taken, else the nanoseconds after which they will be there.
     */
    public long take(long cost, long now) {
        return take(cost, now, 0);
    }

    /**
     * Takes {@code cost} tokens if the bucket holds them by {@code now + maxWait}, reserving them so
     * that whoever waits for them is not overtaken by a later caller: returns the nanoseconds until
     * they are there (0 when they are now). A return above {@code maxWait} means nothing was taken.
     */
    public long take(long cost, long now, long maxWait) {
        long needed = Math.min(Math.max(cost, 0), burst);
        long window = (long) (burst * nanosPerToken);
        long price = (long) Math.ceil(Math.max(cost, 0) * nanosPerToken);
        while (true) {
            long current = fullAt.get();
            long from = Math.max(current, now);
            // What is missing now, in nanoseconds of refill; it must leave room for what is needed.
            long wait = from - now - (window - (long) (needed * nanosPerToken));
            if (wait > Math.max(maxWait, 0)) {
                return wait;
            }
            if (fullAt.compareAndSet(current, from + price)) {
                return Math.max(wait, 0);
            }
        }
    }

    /** Takes {@code cost} tokens whatever the bucket holds (for what was already received), in debt if need be. */
    public void charge(long cost, long now) {
        long price = (long) Math.ceil(Math.max(cost, 0) * nanosPerToken);
        fullAt.accumulateAndGet(now, (current, at) -> Math.max(current, at) + price);
    }

    /** Whether the bucket is full at time {@code now}: as if it had never been used. */
    public boolean isFull(long now) {
        return fullAt.get() - now <= 0;
    }
}
