package io.tracegql.store;

/**
 * A write refused because of the data it meets, for a reason the client can fix: a name already taken,
 * a run that does not exist. The message says which, in words fit to show to the client.
 */
public class RejectedWriteException extends RuntimeException {

    public RejectedWriteException(String message) {
        super(message, null, false, false);
    }
}
