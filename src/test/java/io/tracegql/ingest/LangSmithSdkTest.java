package io.tracegql.ingest;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.BuiltInPrices;
import io.tracegql.support.GraphQL;
import io.tracegql.support.NodeProject;
import io.tracegql.support.PriceFixture;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The published LangSmith JS SDK ({@code src/test/node}, pinned in its package-lock) traces into the
 * gateway with nothing configured but the endpoint and a key, and reads its traces back through its
 * own Client; the traces are then checked through GraphQL.
 */
@QuarkusTest
class LangSmithSdkTest {

    static final NodeProject SDK = new NodeProject("src/test/node", "langsmith");

    @Inject
    TraceFixture fixture;

    @Inject
    BuiltInPrices builtInPrices;

    @Inject
    PriceFixture prices;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reset() {
        fixture.reset();
        prices.restoreBuiltIns();
    }

    @Test
    void shouldStoreWhatTheLangSmithSdkTracesAndServeItBackToItsClient() throws Exception {
        List<String> lines = run(
                "trace-smoke.mjs",
                Map.of(
                        "LANGSMITH_ENDPOINT", "http://127.0.0.1:" + base.getPort(),
                        "LANGSMITH_API_KEY", io.tracegql.support.Api.KEY,
                        "LANGSMITH_TRACING", "true",
                        "LANGSMITH_PROJECT", "sdk-smoke",
                        "TRACE_SMOKE_ID", "smoke-1",
                        "TRACE_SMOKE_READ", "1"));
        JsonNode ids = GraphQL.read(lines.get(0));
        String root = ids.get("rootRunId").asText();

        JsonNode trace = data("""
                        query ($id: ID!) { trace(traceId: $id) {
                          name runType status isRoot error totalTokens promptTokens completionTokens
                          promptCost completionCost totalCost promptCostDetails priceModelId
                          latencySeconds tags feedbackStats { key count meanScore } project { name } } }""", "id", ids.get("traceId").asText()).get("trace");
        assertEquals(3, trace.size(), trace::toPrettyString);
        JsonNode rootRun = trace.get(0);
        assertEquals(root, ids.get("traceId").asText());
        assertEquals("answer_question", rootRun.get("name").asText());
        assertEquals("SUCCESS", rootRun.get("status").asText());
        assertEquals("sdk-smoke", rootRun.get("project").get("name").asText());
        assertJson("[{\"key\": \"correctness\", \"count\": 1, \"meanScore\": 1.0}]", rootRun.get("feedbackStats"));
        assertEquals(true, rootRun.get("latencySeconds").asDouble() >= 0);
        JsonNode model = find(trace, "call_model");
        assertEquals("LLM", model.get("runType").asText());
        assertEquals(150, model.get("totalTokens").asInt());
        assertEquals(120, model.get("promptTokens").asInt());
        assertEquals(30, model.get("completionTokens").asInt());
        // The SDK sends tokens and ls_model_name, never costs: they are estimated from the built-in
        // gpt-4o-mini price (0.15 per million prompt tokens, 0.075 cached, 0.60 per million completion
        // tokens): 100 * 0.15 + 20 * 0.075 = 16.5 and 30 * 0.60 = 18 per million.
        BuiltInPrices.Entry mini = builtInPrices.entries().stream()
                .filter(entry -> entry.key().equals("openai/gpt-4o-mini"))
                .findFirst()
                .orElseThrow();
        BigDecimal million = BigDecimal.valueOf(1_000_000);
        BigDecimal cached =
                new BigDecimal(mini.promptDetails().get("cache_read").toString());
        BigDecimal prompt = mini.prompt()
                .multiply(BigDecimal.valueOf(100))
                .add(cached.multiply(BigDecimal.valueOf(20)))
                .divide(million);
        BigDecimal completion =
                mini.completion().multiply(BigDecimal.valueOf(30)).divide(million);
        assertEquals(0, new BigDecimal("0.0000165").compareTo(prompt), "the price file's gpt-4o-mini price");
        assertEquals(0, prompt.compareTo(model.get("promptCost").decimalValue()), model::toString);
        assertEquals(0, completion.compareTo(model.get("completionCost").decimalValue()), model::toString);
        assertEquals(0, prompt.add(completion).compareTo(model.get("totalCost").decimalValue()), model::toString);
        assertJson("{\"cache_read\": 0.0000015}", model.get("promptCostDetails"));
        assertEquals(false, model.get("priceModelId").isNull(), model::toString);
        assertJson(
                "{\"project\": {\"totalCost\": 0.0000345, \"unpricedRunCount\": 0}}",
                data("{ project(name: \"sdk-smoke\") { totalCost unpricedRunCount } }"));
        JsonNode tool = find(trace, "lookup_tool");
        assertEquals("ERROR", tool.get("status").asText());
        assertEquals(true, tool.get("error").asText().contains("tool exploded"), tool::toString);

        // What the SDK's own Client read back through the REST facade.
        JsonNode readBack = GraphQL.read(lines.get(1));
        assertEquals(root, readBack.get("run").get("id").asText(), readBack::toPrettyString);
        assertEquals(1, readBack.get("roots").size(), readBack::toPrettyString);
        assertEquals("correctness", readBack.get("feedback").get(0).get("key").asText());
    }

