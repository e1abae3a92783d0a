package io.tracegql.ingest;

/**
 * A request the gateway refuses as a whole: nothing of it is written. Carries the HTTP status, the
 * part of the request (for example {@code post.<run id>} or {@code post[2]}) and the field at fault, so
 * a client can find what to fix.
 */
public class IngestException extends RuntimeException {

    private final int status;
    private final String part;
    private final String field;

    public IngestException(int status, String part, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.part = part;
        this.field = field;
    }

    public static IngestException invalid(String part, String field, String message) {
        return new IngestException(422, part, field, message);
    }

    public static IngestException malformed(String part, String message) {
        return new IngestException(400, part, null, message);
    }

    public int status() {
        return status;
    }

    public String part() {
        return part;
    }

    public String field() {
        return field;
    }
}
