package io.tracegql.domain;

import java.util.UUID;

/** Reads UUIDs from client input, which callers turn into their own error when it is not one. */
public final class Uuids {

    private static final int CANONICAL_LENGTH = 36;

    private Uuids() {}

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
