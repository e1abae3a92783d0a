package io.tracegql.graphql.errors;

import io.tracegql.domain.ClientException;

/** A query over one of the configured limits; the message names the limit and the value. */
public class QueryLimitException extends ClientException {

    public QueryLimitException(String message) {
        super("QUERY_LIMIT_EXCEEDED", message);
    }
}
