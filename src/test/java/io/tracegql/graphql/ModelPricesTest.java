package io.tracegql.graphql;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.BuiltInPrices;
import io.tracegql.store.Sql;
import io.tracegql.support.Api;
import io.tracegql.support.GraphQL;
import io.tracegql.support.PriceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.userError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The price mutations, their errors, and the built-in prices every tenant is given. */
@QuarkusTest
class ModelPricesTest {

    private static final String FIELDS = "modelName matchPattern provider startDate promptPrice completionPrice"
            + " promptDetailPrices completionDetailPrices builtIn";

    @Inject
    PriceFixture prices;

    @Inject
    BuiltInPrices builtInPrices;

    @Inject
    Sql sql;

    @BeforeEach
    void reset() {
        prices.restoreBuiltIns();
    }

    /** Other tests price with the built-in prices. */
    @AfterEach
    void restore() {
        prices.restoreBuiltIns();
    }

    @Test
    void shouldCreateListUpdateAndDeleteAPrice() {
        JsonNode created = data("mutation { createModelPrice(input: {modelName: \"house-llm\","
                        + " matchPattern: \"house-llm(-v\\\\d+)?\", provider: \"acme\","
                        + " startDate: \"2025-03-01T00:00:00Z\", promptPrice: 0.4, completionPrice: 1.6,"
                        + " promptDetailPrices: {cache_read: 0.1}}) { id " + FIELDS + " } }")
                .get("createModelPrice");
        String id = created.get("id").asText();
        ObjectNode shown = ((ObjectNode) created.deepCopy());
        shown.remove("id");
        assertJson("""
                {"modelName": "house-llm", "matchPattern": "house-llm(-v\\\\d+)?", "provider": "acme",
                 "startDate": "2025-03-01T00:00:00Z", "promptPrice": 0.4, "completionPrice": 1.6,
                 "promptDetailPrices": {"cache_read": 0.1}, "completionDetailPrices": null, "builtIn": false}""", shown);
        assertJson(
                "{\"modelPrices\": [{\"id\": \"" + id + "\", \"modelName\": \"house-llm\"}]}",
                data("{ modelPrices(nameContains: \"HOUSE\") { id modelName } }"));

        assertJson(
                """
                {"updateModelPrice": {"modelName": "house-llm", "matchPattern": "house-llm(-v\\\\d+)?",
                 "provider": null, "startDate": "2025-03-01T00:00:00Z", "promptPrice": 0.3,
                 "completionPrice": 1.6, "promptDetailPrices": null, "completionDetailPrices": {"reasoning": 2},
                 "builtIn": false}}""",
                data(
                        "mutation ($id: ID!) { updateModelPrice(id: $id, input: {provider: \"\", promptPrice: 0.3,"
                                + " promptDetailPrices: {}, completionDetailPrices: {reasoning: 2}}) { " + FIELDS
                                + " } }",
                        "id",
                        id));
        assertJson("{\"deleteModelPrice\": true}", data("mutation ($id: ID!) { deleteModelPrice(id: $id) }", "id", id));
        assertJson(
                "{\"deleteModelPrice\": false}", data("mutation ($id: ID!) { deleteModelPrice(id: $id) }", "id", id));
    }

