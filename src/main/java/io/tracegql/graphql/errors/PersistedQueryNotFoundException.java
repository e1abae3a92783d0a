package io.tracegql.graphql.errors;

import io.tracegql.domain.ClientException;

/**
 * A request named a persisted query by its hash that the gateway does not know (any more): the client
 * sends it again with its text. The message and code are the ones Apollo clients look for.
 */
public class PersistedQueryNotFoundException extends ClientException {

    public PersistedQueryNotFoundException() {
        super("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");
    }
}
