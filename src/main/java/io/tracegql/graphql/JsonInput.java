package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.tracegql.graphql.errors.InvalidInputException;

/** JSON scalar arguments (jakarta.json values) as the plain Java values (Map, List, scalars) the store writes. */
final class JsonInput {

    private JsonInput() {}

    /** Any JSON value; null for an absent value or JSON null. */
    static Object plain(JsonValue value) {
        if (value == null) {
            return null;
        }
        return switch (value.getValueType()) {
            case NULL -> null;
            case TRUE -> true;
            case FALSE -> false;
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> number((JsonNumber) value);
            case ARRAY -> {
                JsonArray array = value.asJsonArray();
                List<Object> list = new ArrayList<>(array.size());
                array.forEach(item -> list.add(plain(item)));
                yield list;
            }
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                value.asJsonObject().forEach((key, item) -> map.put(key, plain(item)));
                yield map;
            }
        };
    }

    /** A JSON object, or null when absent; anything else is an error naming the field. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(JsonValue value, String field) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonObject)) {
            throw new InvalidInputException(
                    field + " must be a JSON object such as {\"key\": \"value\"}, got " + value);
        }
        return (Map<String, Object>) plain(value);
    }

    private static Object number(JsonNumber number) {
        if (number.isIntegral()) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException e) {
                return number.bigIntegerValueExact();
            }
        }
        return number.bigDecimalValue();
    }
}
