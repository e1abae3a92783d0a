package io.tracegql.store;

import io.tracegql.domain.ClientException;

/**
 * The database did not answer in time or could not be reached. REST answers 503 (which tracing
 * clients retry); GraphQL reports code UNAVAILABLE. Nothing of the request was committed.
 */
public class DatabaseUnavailableException extends ClientException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super("UNAVAILABLE", message, cause);
    }
}
