package io.tracegql.graphql.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/** Plain Java JSON values (Map, List, scalars) as the JSON scalar's jakarta.json values. */
final class JsonOutput {

    /**
     * Looked up once: the static methods of {@code jakarta.json.Json} look the provider up through
     * the service loader on every call, which cost half the time of a trace with its payloads.
     */
    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonOutput() {}

    static JsonValue of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder object = JSON.createObjectBuilder();
            map.forEach((k, v) -> object.add(String.valueOf(k), orNull(of(v))));
            return object.build();
        }
        if (value instanceof List<?> list) {
            JsonArrayBuilder array = JSON.createArrayBuilder();
            list.forEach(v -> array.add(orNull(of(v))));
            return array.build();
        }
        if (value instanceof String s) {
            return JSON.createValue(s);
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return JSON.createValue(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return JSON.createValue(i);
        }
        if (value instanceof BigDecimal d) {
            return JSON.createValue(d);
        }
        if (value instanceof Number n) {
            return JSON.createValue(n.doubleValue());
        }
        return JSON.createValue(value.toString());
    }

    private static JsonValue orNull(JsonValue value) {
        return value == null ? JsonValue.NULL : value;
    }
}
