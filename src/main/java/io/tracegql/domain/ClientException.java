package io.tracegql.domain;

/**
 * An error meant for the client: its message says what was wrong and what to do about it, in words fit
 * to show, and {@link #code()} is the code the client gets with it (GraphQL's {@code extensions.code}).
 * Every other exception is an internal error: the client sees a generic message with an error id,
 * and the log has the details under the same id.
 *
 * <p>In {@code domain}, which imports nothing else of the gateway's, so that every package can throw one.
 */
public abstract class ClientException extends RuntimeException {

    private final String code;

    protected ClientException(String code, String message) {
        this(code, message, null);
    }

    protected ClientException(String code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    /** The code the client gets, such as {@code BAD_USER_INPUT}. */
    public String code() {
        return code;
    }
}
