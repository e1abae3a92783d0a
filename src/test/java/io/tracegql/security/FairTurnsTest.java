package io.tracegql.security;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The turns on the calling thread: which request runs when another gives its turn back. */
class FairTurnsTest {

    private final List<String> started = new ArrayList<>();

    private FairTurns.Turn enter(FairTurns turns, String keyId, String request) {
        FairTurns.Turn turn = turns.newTurn();
        assertTrue(turns.enter(turn, keyId, true, Runnable::run, () -> started.add(request)));
        return turn;
    }

    @Test
    void shouldServeAnotherKeyAfterOneTurnOfAKeyWithManyWaiting() {
        FairTurns turns = new FairTurns(1);
        FairTurns.Turn first = enter(turns, "flooding", "f1");
        FairTurns.Turn second = enter(turns, "flooding", "f2");
        FairTurns.Turn third = enter(turns, "flooding", "f3");
        FairTurns.Turn fourth = enter(turns, "flooding", "f4");
        FairTurns.Turn other = enter(turns, "measured", "m1");
        assertEquals(List.of("f1"), started);
        assertEquals(4, turns.waiting());

        first.leave();
        second.leave();
        // The measured key arrived after three of the flooding key's, and waited one turn of it.
        assertEquals(List.of("f1", "f2", "m1"), started);
        other.leave();
        third.leave();
        fourth.leave();
        assertEquals(List.of("f1", "f2", "m1", "f3", "f4"), started);
        assertEquals(0, turns.waiting());
    }

    @Test
    void shouldSkipARequestWhoseClientLeftBeforeItsTurn() {
        FairTurns turns = new FairTurns(1);
        FairTurns.Turn running = enter(turns, "a", "a1");
        FairTurns.Turn gone = enter(turns, "b", "b1");
        enter(turns, "c", "c1");
        gone.leave();
        assertEquals(1, turns.waiting());
        running.leave();
        assertEquals(List.of("a1", "c1"), started);
    }

    @Test
    void shouldGiveATurnBackOnceHoweverOftenItEnds() {
        FairTurns turns = new FairTurns(2);
        FairTurns.Turn first = enter(turns, "a", "a1");
        enter(turns, "a", "a2");
        enter(turns, "a", "a3");
        enter(turns, "a", "a4");
        first.leave();
        first.leave();
        // One turn freed, one more request started: a4 still waits for the second.
        assertEquals(List.of("a1", "a2", "a3"), started);
        assertEquals(1, turns.waiting());
    }

    @Test
    void shouldRefuseToQueueWhenTheRequestMayNotWaitButRunItWhenATurnIsFree() {
        FairTurns turns = new FairTurns(1);
        FairTurns.Turn first = turns.newTurn();
        assertTrue(turns.enter(first, "a", false, Runnable::run, () -> started.add("a1")));
        assertFalse(turns.enter(turns.newTurn(), "b", false, Runnable::run, () -> started.add("b1")));
        // A refused request never entered: its end gives nothing back.
        turns.newTurn().leave();
        first.leave();
        enter(turns, "b", "b2");
        assertEquals(List.of("a1", "b2"), started);
    }

    @Test
    void shouldLimitNothingWithALimitOf0() {
        assertFalse(new FairTurns(0).enabled());
        assertTrue(new FairTurns(1).enabled());
    }
}
