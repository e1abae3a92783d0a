package io.tracegql.domain;

import java.util.List;
import java.util.Map;

/**
 * The conversation a run belongs to. LangSmith SDKs mark it in the run's metadata rather than in a
 * field of its own, under the first of these keys that is present.
 */
public final class ThreadId {

    /** Metadata keys that name a thread, in the order LangSmith reads them. */
    public static final List<String> METADATA_KEYS = List.of("thread_id", "session_id", "conversation_id");

    private ThreadId() {}

    /** The thread named in {@code extra.metadata}, or null. */
    public static String fromExtra(Object extra) {
        if (!(extra instanceof Map<?, ?> fields) || !(fields.get("metadata") instanceof Map<?, ?> metadata)) {
            return null;
        }
        for (String key : METADATA_KEYS) {
            Object value = metadata.get(key);
            if (value instanceof String text && !text.isBlank()) {
                return text;
            }
            if (value instanceof Number number) {
                return number.toString();
            }
        }
        return null;
    }
}
