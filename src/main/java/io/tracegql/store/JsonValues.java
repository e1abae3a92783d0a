package io.tracegql.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Converts between the reactive client's JSON types and plain Java values (Map, List, scalars). */
public final class JsonValues {

    private JsonValues() {}

    /** A jsonb column value as plain Java: JsonObject becomes Map, JsonArray becomes List. */
    public static Object toPlain(Object value) {
        if (value instanceof JsonObject object) {
            return toPlain(object.getMap());
        }
        if (value instanceof JsonArray array) {
            return toPlain(array.getList());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), toPlain(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(toPlain(v)));
            return copy;
        }
        return value;
    }

    /** A plain Java value as a parameter for a jsonb column. */
    @SuppressWarnings("unchecked")
    public static Object toParameter(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return new JsonObject((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            return new JsonArray((List<Object>) list);
        }
        // Strings, numbers and booleans are valid JSON documents on their own.
        return value;
    }
}
