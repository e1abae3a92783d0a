package io.tracegql.security;

import io.tracegql.domain.ClientException;

/** The key is valid but may not do this (a tenant key calling an administrator mutation). */
public class ForbiddenException extends ClientException {

    public ForbiddenException(String message) {
        super("FORBIDDEN", message);
    }
}
