package io.tracegql.ingest;

import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.PriceFixture;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.postBatch;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;

/**
 * Costs estimated at ingest from the model prices, checked by hand against the built-in price file
 * (USD per million tokens) and prices created here, whatever order a run and its updates arrive in.
 */
@QuarkusTest
class RunPricingTest {

    private static final String COSTS =
            "promptCost completionCost totalCost promptCostDetails completionCostDetails" + " priceModelId";

    @Inject
    TraceFixture fixture;

    @Inject
    PriceFixture prices;

    @BeforeEach
    void reset() {
        fixture.reset();
        prices.restoreBuiltIns();
    }

    /** Other tests price with the built-in prices. */
    @AfterEach
    void restore() {
        prices.restoreBuiltIns();
    }

    @Test
    void shouldPriceCachedPromptTokensAtTheirOwnPrice() {
        // gpt-4o-mini: 0.15 per million prompt tokens, cache_read 0.075, completion 0.60 (reasoning unpriced).
        UUID run = UUID.randomUUID();
        post(llm(run, "gpt-4o-mini-2024-07-18", "openai", "2025-01-01T00:00:00Z")
                + ", \"prompt_tokens\": 1000, \"completion_tokens\": 200,"
                + " \"prompt_token_details\": {\"cache_read\": 400, \"audio\": 0},"
                + " \"completion_token_details\": {\"reasoning\": 50}}");
        // 600 * 0.15 + 400 * 0.075 = 120 per million; 200 * 0.60 = 120 per million.
        assertJson("""
                {"promptCost": 0.00012, "completionCost": 0.00012, "totalCost": 0.00024,
                 "promptCostDetails": {"cache_read": 0.00003}, "completionCostDetails": null,
                 "priceModelId": "%s"}""".formatted(builtIn("gpt-4o-mini", "2024-07-18T00:00:00Z")), costs(run));
    }

    @Test
    void shouldTakeThePriceOfTheNewestStartDateNotAfterTheRun() {
        // gpt-4o: 5 / 15 from 2024-05-13, 2.50 / 10 from 2024-10-02; nothing before its release.
        UUID before = UUID.randomUUID();
        UUID june = UUID.randomUUID();
        UUID november = UUID.randomUUID();
        post(
                llm(before, "gpt-4o", null, "2024-01-01T00:00:00Z") + tokens(1000, 100),
                llm(june, "gpt-4o", null, "2024-06-01T00:00:00Z") + tokens(1000, 100),
                llm(november, "GPT-4o", null, "2024-11-01T00:00:00Z") + tokens(1000, 100));
        assertJson(unpriced(), costs(before));
        assertJson(costs("0.005", "0.0015", "0.0065", builtIn("gpt-4o", "2024-05-13T00:00:00Z")), costs(june));
        assertJson(costs("0.0025", "0.001", "0.0035", builtIn("gpt-4o", "2024-10-02T00:00:00Z")), costs(november));
    }

    @Test
    void shouldPreferOwnPricesThenTheLongestPattern() {
        String broad = create("all of gpt-4o", "gpt-4o.*", null, "1", "2");
        String mini = create("our gpt-4o-mini", "gpt-4o-mini(-\\\\d{4}-\\\\d{2}-\\\\d{2})?", null, "0.5", "1");
        UUID miniRun = UUID.randomUUID();
        UUID snapshotRun = UUID.randomUUID();
        UUID claudeRun = UUID.randomUUID();
        post(
                llm(miniRun, "gpt-4o-mini-2024-07-18", null, "2025-01-01T00:00:00Z") + tokens(1000, 1000),
                llm(snapshotRun, "gpt-4o-2024-08-06", null, "2025-01-01T00:00:00Z") + tokens(1000, 1000),
                llm(claudeRun, "claude-3-5-sonnet-20241022", "anthropic", "2025-01-01T00:00:00Z") + tokens(1000, 1000));
        // Both own patterns match gpt-4o-mini-2024-07-18: the longer one wins; both beat the built-in price.
        assertJson(costs("0.0005", "0.001", "0.0015", mini), costs(miniRun));
        // The broad own pattern beats the built-in gpt-4o-2024-08-06 (2.50 / 10).
        assertJson(costs("0.001", "0.002", "0.003", broad), costs(snapshotRun));
        // No own price matches: the built-in one (3 / 15).
        assertJson(
                costs("0.003", "0.015", "0.018", builtIn("claude-3-5-sonnet", "2024-06-20T00:00:00Z")),
                costs(claudeRun));
    }

