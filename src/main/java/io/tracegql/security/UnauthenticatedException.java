package io.tracegql.security;

import io.smallrye.graphql.api.ErrorCode;

/** The request has no valid API key for what it asks; GraphQL reports it with code UNAUTHENTICATED. */
@ErrorCode("UNAUTHENTICATED")
public class UnauthenticatedException extends RuntimeException {

    public UnauthenticatedException(String message) {
        super(message, null, false, false);
    }
}
