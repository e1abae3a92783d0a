package io.tracegql.security;

import io.smallrye.graphql.api.ErrorCode;

/** The key is valid but may not do this (a tenant key calling an administrator mutation). */
@ErrorCode("FORBIDDEN")
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message, null, false, false);
    }
}
