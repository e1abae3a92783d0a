package io.tracegql.graphql;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;

import static io.tracegql.support.GraphQL.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every limit refuses a query before it reads anything, and its message names the limit and the value. */
@QuarkusTest
class QueryLimitsTest {

    @Inject
    Sql sql;

    private JsonNode refused(String query, String message) {
        // The API key's lookup is cached for seconds: make sure it is not what this counts.
        execute("{ __typename }");
        long before = sql.statementCount();
        JsonNode response = execute(query);
        assertTrue(response.has("errors"), response::toString);
        JsonNode error = response.get("errors").get(0);
        assertEquals(message, error.get("message").asText());
        assertEquals("QUERY_LIMIT_EXCEEDED", error.get("extensions").get("code").asText());
        assertEquals(before, sql.statementCount(), "no statement ran");
        return error;
    }

    @Test
    void shouldRefuseAQueryNestedTooDeeply() {
        String nested = "name " + "childRuns { ".repeat(12) + "name" + " }".repeat(12);
        refused(
                "{ runs(first: 1) { nodes { " + nested + " } } }",
                "the query's depth is 15, over the limit of 12 (tracegql.limits.max-depth)");
    }

    @Test
    void shouldRefuseTooManyAliases() {
        StringBuilder query = new StringBuilder("{ ");
        for (int i = 0; i < 31; i++) {
            query.append("a").append(i).append(": runs(first: 1) { nodes { id } } ");
        }
        refused(
                query.append("}").toString(),
                "the query's aliases is 31, over the limit of 30 (tracegql.limits.max-aliases)");
    }

    @Test
    void shouldWeighListsByTheirPageSize() {
        refused(
                "{ runs(first: 200) { nodes { childRuns { childRuns { childRuns { name id } } } } } }",
                "the query's cost is 422401, over the limit of 200000 (tracegql.limits.max-cost)");
    }

    @Test
    void shouldRefuseTooManyDirectives() {
        String fields = "id @include(if: true) ".repeat(21);
        refused(
                "{ runs(first: 1) { nodes { " + fields + " } } }",
                "the query's directives is 21, over the limit of 20 (tracegql.limits.max-directives)");
    }

    @Test
    void shouldRefuseAnOversizedDocument() {
        String padding = "#" + "x".repeat(20_000) + "\n";
        refused(
                padding + "{ runs(first: 1) { nodes { id } } }",
                "the query's characters is " + (padding.length() + 35) + ", over the limit of 20000"
                        + " (tracegql.limits.max-characters)");
    }

    @Test
    void shouldRefuseADocumentWithTooManyTokensBeforeParsingIt() {
        // graphql-java's parser stops at 15,000 tokens; SmallRye GraphQL reports it without details.
        execute("{ __typename }");
        long before = sql.statementCount();
        JsonNode response = execute("{ runs(first: 1) { nodes { " + "id ".repeat(15_001) + " } } }");
        assertEquals(
                "Unparseable input document",
                response.path("errors").path(0).path("message").asText(),
                response::toString);
        assertEquals(before, sql.statementCount(), "no statement ran");
    }

    @Test
    void shouldServeAQueryWithinEveryLimit() {
        JsonNode response = execute("{ a: runs(first: 50) { nodes { childRuns { childRuns { name } } } } }");
        assertFalse(response.has("errors"), response::toString);
    }
}
