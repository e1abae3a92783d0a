package io.tracegql.security;

import io.tracegql.domain.ClientException;

/** The request has no valid API key for what it asks; GraphQL reports it with code UNAUTHENTICATED. */
public class UnauthenticatedException extends ClientException {

    public static final String CODE = "UNAUTHENTICATED";

    /** What a request without a key is told, wherever it is refused. */
    public static final String KEY_REQUIRED =
            "an API key is required: send it in the x-api-key header or as Authorization: Bearer <key>";

    /** What a request with a key that is unknown or revoked is told. */
    public static final String KEY_NOT_VALID = "the API key is not valid (unknown or revoked)";

    public UnauthenticatedException(String message) {
        super(CODE, message);
    }
}
