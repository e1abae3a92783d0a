package io.tracegql.domain;

import java.util.List;
import java.util.Map;

/**
 * Short plain-text previews of run payloads, computed once at write time so that list pages never
 * read the payloads themselves. Payloads are plain Java JSON values (Map, List, String, Number,
 * Boolean, null).
 */
public final class Previews {

    /** Keys that usually hold the human-readable part of an input or output, in order of preference. */
    private static final List<String> TEXT_KEYS =
            List.of("messages", "input", "question", "query", "prompt", "output", "answer", "text", "content");

    private Previews() {}

    /** A preview of an inputs or outputs payload: the last chat message, a well-known text key, or JSON. */
    public static String ofPayload(Object payload, int maxLength) {
        if (payload == null) {
            return null;
        }
        String text = textOf(payload, 0);
        return truncate(text == null ? compactJson(payload) : text, maxLength);
    }

    /** A preview of an error message: its first line. */
    public static String ofError(String error, int maxLength) {
        if (error == null) {
            return null;
        }
        String trimmed = error.strip();
        int newline = trimmed.indexOf('\n');
        return truncate(newline < 0 ? trimmed : trimmed.substring(0, newline), maxLength);
    }

    private static String textOf(Object value, int depth) {
        if (depth > 6 || value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s.isBlank() ? null : s;
        }
        if (value instanceof List<?> list) {
            // Chat histories: the newest message is the interesting one.
            for (int i = list.size() - 1; i >= 0; i--) {
                String text = textOf(list.get(i), depth + 1);
                if (text != null) {
                    return text;
                }
            }
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            for (String key : TEXT_KEYS) {
                String text = textOf(map.get(key), depth + 1);
                if (text != null) {
                    return text;
                }
            }
            // LangChain serialises messages as {"kwargs": {"content": ...}}.
            String nested = textOf(map.get("kwargs"), depth + 1);
            if (nested != null) {
                return nested;
            }
            if (map.size() == 1) {
                return textOf(map.values().iterator().next(), depth + 1);
            }
        }
        return null;
    }

    /**
     * One line of at most maxLength characters, whitespace runs collapsed. Reads only as much of the
     * text as the preview needs: payloads can be megabytes, previews are a couple of hundred characters.
     */
    private static String truncate(String text, int maxLength) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxLength + 1));
        boolean pendingSpace = false;
        for (int i = 0; i < text.length() && out.length() <= maxLength; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        if (out.length() <= maxLength) {
            return out.toString();
        }
        return out.substring(0, Math.max(0, maxLength - 1)) + "…";
    }

    private static String compactJson(Object value) {
        StringBuilder out = new StringBuilder();
        appendJson(out, value);
        return out.toString();
    }

    private static void appendJson(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append('"').append(entry.getKey()).append("\":");
                appendJson(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendJson(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof String s) {
            out.append('"').append(s).append('"');
        } else {
            out.append(value);
        }
    }
}
