package io.tracegql.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads UUIDs from client input, which callers turn into their own error when it is not one, and
 * derives the run ids of ids that are not UUIDs.
 */
public final class Uuids {

    private static final int CANONICAL_LENGTH = 36;

    /** Keeps span-derived ids apart from any other name-based UUID of the same bytes. */
    private static final byte[] SPAN_NAMESPACE = "opentelemetry-span:".getBytes(StandardCharsets.US_ASCII);

    private Uuids() {}

    /**
     * The run id of an OpenTelemetry span: a name-based UUID of its trace id and span id, so that a span
     * sent again, or named as the parent of another, always maps to the same run. Span ids are unique
     * only within their trace, hence both.
     */
    public static UUID ofSpan(byte[] traceId, byte[] spanId) {
        ByteBuffer name = ByteBuffer.allocate(SPAN_NAMESPACE.length + traceId.length + spanId.length);
        name.put(SPAN_NAMESPACE).put(traceId).put(spanId);
        return UUID.nameUUIDFromBytes(name.array());
    }

    /**
     * The UUID in canonical form (8-4-4-4-12 hex digits), or null when the text is not one.
     * UUID.fromString alone also accepts shortened forms such as "1-2-3-4-5".
     */
    public static UUID parseOrNull(String text) {
        if (text == null || text.length() != CANONICAL_LENGTH) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
