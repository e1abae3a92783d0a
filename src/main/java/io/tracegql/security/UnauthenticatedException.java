package io.tracegql.security;

import io.tracegql.domain.ClientException;

/** The request has no valid API key for what it asks; GraphQL reports it with code UNAUTHENTICATED. */
public class UnauthenticatedException extends ClientException {

    public UnauthenticatedException(String message) {
        super("UNAUTHENTICATED", message);
    }
}
