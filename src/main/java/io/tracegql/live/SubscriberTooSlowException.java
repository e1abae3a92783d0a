package io.tracegql.live;

import io.smallrye.graphql.api.ErrorCode;

/**
 * Ends a subscription whose client did not keep up: more changes were waiting for it than
 * {@code tracegql.subscriptions.buffer-size}. The client gets this as the last event (code
 * SUBSCRIBER_TOO_SLOW), then the subscription completes; it resubscribes and refetches what it shows.
 */
@ErrorCode("SUBSCRIBER_TOO_SLOW")
public class SubscriberTooSlowException extends RuntimeException {

    public SubscriberTooSlowException(int bufferSize) {
        super(
                "the subscription fell more than " + bufferSize
                        + " changes behind and was ended; subscribe again and refetch the current state",
                null,
                false,
                false);
    }
}
