package io.tracegql.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routing rules of the read replica, with the clock given: samples, lag, read-your-writes. */
class ReplicaPositionTest {

    private static final long SECOND = 1_000_000_000L;
    private final ReplicaPosition position = new ReplicaPosition(5 * SECOND);

    /** One poll: the primary's WAL position, then the replica's replay position. */
    private void poll(long primaryLsn, long replayLsn, long nanos) {
        long sample = position.sampleStarted();
        position.primaryAt(sample, primaryLsn, nanos);
        position.replicaAt(replayLsn);
    }

    @Test
    void shouldServeNothingBeforeTheReplicaAnswered() {
        assertEquals(ReplicaPosition.State.DOWN, position.state(0));
        assertFalse(position.serves("a", 0));
    }

    @Test
    void shouldServeAReaderThatWroteOnlyOnceTheReplicaReplayedPastTheNextPrimarySample() {
        poll(100, 100, 0);
        position.wrote("writer");
        assertFalse(position.serves("writer", 1), "no sample after the write yet");
        assertTrue(position.serves("other", 1));

        poll(180, 150, 2);
        assertFalse(position.serves("writer", 3), "the replica is behind the sample taken after the write");
        assertTrue(position.serves("other", 3));

        poll(180, 180, 4);
        assertTrue(position.serves("writer", 5));
        assertEquals(0, position.writersWaiting());
    }

    @Test
    void shouldNotTrustASampleThatWasUnderWayWhenTheWriteCommitted() {
        poll(100, 100, 0);
        long underWay = position.sampleStarted();
        position.wrote("writer");
        position.primaryAt(underWay, 100, 1);
        position.replicaAt(100);
        assertFalse(position.serves("writer", 2), "that sample may predate the commit");

        poll(140, 140, 3);
        assertTrue(position.serves("writer", 4));
    }

    @Test
    void shouldMeasureLagFromTheOldestPositionNotReplayedAndStopServingPastTheBound() {
        poll(100, 100, 0);
        poll(200, 100, SECOND);
        poll(300, 100, 2 * SECOND);
        assertEquals(5 * SECOND, position.lagNanos(6 * SECOND));
        assertEquals(200, position.lagBytes());
        assertEquals(ReplicaPosition.State.UP, position.state(6 * SECOND));
        assertEquals(ReplicaPosition.State.LAGGING, position.state(6 * SECOND + 1));
        assertFalse(position.serves(null, 6 * SECOND + 1));

        position.replicaAt(250);
        assertEquals(ReplicaPosition.State.UP, position.state(6 * SECOND + 1));
        assertEquals(6 * SECOND + 1 - 2 * SECOND, position.lagNanos(6 * SECOND + 1));
    }

    @Test
    void shouldServeNoOneWhileTheReplicaIsDownAndEveryoneCaughtUpOnceItIsBack() {
        poll(100, 100, 0);
        position.wrote("writer");
        position.replicaDown();
        assertEquals(ReplicaPosition.State.DOWN, position.state(1));
        assertFalse(position.serves("other", 1));

        poll(120, 120, 2);
        assertTrue(position.serves("other", 3));
        assertTrue(position.serves("writer", 3));
    }
}
