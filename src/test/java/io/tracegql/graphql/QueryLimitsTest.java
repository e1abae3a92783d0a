package io.tracegql.graphql;

import java.time.Duration;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.SubscriptionClient;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every limit refuses an operation before any of it runs: one error that names the limit and the value,
 * no data, and not one statement.
 */
@QuarkusTest
class QueryLimitsTest {

    @Inject
    Sql sql;

    @Inject
    Vertx vertx;

    @Inject
    TraceFixture fixture;

    private void refused(String query, String message) {
        assertJson(refusal(message), executeCountingStatements(query));
    }

    /** The response to a query that must not run a single statement. */
    private JsonNode executeCountingStatements(String query, Object... variables) {
        long before = sql.statementCount();
        JsonNode response = execute(query, variables);
        if (sql.statementCount() != before) {
            // The API key's lookup is cached for five seconds from when it was read: it may have just
            // been read again. Then it is fresh, and the second time counts.
            before = sql.statementCount();
            response = execute(query, variables);
        }
        assertEquals(before, sql.statementCount(), "no statement ran");
        return response;
    }

    private static String refusal(String message) {
        return """
                {"errors": [{"message": "%s",
                  "extensions": {"code": "QUERY_LIMIT_EXCEEDED", "classification": "ExecutionAborted"}}]}""".formatted(message);
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
    void shouldRefuseAnAliasFloodWithOneErrorAndRunNothing() {
        fixture.load();
        StringBuilder query = new StringBuilder("{ ");
        for (int i = 0; i < 300; i++) {
            query.append("a%d: run(id: \"%s\") { id } ".formatted(i, TraceFixture.R1));
        }
        refused(
                query.append("}").toString(),
                "the query's aliases is 300, over the limit of 30 (tracegql.limits.max-aliases)");
    }

    @Test
    void shouldApplyNoMutationOfARefusedOperation() {
        StringBuilder mutation = new StringBuilder("mutation { ");
        for (int i = 0; i < 31; i++) {
            mutation.append("p%d: createProject(input: {name: \"flood-%d\"}) { id } ".formatted(i, i));
        }
        refused(
                mutation.append("}").toString(),
                "the query's aliases is 31, over the limit of 30 (tracegql.limits.max-aliases)");
        assertJson(
                """
                {"first": null, "last": null}""",
                data("{ first: project(name: \"flood-0\") { id }" + " last: project(name: \"flood-30\") { id } }"));
    }

    @Test
    void shouldCountAliasesOfTypename() {
        refused(
                "{ " + aliased("__typename", 31) + " }",
                "the query's aliases is 31, over the limit of 30 (tracegql.limits.max-aliases)");
    }

    @Test
    void shouldLimitFieldsInFragments() {
        refused(
                "query { ...f } fragment f on Query { " + aliased("__typename", 31) + " }",
                "the query's aliases is 31, over the limit of 30 (tracegql.limits.max-aliases)");
    }

    private static String aliased(String field, int times) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < times; i++) {
            fields.append("t").append(i).append(": ").append(field).append(' ');
        }
        return fields.toString();
    }

    @Test
    void shouldWeighListsByTheirPageSize() {
        refused(
                "{ runs(first: 200) { nodes { childRuns { childRuns { childRuns { name id } } } } } }",
                "the query's cost is 422401, over the limit of 200000 (tracegql.limits.max-cost)");
    }

    @Test
    void shouldWeighAPageSizeGivenAsAVariable() {
        JsonNode response = executeCountingStatements(
                "query ($n: Int) { runs(first: $n) { nodes { childRuns { childRuns { childRuns { name id } } } } } }",
                "n",
                200);
        assertJson(
                refusal("the query's cost is 422401, over the limit of 200000 (tracegql.limits.max-cost)"), response);
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
        // graphql-java's parser stops at 15,000 tokens, where it says.
        JsonNode response = executeCountingStatements("{ runs(first: 1) { nodes { " + "id ".repeat(15_001) + " } } }");
        assertJson("""
                {"errors": [{"message": "More than 15,000 'grammar' tokens have been presented. To prevent Denial\
                 Of Service attacks, parsing has been cancelled.", "locations": [{"line": 1, "column": 44998}],
                  "extensions": {"classification": "InvalidSyntax"}}]}""", response);
    }

    @Test
    void shouldLimitASubscriptionBeforeItStarts() {
        String nested = "name " + "childRuns { ".repeat(12) + "name" + " }".repeat(12);
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, RestAssured.port)) {
            String id = client.subscribe(
                    "subscription ($t: ID!) { traceUpdated(traceId: $t) { " + nested + " } }",
                    "t",
                    TraceFixture.R1.toString());
            assertJson("""
                    {"id": "%s", "type": "error", "payload": [{"message": "the query's depth is 14, over the limit \
                    of 12 (tracegql.limits.max-depth)", "extensions": {"code": "QUERY_LIMIT_EXCEEDED",
                    "classification": "ExecutionAborted"}}]}""".formatted(id), client.nextMessage());
            client.assertNoMessage(Duration.ofMillis(300));
        }
    }

    @Test
    void shouldMeasureAFragmentOnceHoweverOftenItIsSpread() {
        // Each fragment spreads the next ten times: 10^12 fields in 700 characters.
        StringBuilder query = new StringBuilder("{ ...f0 }");
        for (int i = 0; i < 12; i++) {
            query.append(" fragment f%d on Query { %s}".formatted(i, ("...f" + (i + 1) + " ").repeat(10)));
        }
        refused(
                query.append(" fragment f12 on Query { __typename }").toString(),
                "the query's cost is 1000000000000, over the limit of 200000 (tracegql.limits.max-cost)");
    }

    @Test
    void shouldServeAQueryWithinEveryLimit() {
        JsonNode response = execute("{ a: runs(first: 50) { nodes { childRuns { childRuns { name } } } } }");
        assertFalse(response.has("errors"), response::toString);
    }

    @Test
    void shouldServeTheIntrospectionQueryOfGraphiQL() {
        // graphql-js's getIntrospectionQuery(): 13 deep through its TypeRef fragment, deeper than the
        // depth limit. Introspection is bounded by the schema and graphql-java's good-faith check.
        String typeRef = "kind name " + "ofType { kind name ".repeat(7) + "}".repeat(7);
        String query = """
                query IntrospectionQuery {
                  __schema {
                    queryType { name } mutationType { name } subscriptionType { name }
                    types { ...FullType }
                    directives { name description locations args { ...InputValue } }
                  }
                }
                fragment FullType on __Type {
                  kind name description
                  fields(includeDeprecated: true) {
                    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
                  }
                  inputFields { ...InputValue }
                  interfaces { ...TypeRef }
                  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
                  possibleTypes { ...TypeRef }
                }
                fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
                fragment TypeRef on __Type { %s }
                """.formatted(typeRef);
        JsonNode response = execute(query);
        assertFalse(response.has("errors"), response::toString);
        assertEquals("Query", response.at("/data/__schema/queryType/name").asText(), response::toString);
    }
}
