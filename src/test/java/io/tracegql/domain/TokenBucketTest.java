package io.tracegql.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bucket on a clock the test sets: nanoseconds given to each call. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAdmitABurstThenTellHowLongTheNextTokenTakes() {
        TokenBucket bucket = new TokenBucket(2, 5, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, bucket.take(1, 0));
        }
        assertEquals(SECOND / 2, bucket.take(1, 0));
        assertEquals(SECOND / 4, bucket.take(1, SECOND / 4));
        assertEquals(0, bucket.take(1, SECOND / 2));
        assertEquals(SECOND / 2, bucket.take(1, SECOND / 2));
    }

    @Test
    void shouldRefillToTheBurstAndNoMore() {
        TokenBucket bucket = new TokenBucket(1, 3, 0);
        assertEquals(0, bucket.take(3, 0));
        assertFalse(bucket.isFull(2 * SECOND));
        assertTrue(bucket.isFull(3 * SECOND));
        // A long quiet spell still leaves only a burst.
        assertEquals(0, bucket.take(3, 100 * SECOND));
        assertEquals(SECOND, bucket.take(1, 100 * SECOND));
    }

    @Test
    void shouldAdmitACostAboveTheBurstWhenFullAndLeaveTheBucketInDebt() {
        TokenBucket bucket = new TokenBucket(1000, 4000, 0);
        assertEquals(0, bucket.take(10_000, 0));
        // 10,000 taken from 4,000: the bucket is 6,000 short, and a cost of 1 needs one more.
        assertEquals(6 * SECOND + SECOND / 1000, bucket.take(1, 0));
        assertEquals(0, bucket.take(1, 7 * SECOND));
    }

    @Test
    void shouldChargeWhatWasAlreadyReceivedWhateverTheBucketHolds() {
        TokenBucket bucket = new TokenBucket(1000, 4000, 0);
        bucket.charge(5000, 0);
        bucket.charge(5000, 0);
        assertEquals(6 * SECOND + SECOND / 1000, bucket.take(1, 0));
    }

    @Test
    void shouldReserveTokensThatComeWithinTheWaitInTheOrderAsked() {
        TokenBucket bucket = new TokenBucket(2, 1, 0);
        assertEquals(0, bucket.take(1, 0, SECOND));
        assertEquals(SECOND / 2, bucket.take(1, 0, SECOND));
        // The first token to come is reserved: the next caller waits for the one after it.
        assertEquals(SECOND, bucket.take(1, 0, SECOND));
        // Past the wait nothing is taken: the next token is still the one after those reserved.
        assertEquals(3 * SECOND / 2, bucket.take(1, 0, SECOND));
        assertEquals(3 * SECOND / 2, bucket.take(1, 0, 0));
        assertEquals(0, bucket.take(1, 3 * SECOND / 2, 0));
    }

    @Test
    void shouldRefuseASettingThatCannotAdmitAnything() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, 0));
    }
}
