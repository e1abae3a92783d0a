package io.tracegql.graphql;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.userError;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static io.tracegql.support.TraceFixture.R3;
import static io.tracegql.support.TraceFixture.R4;
import static io.tracegql.support.TraceFixture.R5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RunQueriesTest {

    @Inject
    TraceFixture fixture;

    @BeforeEach
    void load() {
        fixture.load();
    }

    @Test
    void shouldRoundTripEveryStoredFieldOfARun() {
        JsonNode run = data("""
                query ($id: ID!) {
                  run(id: $id) {
                    id traceId parentRunId projectId sessionId name runType status
                    startTime endTime firstTokenTime latencySeconds isRoot
                    inputs outputs error extra metadata events tags serialized manifest manifestId
                    promptTokens completionTokens totalTokens promptTokenDetails completionTokenDetails
                    promptCost completionCost totalCost promptCostDetails completionCostDetails
                    referenceExampleId referenceDatasetId threadId threadEvaluationTime appPath priceModelId
                    attachments inputsS3Urls outputsS3Urls inDataset isInDataset shareUrl
                  }
                }""", "id", R2.toString());
        assertJson("""
                {"run": {
                  "id": "%s", "traceId": "%s", "parentRunId": "%s",
                  "projectId": "a0000000-0000-4000-8000-000000000001",
                  "sessionId": "a0000000-0000-4000-8000-000000000001",
                  "name": "ChatModel", "runType": "LLM", "status": "SUCCESS",
                  "startTime": "2024-05-01T10:00:01Z", "endTime": "2024-05-01T10:00:04Z",
                  "firstTokenTime": "2024-05-01T10:00:01.5Z", "latencySeconds": 3.0, "isRoot": false,
                  "inputs": {"messages": [{"role": "user", "content": "hi there"}]},
                  "outputs": {"generations": [{"text": "hello"}]},
                  "error": null, "extra": null, "metadata": null,
                  "events": [{"name": "new_token", "time": "2024-05-01T10:00:01.5Z"}],
                  "tags": ["model:small"],
                  "serialized": {"model": "gpt-4o-mini"}, "manifest": {"model": "gpt-4o-mini"},
                  "manifestId": "00000000-0000-4000-8000-000000000901",
                  "promptTokens": 100, "completionTokens": 50, "totalTokens": 150,
                  "promptTokenDetails": {"cache_read": 40}, "completionTokenDetails": {"reasoning": 10},
                  "promptCost": 0.00025, "completionCost": 0.0005, "totalCost": 0.00075,
                  "promptCostDetails": {"cache_read": 0.0001}, "completionCostDetails": {"reasoning": 0.0001},
                  "referenceExampleId": "00000000-0000-4000-8000-000000000902",
                  "referenceDatasetId": "00000000-0000-4000-8000-000000000903",
                  "threadId": "thread-1", "threadEvaluationTime": "2024-05-01T11:00:00Z",
                  "appPath": "/o/1/projects/p/alpha/r/2",
                  "priceModelId": "00000000-0000-4000-8000-000000000904",
                  "attachments": {"image.png": "https://files.example/image.png"},
                  "inputsS3Urls": {"inputs": "s3://bucket/in"}, "outputsS3Urls": {"outputs": "s3://bucket/out"},
                  "inDataset": true, "isInDataset": true, "shareUrl": null
                }}""".formatted(R2, R1, R1), run);
    }

    @Test
    void shouldComputeTreePositionLatencyAndPreviews() {
        JsonNode data = data("""
                query ($id: ID!) {
                  run(id: $id) {
                    isRoot parentRunIds latencySeconds inputsPreview outputsPreview errorPreview status
                    parentRun { name errorPreview status parentRun { name isRoot parentRun { name } } }
                  }
                }""", "id", R4.toString());
        assertJson("""
                {"run": {
                  "isRoot": false, "parentRunIds": ["%s", "%s"], "latencySeconds": 0.2,
                  "inputsPreview": "weather", "outputsPreview": null, "errorPreview": null, "status": "SUCCESS",
                  "parentRun": {"name": "search", "errorPreview": "ToolError: boom", "status": "ERROR",
                    "parentRun": {"name": "pipeline", "isRoot": true, "parentRun": null}}
                }}""".formatted(R1, R3), data);
    }

    @Test
    void shouldReportNoLatencyWhileARunIsPending() {
        JsonNode data = data(
                "query ($id: ID!) { run(id: $id) { status endTime latencySeconds totalTokens totalCost } }",
                "id",
                TraceFixture.R6.toString());
        assertJson("""
                {"run": {"status": "PENDING", "endTime": null, "latencySeconds": null,
                         "totalTokens": null, "totalCost": null}}""", data);
    }

    @Test
    void shouldKeepTotalsAsRecordedWhenTheClientSentThem() {
        JsonNode data = data(
                "query ($id: ID!) { run(id: $id) { promptTokens completionTokens totalTokens totalCost } }",
                "id",
                R5.toString());
        assertJson("""
                {"run": {"promptTokens": 10, "completionTokens": 5, "totalTokens": 20, "totalCost": 0.001}}""", data);
    }

    @Test
    void shouldNestChildrenFeedbackAndProject() {
        JsonNode data = data("""
                query ($id: ID!) {
                  run(id: $id) {
                    name childRunIds
                    childRuns { name childRuns { name } }
                    feedbackStats { key count meanScore values { value count } }
                    project { name }
                  }
                }""", "id", R1.toString());
        assertJson("""
                {"run": {
                  "name": "pipeline", "childRunIds": ["%s", "%s"],
                  "childRuns": [{"name": "ChatModel", "childRuns": []},
                                {"name": "search", "childRuns": [{"name": "retrieve"}]}],
                  "feedbackStats": [
                    {"key": "correctness", "count": 2, "meanScore": 0.5, "values": []},
                    {"key": "rating", "count": 1, "meanScore": null, "values": [{"value": "good", "count": 1}]}],
                  "project": {"name": "alpha"}
                }}""".formatted(R2, R3), data);
    }

    @Test
    void shouldReturnTraceInExecutionOrder() {
        JsonNode data = data("query ($id: ID!) { trace(traceId: $id) { name dottedOrder } }", "id", R1.toString());
        assertEquals(4, data.get("trace").size());
        assertEquals("pipeline", data.get("trace").get(0).get("name").asText());
        assertEquals("ChatModel", data.get("trace").get(1).get("name").asText());
        assertEquals("search", data.get("trace").get(2).get("name").asText());
        assertEquals("retrieve", data.get("trace").get(3).get("name").asText());
    }

    @Test
    void shouldReturnNullForUnknownRun() {
        assertJson("{\"run\": null}", data("{ run(id: \"00000000-0000-4000-8000-00000000ffff\") { id name } }"));
    }

    @Test
    void shouldReturnEmptyListForUnknownTrace() {
        assertJson("{\"trace\": []}", data("{ trace(traceId: \"00000000-0000-4000-8000-00000000ffff\") { id } }"));
    }

    @Test
    void shouldRejectAMalformedRunId() {
        JsonNode error = userError("{ run(id: \"not-a-uuid\") { id } }");
        assertTrue(
                error.get("message").asText().contains("id must be a UUID"), () -> "message: " + error.get("message"));
    }

    @Test
    void shouldNotLeakInternalDetailsOfUnexpectedErrors() {
        JsonNode response = io.tracegql.support.GraphQL.execute("{ run(id: \"x\") { id } }");
        assertTrue(!response.toString().contains("\tat "), "no stack trace in " + response);
    }

    @Test
    void shouldAnswerEveryAliasOfANestedFieldWithWhatItSelects() {
        // Both aliases of childRuns (and of project) are loaded in one batch: each still gets its fields.
        assertJson("""
                {"run": {
                  "a": [{"name": "ChatModel"}, {"name": "search"}],
                  "b": [{"runType": "LLM", "latencySeconds": 3.0}, {"runType": "TOOL", "latencySeconds": 1.0}],
                  "stats": {"runCount": 3},
                  "feedback": {"feedbackStats": [{"key": "correctness"}, {"key": "rating"}]}
                }}""", data("""
                        query ($id: ID!) { run(id: $id) {
                          a: childRuns { name } b: childRuns { runType latencySeconds }
                          stats: project { runCount } feedback: project { feedbackStats { key } }
                        } }""", "id", R1.toString()));
    }
}
