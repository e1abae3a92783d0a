package io.tracegql.live;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jakarta.json.JsonString;

import graphql.GraphQLContext;

/**
 * What a GraphQL-over-WebSocket connection carried, as SmallRye GraphQL keeps it in the execution
 * context of each operation: the upgrade request's headers and the connection_init payload.
 */
public final class ConnectionRequest {

    private static final String HTTP_HEADERS = "httpHeaders";
    private static final String INIT_PAYLOAD = "init-payload";

    private ConnectionRequest() {}

    /** A header of the upgrade request by name (any case); null when absent. */
    public static String header(GraphQLContext connection, String name) {
        if (!(connection.get(HTTP_HEADERS) instanceof Map<?, ?> headers)) {
            return null;
        }
        return ignoringCase(
                headers,
                name,
                value -> value instanceof List<?> values && !values.isEmpty() ? String.valueOf(values.get(0)) : null);
    }

    /** A string value of the connection_init payload by name (any case); null when absent. */
    public static String initPayloadValue(GraphQLContext connection, String name) {
        if (!(connection.get(INIT_PAYLOAD) instanceof Map<?, ?> payload)) {
            return null;
        }
        return ignoringCase(
                payload,
                name,
                value -> value instanceof JsonString json
                        ? json.getString()
                        : value instanceof String text ? text : null);
    }

    private static String ignoringCase(Map<?, ?> map, String name, Function<Object, String> read) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() instanceof String key && key.equalsIgnoreCase(name)) {
                return read.apply(entry.getValue());
            }
        }
        return null;
    }
}