    /**
     * A two-turn conversation traced by the SDK reads back through its v2 resources (runs.query with
     * cost selects, threads.query, threads.stats, traces.query with the whole traces' totals), its v1 run stats and run groups, and its share
     * calls. The SDK sends tokens and the model, never costs: at the built-in gpt-4o-mini price (0.15
     * per million prompt tokens, 0.60 per million completion tokens) turn 1's 1,000 + 500 tokens cost
     * $0.00015 + $0.0003 and turn 2's 2,000 + 1,000 tokens $0.0003 + $0.0006.
     */
    @Test
    void shouldReadAConversationBackThroughTheSdksV2ResourcesAndShareIt() throws Exception {
        BuiltInPrices.Entry mini = builtInPrices.entries().stream()
                .filter(entry -> entry.key().equals("openai/gpt-4o-mini"))
                .findFirst()
                .orElseThrow();
        assertEquals(0, new BigDecimal("0.15").compareTo(mini.prompt()), "the price file's gpt-4o-mini price");
        assertEquals(0, new BigDecimal("0.60").compareTo(mini.completion()), "the price file's gpt-4o-mini price");
        String thread = "conversation-" + java.util.UUID.randomUUID();
        List<String> lines = run(
                "conversation.mjs",
                Map.of(
                        "LANGSMITH_ENDPOINT",
                        "http://127.0.0.1:" + base.getPort(),
                        "LANGSMITH_API_KEY",
                        io.tracegql.support.Api.KEY,
                        "LANGSMITH_TRACING",
                        "true",
                        "LANGSMITH_PROJECT",
                        "sdk-conversation",
                        "CONVERSATION_THREAD_ID",
                        thread));
        JsonNode read = GraphQL.read(lines.get(0));
        String first = read.get("rootIds").get(0).asText();
        String second = read.get("rootIds").get(1).asText();

        JsonNode llmRuns = read.get("llmRuns");
        assertEquals(2, llmRuns.size(), llmRuns::toPrettyString);
        llmRuns.forEach(run -> ((com.fasterxml.jackson.databind.node.ObjectNode) run).remove("id"));
        assertJson("""
                [{"name": "call_model", "run_type": "LLM", "thread_id": "%s", "prompt_tokens": 2000,
                  "completion_tokens": 1000, "total_tokens": 3000, "prompt_cost": 0.0003, "completion_cost": 0.0006,
                  "total_cost": 0.0009, "parent_run_ids": ["%s"]},
                 {"name": "call_model", "run_type": "LLM", "thread_id": "%s", "prompt_tokens": 1000,
                  "completion_tokens": 500, "total_tokens": 1500, "prompt_cost": 0.00015, "completion_cost": 0.0003,
                  "total_cost": 0.00045, "parent_run_ids": ["%s"]}]""".formatted(thread, second, thread, first), llmRuns);

        JsonNode threads = read.get("threads");
        assertEquals(1, threads.size(), threads::toPrettyString);
        assertEquals(thread, threads.get(0).get("thread_id").asText());
        assertEquals(2, threads.get(0).get("count").asInt());
        assertEquals(4500, threads.get(0).get("total_tokens").asInt());
        assertEquals(
                0,
                new BigDecimal("0.00135")
                        .compareTo(threads.get(0).get("total_cost").decimalValue()));
        assertJson(
                "{\"turns\": 2, \"prompt_tokens\": 3000, \"completion_tokens\": 1500, \"total_cost\": 0.00135}",
                read.get("threadStats"));
        assertJson("""
                [{"trace_id": "%s", "name": "chat_turn", "inputs_preview": "second question"},
                 {"trace_id": "%s", "name": "chat_turn", "inputs_preview": "first question"}]""".formatted(second, first), read.get("traces"));
        // A turn's totals are its whole tree's: the chain root has none of its own, its llm call has them.
        assertJson("""
                [{"root_run": {"id": "%s", "name": "chat_turn"},
                  "trace_aggregates": {"total_tokens": 3000, "total_cost": 0.0009}},
                 {"root_run": {"id": "%s", "name": "chat_turn"},
                  "trace_aggregates": {"total_tokens": 1500, "total_cost": 0.00045}}]""".formatted(second, first), read.get("projectTraces"));
        JsonNode runStats = read.get("runStats");
        assertEquals(2, runStats.get("run_count").asInt(), runStats::toPrettyString);
        assertEquals(4500, runStats.get("total_tokens").asInt(), runStats::toPrettyString);
        assertEquals(
                0,
                new BigDecimal("0.00135").compareTo(runStats.get("total_cost").decimalValue()));
        JsonNode groups = read.get("groups");
        assertEquals(1, groups.size(), groups::toPrettyString);
        assertEquals(
                "eq(thread_id, \"" + thread + "\")", groups.get(0).get("filter").asText());
        assertEquals(2, groups.get(0).get("count").asInt());

        // The link the SDK made is GraphQL's: same token; revoked through the SDK, gone everywhere.
        String token = read.get("share").get("share_token").asText();
        assertJson(
                "{\"id\": \"%s\", \"name\": \"chat_turn\", \"share_url\": \"http://localhost:8080/public/%s/r\"}"
                        .formatted(first, token),
                read.get("sharedRun"));
        assertEquals(true, read.get("v1Link").asText().endsWith("/public/" + token + "/r"), read::toPrettyString);
        assertJson("{\"id\": \"%s\"}".formatted(first), read.get("unsharedRun"));
        assertJson(
                "{\"run\": {\"shareUrl\": null}}", data("query ($id: ID!) { run(id: $id) { shareUrl } }", "id", first));
    }

    private static JsonNode find(JsonNode runs, String name) {
        for (JsonNode run : runs) {
            if (run.get("name").asText().equals(name)) {
                return run;
            }
        }
        throw new AssertionError("no run named " + name + " in " + runs);
    }

    static List<String> run(String script, Map<String, String> environment) throws IOException, InterruptedException {
        return SDK.run(script, environment, Duration.ofSeconds(90));
    }
}
