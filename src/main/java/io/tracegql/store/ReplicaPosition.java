package io.tracegql.store;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is known of the replica's progress, from samples of the primary's WAL position and the
 * replica's replay position taken one after the other, and the decision that follows for a read.
 *
 * <p>Read-your-writes: a reader that wrote is marked with the number of the next primary sample,
 * which starts after its write committed and so finds the WAL at or past its commit. Its reads go to
 * the primary until the replica has replayed up to that sample's position. This needs no statement
 * per write, and it is exact up to one poll: at most a poll interval plus the replay time of the
 * primary is used longer than needed.
 *
 * <p>Times are given by the caller (nanoseconds of a monotonic clock), so that the rules can be
 * checked without waiting.
 */
final class ReplicaPosition {

    /** What the replica does for reads now. */
    enum State {
        /** No replica is configured. */
        OFF,
        /** It serves reads. */
        UP,
        /** Unreachable, not in recovery, or not polled yet: every read goes to the primary. */
        DOWN,
        /** Further behind than the bound: every read goes to the primary until it catches up. */
        LAGGING
    }

    /** Samples kept while the replica has not replayed them; past this, the oldest go first. */
    private static final int MAX_SAMPLES = 100_000;

    private record Sample(long number, long lsn, long nanos) {}

    private final long maxLagNanos;
    private final ArrayDeque<Sample> unreplayed = new ArrayDeque<>();
    private final Map<String, Long> writers = new ConcurrentHashMap<>();
    private long started;
    private long replayedUpTo;
    private long primaryLsn = -1;
    private long replayLsn = -1;
    private boolean reachable;

    ReplicaPosition(long maxLagNanos) {
        this.maxLagNanos = maxLagNanos;
    }

    /** A sample of the primary starts; its number is given back with its result. */
    synchronized long sampleStarted() {
        return ++started;
    }

    synchronized void primaryAt(long sample, long lsn, long nanos) {
        primaryLsn = Math.max(primaryLsn, lsn);
        if (reachable && lsn <= replayLsn) {
            replayedUpTo = Math.max(replayedUpTo, sample);
            return;
        }
        if (unreplayed.size() == MAX_SAMPLES) {
            unreplayed.removeFirst();
        }
        unreplayed.addLast(new Sample(sample, lsn, nanos));
    }

    /** The replica answered, in recovery, having replayed the WAL up to {@code lsn}. */
    synchronized void replicaAt(long lsn) {
        reachable = true;
        replayLsn = lsn;
        while (!unreplayed.isEmpty() && unreplayed.peekFirst().lsn() <= lsn) {
            replayedUpTo = Math.max(replayedUpTo, unreplayed.removeFirst().number());
        }
        writers.values().removeIf(mark -> mark <= replayedUpTo);
    }

    /** The replica did not answer, or is no longer a replica. */
    synchronized void replicaDown() {
        reachable = false;
    }

    /** A write of this reader committed just now. */
    void wrote(String reader) {
        long next;
        synchronized (this) {
            next = started + 1;
        }
        writers.merge(reader, next, Math::max);
    }

    /** Whether a read of this reader (null: of no one in particular) may be served by the replica. */
    synchronized boolean serves(String reader, long nanos) {
        if (state(nanos) != State.UP) {
            return false;
        }
        Long mark = reader == null ? null : writers.get(reader);
        return mark == null || mark <= replayedUpTo;
    }

    synchronized State state(long nanos) {
        if (!reachable) {
            return State.DOWN;
        }
        return lagNanos(nanos) > maxLagNanos ? State.LAGGING : State.UP;
    }

    /** How long ago the primary was at a position that the replica has not replayed yet; 0 if none. */
    synchronized long lagNanos(long nanos) {
        Sample oldest = unreplayed.peekFirst();
        return oldest == null ? 0 : Math.max(0, nanos - oldest.nanos());
    }

    /** Bytes of WAL that the primary had written at its last sample and the replica has not replayed. */
    synchronized long lagBytes() {
        return primaryLsn < 0 || replayLsn < 0 ? 0 : Math.max(0, primaryLsn - replayLsn);
    }

    /** Readers whose writes the replica has not replayed yet (for tests and health). */
    synchronized int writersWaiting() {
        int count = 0;
        for (Iterator<Long> it = writers.values().iterator(); it.hasNext(); ) {
            if (it.next() > replayedUpTo) {
                count++;
            }
        }
        return count;
    }
}