    @Test
    void shouldRefuseWhatCannotBeAPrice() {
        assertEquals(
                "input.matchPattern: \"gpt-4o(\" is not a valid PostgreSQL regular expression (invalid regular"
                        + " expression: parentheses () not balanced); the whole model name must match it, ignoring"
                        + " case, e.g. \"gpt-4o-mini(-\\\\d{4}-\\\\d{2}-\\\\d{2})?\"",
                message(create("matchPattern: \"gpt-4o(\", promptPrice: 1, completionPrice: 1")));
        assertEquals(
                "input.promptPrice: -0.5 is negative; give USD per million prompt tokens, 0 or more",
                message(create("matchPattern: \"m\", promptPrice: -0.5, completionPrice: 1")));
        assertEquals(
                "input.completionDetailPrices.reasoning: cheap is not a price; give USD per million tokens of"
                        + " reasoning, a number, 0 or more, e.g. {\"cache_read\": 0.075}",
                message(create("matchPattern: \"m\", promptPrice: 1, completionPrice: 1,"
                        + " completionDetailPrices: {reasoning: \"cheap\"}")));
        assertEquals(
                "input.matchPattern must not be blank: give a regular expression that the whole model name must"
                        + " match, e.g. \"gpt-4o-mini(-\\\\d{4}-\\\\d{2}-\\\\d{2})?\"",
                message(create("matchPattern: \" \", promptPrice: 1, completionPrice: 1")));
        data("mutation { createModelPrice(input: {modelName: \"m\", matchPattern: \"m\", promptPrice: 1,"
                + " completionPrice: 1}) { id } }");
        assertEquals(
                "a price for this pattern, provider (any) and start date (none) exists; change that one with"
                        + " updateModelPrice (modelPrices lists the ids), or give another start date",
                message(create("matchPattern: \"m\", promptPrice: 2, completionPrice: 2")));
        String unknown = "00000000-0000-4000-8000-00000000abcd";
        assertEquals(
                "id: there is no model price " + unknown + "; modelPrices lists the prices and their ids",
                userError(
                                "mutation ($id: ID!) { updateModelPrice(id: $id, input: {promptPrice: 1}) { id } }",
                                "id",
                                unknown)
                        .get("message")
                        .asText());
        String mini = builtInId("gpt-4o-mini");
        assertEquals(
                "input.matchPattern: \"[a-\" is not a valid PostgreSQL regular expression (invalid regular"
                        + " expression: invalid character range); the whole model name must match it, ignoring"
                        + " case, e.g. \"gpt-4o-mini(-\\\\d{4}-\\\\d{2}-\\\\d{2})?\"",
                userError(
                                "mutation ($id: ID!) { updateModelPrice(id: $id, input: {matchPattern: \"[a-\"}) { id } }",
                                "id",
                                mini)
                        .get("message")
                        .asText());
        assertEquals(
                "window: from (2025-01-02T00:00Z) must be before to (2025-01-01T00:00Z)",
                userError(
                                "mutation { repriceRuns(window: {from: \"2025-01-02T00:00:00Z\", to: \"2025-01-01T00:00:00Z\"}) }")
                        .get("message")
                        .asText());
    }

    @Test
    void shouldNeverUndoATenantsChangesWhenSeedingAgain() {
        String mini = builtInId("gpt-4o-mini");
        String o1 = builtInId("o1");
        data("mutation ($id: ID!) { updateModelPrice(id: $id, input: {promptPrice: 0.1}) { id } }", "id", mini);
        data("mutation ($id: ID!) { deleteModelPrice(id: $id) }", "id", o1);
        assertEquals(0, prices.seedAgain(), "rows added by seeding again");
        assertJson(
                "[{\"promptPrice\": 0.1, \"builtIn\": true}]",
                data("{ modelPrices(nameContains: \"gpt-4o-mini\") { promptPrice builtIn } }")
                        .get("modelPrices"));
        assertJson(
                "[\"o1-mini\", \"o1-preview\"]",
                GraphQL.read(data("{ modelPrices(nameContains: \"o1\") { modelName } }")
                        .get("modelPrices")
                        .findValues("modelName")
                        .toString()));
    }

    @Test
    void shouldGiveEveryNewTenantTheBuiltInPrices() {
        String key = GraphQL.executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation { createTenant(name: \"priced-" + System.nanoTime() + "\") { apiKey { key } } }")
                .at("/data/createTenant/apiKey/key")
                .asText();
        JsonNode theirs = GraphQL.executeWithKey(key, "{ modelPrices { modelName builtIn } }")
                .at("/data/modelPrices");
        assertEquals(builtInPrices.entries().size(), theirs.size());
        theirs.forEach(price -> assertEquals(true, price.get("builtIn").asBoolean()));
    }

    @Test
    void shouldShipPatternsThatPostgresqlAccepts() throws Throwable {
        // Each pattern is compiled as runs are matched against it; one it refused would fail this statement.
        long checked = VertxContextSupport.subscribeAndAwait(() -> sql.query(
                        "select count(distinct p.builtin_key) from model_prices p where p.builtin_key is not null"
                                + " and ('' ~* ('^(?:' || p.match_pattern || ')$')) is not null",
                        Tuple.tuple())
                .map(rows -> rows.iterator().next().getLong(0)));
        assertEquals(builtInPrices.entries().size(), checked);
    }

    private static JsonNode create(String fields) {
        return userError("mutation { createModelPrice(input: {modelName: \"m\", " + fields + "}) { id } }");
    }

    private static String message(JsonNode error) {
        return error.get("message").asText();
    }

    private static String builtInId(String model) {
        for (JsonNode price : data("{ modelPrices { id modelName builtIn } }").get("modelPrices")) {
            if (price.get("modelName").asText().equals(model)
                    && price.get("builtIn").asBoolean()) {
                return price.get("id").asText();
            }
        }
        throw new AssertionError("no built-in price of " + model);
    }
}
