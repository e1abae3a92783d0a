package io.tracegql.store;

import io.tracegql.domain.ClientException;

/**
 * The database did not answer in time or could not be reached. REST answers 503 (which tracing
 * clients retry); GraphQL reports code UNAVAILABLE. Nothing of the request was committed.
 */
public class DatabaseUnavailableException extends ClientException {

    public static final String CODE = "UNAVAILABLE";

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(CODE, message, cause);
    }
}
