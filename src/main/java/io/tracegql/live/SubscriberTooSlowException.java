package io.tracegql.live;

import io.tracegql.domain.ClientException;

/**
 * Ends a subscription whose client did not keep up: more changes were waiting for it than
 * {@code tracegql.subscriptions.buffer-size}. The client gets this as the last event (code
 * SUBSCRIBER_TOO_SLOW), then the subscription completes; it resubscribes and refetches what it shows.
 */
public class SubscriberTooSlowException extends ClientException {

    public SubscriberTooSlowException(int bufferSize) {
        super(
                "SUBSCRIBER_TOO_SLOW",
                "the subscription fell more than " + bufferSize
                        + " changes behind and was ended; subscribe again and refetch the current state");
    }
}
