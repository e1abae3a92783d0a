package io.tracegql.graphql.errors;

import io.tracegql.domain.ClientException;

/**
 * A request the client can fix: the message says what was wrong and what is accepted. Shown to the
 * client as a GraphQL error with code {@code BAD_USER_INPUT}; every other exception is reported
 * without its details.
 */
public class InvalidInputException extends ClientException {

    public InvalidInputException(String message) {
        super("BAD_USER_INPUT", message);
    }
}
