package io.tracegql.live;

import io.tracegql.domain.ClientException;

/**
 * A WebSocket connection of a key that already has tracegql.subscriptions.max-connections-per-key
 * open on this instance (code TOO_MANY_CONNECTIONS): refused at the handshake, or closed with 4429.
 */
public class TooManyConnectionsException extends ClientException {

    TooManyConnectionsException(int max) {
        // Also the close reason of such a connection: short, a close reason holds at most 123 bytes.
        super(
                "TOO_MANY_CONNECTIONS",
                "too many WebSocket connections with this API key: " + max
                        + " are open (tracegql.subscriptions.max-connections-per-key)");
    }
}
