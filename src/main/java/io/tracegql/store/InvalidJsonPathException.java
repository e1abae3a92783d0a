package io.tracegql.store;

/** A projection's path that PostgreSQL refused, with PostgreSQL's reason (about the path alone). */
public class InvalidJsonPathException extends RuntimeException {

    private final transient JsonProjection projection;
    private final String reason;

    public InvalidJsonPathException(JsonProjection projection, String reason) {
        super(projection.column() + " path '" + projection.path() + "': " + reason, null, false, false);
        this.projection = projection;
        this.reason = reason;
    }

    public JsonProjection projection() {
        return projection;
    }

    public String reason() {
        return reason;
    }
}
