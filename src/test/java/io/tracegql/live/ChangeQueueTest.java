package io.tracegql.live;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import org.junit.jupiter.api.Test;

import io.tracegql.domain.RunChange;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChangeQueueTest {

    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID PROJECT = UUID.randomUUID();

    private static RunChange change(int n) {
        UUID run = new UUID(0, n);
        return new RunChange(RunChange.Kind.CREATED, TENANT, PROJECT, run, run);
    }

    @Test
    void shouldHandOutWaitingChangesOldestFirstInBatches() {
        ChangeQueue queue = ChangeQueue.bounded(10);
        queue.accept(change(1));
        queue.accept(change(2));
        queue.accept(change(3));
        assertEquals(List.of(change(1), change(2)), queue.take(2).await().atMost(Duration.ofSeconds(1)));
        assertEquals(List.of(change(3)), queue.take(2).await().atMost(Duration.ofSeconds(1)));
    }

    @Test
    void shouldCompleteAWaitingTakeWithTheNextChange() {
        ChangeQueue queue = ChangeQueue.bounded(10);
        UniAssertSubscriber<List<RunChange>> taker =
                queue.take(5).subscribe().withSubscriber(UniAssertSubscriber.create());
        taker.assertNotTerminated();
        queue.accept(change(7));
        taker.assertItem(List.of(change(7)));
    }

    @Test
    void shouldEndASubscriberThatFellMoreThanItsBufferBehind() {
        ChangeQueue queue = ChangeQueue.bounded(2);
        queue.accept(change(1));
        queue.accept(change(2));
        queue.accept(change(3));
        queue.take(10)
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .assertFailedWith(
                        SubscriberTooSlowException.class,
                        "the subscription fell more than 2 changes behind and was ended; subscribe again and refetch"
                                + " the current state");
    }

    @Test
    void shouldKeepOnlyTheLatestChangeWhenCoalescing() {
        ChangeQueue queue = ChangeQueue.coalescing();
        for (int n = 1; n <= 1000; n++) {
            queue.accept(change(n));
        }
        assertEquals(List.of(change(1000)), queue.take(10).await().atMost(Duration.ofSeconds(1)));
    }
}
