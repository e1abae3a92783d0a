package io.tracegql.support;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Posts GraphQL documents over real HTTP and compares the JSON that comes back. */
public final class GraphQL {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphQL() {}

    /** The whole response of a query as the default tenant; variables as name, value pairs. */
    public static JsonNode execute(String query, Object... variables) {
        return executeWithKey(Api.KEY, query, variables);
    }

    /** The whole response of a query sent with this API key (none when null), whatever its HTTP status. */
    public static JsonNode executeWithKey(String key, String query, Object... variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", vars(variables));
        var request = given();
        if (key != null) {
            request.header("x-api-key", key);
        }
        String response = request.contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/graphql")
                .then()
                .extract()
                .asString();
        return read(response);
    }

    /** The data of a query that must succeed. */
    public static JsonNode data(String query, Object... variables) {
        JsonNode response = execute(query, variables);
        assertFalse(response.has("errors"), () -> "unexpected errors: " + response.get("errors"));
        return response.get("data");
    }

    /** The first error of a query that must fail, after checking that it failed as bad user input. */
    public static JsonNode userError(String query, Object... variables) {
        JsonNode response = execute(query, variables);
        assertTrue(response.has("errors"), () -> "expected an error, got " + response);
        JsonNode error = response.get("errors").get(0);
        assertEquals("BAD_USER_INPUT", error.path("extensions").path("code").asText(), () -> "error: " + error);
        return error;
    }

    public static void assertJson(String expected, JsonNode actual) {
        assertEquals(read(expected), actual, () -> "actual: " + actual.toPrettyString());
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    private static Map<String, Object> vars(Object... variables) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < variables.length; i += 2) {
            map.put((String) variables[i], variables[i + 1]);
        }
        return map;
    }
}
