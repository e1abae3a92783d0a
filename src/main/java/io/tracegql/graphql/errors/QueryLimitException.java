package io.tracegql.graphql.errors;

import io.smallrye.graphql.api.ErrorCode;

/** A query over one of the configured limits; the message names the limit and the value. */
@ErrorCode("QUERY_LIMIT_EXCEEDED")
public class QueryLimitException extends RuntimeException {

    public QueryLimitException(String message) {
        super(message, null, false, false);
    }
}
