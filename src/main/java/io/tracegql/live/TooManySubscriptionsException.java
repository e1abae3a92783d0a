package io.tracegql.live;

import io.tracegql.domain.ClientException;

/**
 * A subscription over one of the caps of tracegql.subscriptions: refused (code
 * TOO_MANY_SUBSCRIPTIONS) before it starts; the others go on.
 */
public class TooManySubscriptionsException extends ClientException {

    private TooManySubscriptionsException(String message) {
        super("TOO_MANY_SUBSCRIPTIONS", message);
    }

    static TooManySubscriptionsException perConnection(int max) {
        return new TooManySubscriptionsException("this connection already has " + max
                + " subscriptions open, the most one connection may have (tracegql.subscriptions.max-per-connection);"
                + " complete one first or open another connection");
    }

    static TooManySubscriptionsException perKey(int max) {
        return new TooManySubscriptionsException("this API key already has " + max
                + " subscriptions open on this gateway instance, the most one key may have"
                + " (tracegql.subscriptions.max-per-key); complete one first");
    }
}
