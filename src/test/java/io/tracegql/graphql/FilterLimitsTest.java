package io.tracegql.graphql;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import io.tracegql.domain.RunFilterRules;

import static io.tracegql.support.Api.api;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.execute;
import static io.tracegql.support.GraphQL.read;

/**
 * Filters nested ten thousand deep, or longer than the limit, are refused in every front-end with a
 * client error that names the limit before they are read any further: never a stack overflow, never
 * a 5xx.
 */
@QuarkusTest
class FilterLimitsTest {

    private static final int DEEP = 10_000;
    private static final String DEEP_EXPRESSION = "and(".repeat(DEEP) + "eq(is_root, true)" + ")".repeat(DEEP);
    private static final String LONG_EXPRESSION =
            "or(" + "eq(name, \"x\"), ".repeat(RunFilterRules.MAX_EXPRESSION_LENGTH / 15) + "eq(name, \"y\"))";
    private static final String TOO_DEEP = "and(...) at position 40: and/or filters may nest at most 4 levels";
    private static final String TOO_LONG = "the filter is 100007 characters long; at most 100000 are accepted";
    private static final String EXPRESSION_QUERY = "query ($e: String) { runs(filterExpression: $e) { nodes { id } } }";
    private static final String TYPED_QUERY = "query ($f: RunFilter) { runs(filter: $f) { nodes { id } } }";
    private static final String PROJECT = "a0000000-0000-4000-8000-000000000001";

    @Test
    void shouldRefuseATypedFilterNestedDeeperThanTheRulesBeforeTranslatingItAll() {
        assertJson(
                """
                {"errors": [{"message": "filter%s: and/or filters may nest at most 4 levels",
                  "locations": [{"line": 1, "column": 25}], "path": ["runs"],
                  "extensions": {"code": "BAD_USER_INPUT", "classification": "DataFetchingException"}}],
                 "data": null}""".formatted(".and[0]".repeat(RunFilterRules.MAX_TREE_DEPTH + 1)),
                post(graphql(TYPED_QUERY, "{\"f\": " + typedFilter(100) + "}"), 200));
    }

    @Test
    void shouldRefuseVariablesNestedTenThousandDeepAsABadRequest() {
        assertJson("""
                {"errors": [{"message": "the request body is not valid JSON", "extensions": {"code": "BAD_REQUEST"}}]}""", post(graphql(TYPED_QUERY, "{\"f\": " + typedFilter(DEEP) + "}"), 400));
    }

    @Test
    void shouldRefuseDeepAndLongExpressionsInGraphQL() {
        assertJson(graphQLError("filterExpression: " + TOO_DEEP), execute(EXPRESSION_QUERY, "e", DEEP_EXPRESSION));
        assertJson(graphQLError("filterExpression: " + TOO_LONG), execute(EXPRESSION_QUERY, "e", LONG_EXPRESSION));
    }

    @Test
    void shouldRefuseDeepAndLongExpressionsInEveryRestFilter() {
        for (String path : new String[] {"/runs/query", "/api/v2/runs/query"}) {
            String projects = path.startsWith("/api/v2") ? "project_ids" : "session";
            for (String field : new String[] {"filter", "trace_filter", "tree_filter"}) {
                String deep =
                        "{\"%s\": [\"%s\"], \"%s\": %s}".formatted(projects, PROJECT, field, quote(DEEP_EXPRESSION));
                String longer =
                        "{\"%s\": [\"%s\"], \"%s\": %s}".formatted(projects, PROJECT, field, quote(LONG_EXPRESSION));
                assertJson(restError(field, TOO_DEEP), postRest(path, deep));
                assertJson(restError(field, TOO_LONG), postRest(path, longer));
            }
        }
    }

    private static String typedFilter(int depth) {
        return "{\"and\": [".repeat(depth) + "{\"isRoot\": true}" + "]}".repeat(depth);
    }

    private static String graphql(String query, String variables) {
        return "{\"query\": " + quote(query) + ", \"variables\": " + variables + "}";
    }

    private static String graphQLError(String message) {
        return """
                {"errors": [{"message": %s, "locations": [{"line": 1, "column": 22}], "path": ["runs"],
                  "extensions": {"code": "BAD_USER_INPUT", "classification": "DataFetchingException"}}],
                 "data": null}""".formatted(quote(message));
    }

    private static String restError(String field, String message) {
        return """
                {"error": "malformed_request", "message": %s, "part": "%s"}""".formatted(quote(field + ": " + message), field);
    }

    private static com.fasterxml.jackson.databind.JsonNode post(String body, int status) {
        return read(api().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/graphql")
                .then()
                .statusCode(status)
                .extract()
                .asString());
    }

    private static com.fasterxml.jackson.databind.JsonNode postRest(String path, String body) {
        return read(api().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(path)
                .then()
                .statusCode(400)
                .extract()
                .asString());
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