    @Test
    void shouldPreferThePriceOfTheRunsProvider() {
        String any = create("house model", "house-model", null, "1", "1");
        String acme = create("house model at acme", "house-model", "acme", "2", "2");
        create("acme only", "acme-only", "acme", "3", "3");
        UUID atAcme = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        UUID noProvider = UUID.randomUUID();
        UUID groq = UUID.randomUUID();
        post(
                llm(atAcme, "house-model", "ACME", "2025-01-01T00:00:00Z") + tokens(1000000, 0),
                llm(elsewhere, "house-model", "other", "2025-01-01T00:00:00Z") + tokens(1000000, 0),
                llm(noProvider, "acme-only", null, "2025-01-01T00:00:00Z") + tokens(1000000, 0),
                // Built-in Llama prices are those of a host: Groq's 0.59 / 0.79.
                llm(groq, "llama-3.3-70b-versatile", "groq", "2025-01-01T00:00:00Z") + tokens(1000000, 1000000));
        assertJson(costs("2", "0", "2", acme), costs(atAcme));
        assertJson(costs("1", "0", "1", any), costs(elsewhere));
        assertJson(unpriced(), costs(noProvider));
        assertJson(costs("0.59", "0.79", "1.38", builtIn("llama-3.3-70b-versatile", null)), costs(groq));
    }

    @Test
    void shouldLeaveRunsOfUnknownModelsUnpricedAndCountThem() {
        UUID unknown = UUID.randomUUID();
        UUID priced = UUID.randomUUID();
        UUID chain = UUID.randomUUID();
        post(
                llm(unknown, "our-own-finetune", null, "2025-01-01T00:00:00Z") + tokens(1000, 1000),
                llm(priced, "gpt-4.1-nano", null, "2025-05-01T00:00:00Z") + tokens(1000000, 1000000),
                llm(chain, "gpt-4.1-nano", null, "2025-05-01T00:00:00Z").replace("\"llm\"", "\"chain\"")
                        + tokens(1000, 1000));
        assertJson(unpriced(), costs(unknown));
        // Only llm runs are priced: chains roll up their children's usage.
        assertJson(unpriced(), costs(chain));
        assertJson("""
                {"runStats": {"totalCost": 0.5, "unpricedRunCount": 1},
                 "project": {"totalCost": 0.5, "unpricedRunCount": 1, "runStats": {"unpricedRunCount": 1}}}""", data("""
                        { runStats { totalCost unpricedRunCount }
                          project(name: "pricing") { totalCost unpricedRunCount
                                                      runStats(filter: {runTypes: [LLM]}) { unpricedRunCount } } }"""));
    }

    @Test
    void shouldKeepTheCostsAClientSent() {
        UUID sent = UUID.randomUUID();
        UUID estimatedThenSent = UUID.randomUUID();
        post(
                llm(sent, "gpt-4o-mini", null, "2025-01-01T00:00:00Z")
                        + ", \"prompt_tokens\": 1000, \"completion_tokens\": 1000, \"total_cost\": 0.5}",
                llm(estimatedThenSent, "gpt-4o-mini", null, "2025-01-01T00:00:00Z") + tokens(1000000, 0));
        assertJson("""
                {"promptCost": null, "completionCost": null, "totalCost": 0.5, "promptCostDetails": null,
                 "completionCostDetails": null, "priceModelId": null}""", costs(sent));
        // Later tokens without costs leave the client's costs as they are.
        patch("{\"id\": \"" + sent + "\", \"prompt_tokens\": 2000, \"completion_tokens\": 2000}");
        assertJson("""
                {"promptCost": null, "completionCost": null, "totalCost": 0.5, "promptCostDetails": null,
                 "completionCostDetails": null, "priceModelId": null}""", costs(sent));
        // Costs sent after an estimate replace it, and the price it came from.
        patch("{\"id\": \"" + estimatedThenSent + "\", \"prompt_cost\": 0.25, \"completion_cost\": 0}");
        assertJson("""
                {"promptCost": 0.25, "completionCost": 0, "totalCost": 0.25, "promptCostDetails": null,
                 "completionCostDetails": null, "priceModelId": null}""", costs(estimatedThenSent));
    }

    @Test
    void shouldPriceTokensWhateverOrderTheyArriveIn() {
        String mini = builtIn("gpt-4o-mini", "2024-07-18T00:00:00Z");
        UUID patchedLater = UUID.randomUUID();
        post(llm(patchedLater, "gpt-4o-mini", "openai", "2025-01-01T00:00:00Z") + "}");
        assertJson(unpriced(), costs(patchedLater));
        // The SDK sends usage with the outputs when the call ends.
        patch("{\"id\": \"" + patchedLater + "\", \"end_time\": \"2025-01-01T00:00:02Z\", \"outputs\":"
                + " {\"usage_metadata\": {\"input_tokens\": 2000000, \"output_tokens\": 1000000,"
                + " \"total_tokens\": 3000000}}}");
        assertJson(costs("0.3", "0.6", "0.9", mini), costs(patchedLater));
        // New token counts move the estimate with them.
        patch("{\"id\": \"" + patchedLater + "\", \"prompt_tokens\": 1000000, \"completion_tokens\": 0}");
        assertJson(costs("0.15", "0", "0.15", mini), costs(patchedLater));

        UUID patchedBefore = UUID.randomUUID();
        patch("{\"id\": \"" + patchedBefore + "\", \"prompt_tokens\": 1000000, \"completion_tokens\": 1000000}");
        post(llm(patchedBefore, "gpt-4o-mini", "openai", "2025-01-01T00:00:00Z") + "}");
        assertJson(costs("0.15", "0.6", "0.75", mini), costs(patchedBefore));

        // A post and its patch in one request.
        UUID together = UUID.randomUUID();
        postBatch("{\"post\": [" + llm(together, "gpt-4o-mini", null, "2025-01-01T00:00:00Z")
                + "}], \"patch\": [{\"id\": \"" + together
                + "\", \"prompt_tokens\": 2000000, \"completion_tokens\": 0}]}");
        assertJson(costs("0.3", "0", "0.3", mini), costs(together));
    }

    @Test
    void shouldRepriceOnlyWhenAsked() {
        UUID run = UUID.randomUUID();
        post(llm(run, "o3", "openai", "2025-07-01T00:00:00Z") + tokens(1000000, 1000000));
        String o3 = builtIn("o3", "2025-06-10T00:00:00Z");
        assertJson(costs("2", "8", "10", o3), costs(run));
        data(
                "mutation ($id: ID!) { updateModelPrice(id: $id, input: {promptPrice: 1, completionPrice: 4}) { id } }",
                "id",
                o3);
        assertJson(costs("2", "8", "10", o3), costs(run));
        assertJson("{\"repriceRuns\": 1}", data("""
                        mutation { repriceRuns(window: {from: "2025-07-01T00:00:00Z", to: "2025-07-02T00:00:00Z"}) }"""));
        assertJson(costs("1", "4", "5", o3), costs(run));
        assertJson("{\"repriceRuns\": 0}", data("""
                        mutation { repriceRuns(window: {from: "2025-07-01T00:00:00Z", to: "2025-07-02T00:00:00Z"}) }"""));
        // Without a price the estimate goes: unpriced, not $0.
        data("mutation ($id: ID!) { deleteModelPrice(id: $id) }", "id", o3);
        data("mutation ($id: ID!) { deleteModelPrice(id: $id) }", "id", builtIn("o3", "2025-04-16T00:00:00Z"));
        assertJson("{\"repriceRuns\": 1}", data("""
                        mutation { repriceRuns(window: {from: "2025-07-01T00:00:00Z", to: "2025-07-02T00:00:00Z"}) }"""));
        assertJson(unpriced(), costs(run));
    }

    /** A root llm run of project "pricing", as JSON still open for more fields. */
    private static String llm(UUID id, String model, String provider, String start) {
        String metadata = "\"ls_model_name\": \"" + model + "\""
                + (provider == null ? "" : ", \"ls_provider\": \"" + provider + "\"");
        return "{\"id\": \"" + id + "\", \"name\": \"ChatModel\", \"run_type\": \"llm\", \"session_name\": \"pricing\","
                + " \"start_time\": \"" + start + "\", \"extra\": {\"metadata\": {" + metadata + "}}";
    }

    private static String tokens(int prompt, int completion) {
        return ", \"prompt_tokens\": " + prompt + ", \"completion_tokens\": " + completion + "}";
    }

    private static void post(String... runs) {
        postBatch("{\"post\": [" + String.join(", ", runs) + "]}");
    }

    private static void patch(String run) {
        postBatch("{\"patch\": [" + run + "]}");
    }

    private static JsonNode costs(UUID run) {
        return data("query ($id: ID!) { run(id: $id) { " + COSTS + " } }", "id", run.toString())
                .get("run");
    }

    private static String costs(String prompt, String completion, String total, String priceId) {
        return """
                {"promptCost": %s, "completionCost": %s, "totalCost": %s, "promptCostDetails": null,
                 "completionCostDetails": null, "priceModelId": "%s"}""".formatted(prompt, completion, total, priceId);
    }

    private static String unpriced() {
        return """
                {"promptCost": null, "completionCost": null, "totalCost": null, "promptCostDetails": null,
                 "completionCostDetails": null, "priceModelId": null}""";
    }

    /** The id of the built-in price of this model and start date (null: since always). */
    private static String builtIn(String model, String start) {
        for (JsonNode price : data(
                        "query ($m: String) { modelPrices(nameContains: $m) { id modelName startDate builtIn } }",
                        "m",
                        model)
                .get("modelPrices")) {
            if (price.get("modelName").asText().equals(model)
                    && price.get("builtIn").asBoolean()
                    && (start == null
                            ? price.get("startDate").isNull()
                            : start.equals(price.get("startDate").asText()))) {
                return price.get("id").asText();
            }
        }
        throw new AssertionError("no built-in price of " + model + " from " + start);
    }

    /** Creates a price of the tenant's own and returns its id. */
    private static String create(String name, String pattern, String provider, String prompt, String completion) {
        return data("mutation { createModelPrice(input: {modelName: \"" + name + "\", matchPattern: \"" + pattern
                        + "\"" + (provider == null ? "" : ", provider: \"" + provider + "\"") + ", promptPrice: "
                        + prompt + ", completionPrice: " + completion + "}) { id } }")
                .get("createModelPrice")
                .get("id")
                .asText();
    }
}
