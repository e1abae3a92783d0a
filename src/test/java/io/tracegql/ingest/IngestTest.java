package io.tracegql.ingest;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.GraphQL;
import io.tracegql.support.LogCapture;
import io.tracegql.support.MultipartBody;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.api;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class IngestTest {

    private static final UUID ROOT = UUID.fromString("0191e5a0-0000-7000-8000-000000000001");
    private static final UUID CHILD = UUID.fromString("0191e5a0-0000-7000-8000-000000000002");
    private static final String ROOT_ORDER = "20240501T100000000000Z" + ROOT;
    private static final String CHILD_ORDER = ROOT_ORDER + ".20240501T100001000000Z" + CHILD;

    @Inject
    TraceFixture fixture;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reset() {
        fixture.reset();
    }

    private static String rootPost() {
        return """
                {"id": "%s", "trace_id": "%s", "dotted_order": "%s", "name": "answer", "run_type": "chain",
                 "session_name": "sdk", "start_time": "2024-05-01T10:00:00.000Z",
                 "inputs": {"question": "why?"}, "tags": ["smoke"],
                 "extra": {"metadata": {"env": "test"}, "runtime": {"sdk": "js"}}}""".formatted(ROOT, ROOT, ROOT_ORDER);
    }

    private static String childPost() {
        return """
                {"id": "%s", "trace_id": "%s", "parent_run_id": "%s", "dotted_order": "%s", "name": "model",
                 "run_type": "llm", "session_name": "sdk", "start_time": "2024-05-01T10:00:01Z",
                 "end_time": 1714557603500,
                 "outputs": {"answer": "because", "usage_metadata": {"input_tokens": 120, "output_tokens": 30,
                             "total_tokens": 150, "input_token_details": {"cache_read": 100}}}}""".formatted(CHILD, ROOT, ROOT, CHILD_ORDER);
    }

    private static void postBatch(String body, int status) {
        api().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(status);
    }

    private static JsonNode trace() {
        return data("""
                        query ($id: ID!) { trace(traceId: $id) {
                          id name runType status startTime endTime latencySeconds inputs outputs error tags
                          metadata parentRunIds promptTokens completionTokens totalTokens promptTokenDetails
                          project { name } } }""", "id", ROOT.toString()).get("trace");
    }

    private int port() {
        return base.getPort();
    }

    @Test
    void shouldAdvertiseMultipartAndGzipInInfo() {
        api().when()
                .get("/info")
                .then()
                .statusCode(200)
                .body("batch_ingest_config.use_multipart_endpoint", equalTo(true))
                .body("instance_flags.gzip_body_enabled", equalTo(true));
    }

    @Test
    void shouldStoreABatchWithTreePositionTimesAndTokenUsage() {
        postBatch("{\"post\": [" + rootPost() + ", " + childPost() + "]}", 202);
        assertJson("""
                [{"id": "%s", "name": "answer", "runType": "CHAIN", "status": "PENDING",
                  "startTime": "2024-05-01T10:00:00Z", "endTime": null, "latencySeconds": null,
                  "inputs": {"question": "why?"}, "outputs": null, "error": null, "tags": ["smoke"],
                  "metadata": {"env": "test"}, "parentRunIds": [], "promptTokens": null, "completionTokens": null,
                  "totalTokens": null, "promptTokenDetails": null, "project": {"name": "sdk"}},
                 {"id": "%s", "name": "model", "runType": "LLM", "status": "SUCCESS",
                  "startTime": "2024-05-01T10:00:01Z", "endTime": "2024-05-01T10:00:03.5Z", "latencySeconds": 2.5,
                  "inputs": null,
                  "outputs": {"answer": "because", "usage_metadata": {"input_tokens": 120, "total_tokens": 150,
                              "output_tokens": 30, "input_token_details": {"cache_read": 100}}},
                  "error": null, "tags": [], "metadata": null, "parentRunIds": ["%s"],
                  "promptTokens": 120, "completionTokens": 30, "totalTokens": 150,
                  "promptTokenDetails": {"cache_read": 100}, "project": {"name": "sdk"}}]""".formatted(ROOT, CHILD, ROOT), trace());
    }

    @Test
    void shouldLeaveOneRunWhenARequestIsRetried() {
        String body = "{\"post\": [" + rootPost() + ", " + childPost() + "]}";
        postBatch(body, 202);
        postBatch(body, 202);
        assertEquals(2, trace().size());
        assertJson("{\"project\": {\"runCount\": 1}}", data("{ project(name: \"sdk\") { runCount } }"));
    }

    @Test
    void shouldMergeAPatchKeepingInputsAndTakingTheLatestEndOutputsAndError() {
        postBatch("{\"post\": [" + rootPost() + "]}", 202);
        api().contentType(ContentType.JSON)
                .body("""
                        {"end_time": "2024-05-01T10:00:05Z", "outputs": {"answer": "first"},
                         "inputs": {"question": "overwritten?"}}""")
                .when()
                .patch("/runs/" + ROOT)
                .then()
                .statusCode(202);
        api().contentType(ContentType.JSON)
                .body("""
                        {"end_time": "2024-05-01T10:00:06Z", "error": "Boom: it broke"}""")
                .when()
                .patch("/runs/" + ROOT)
                .then()
                .statusCode(202);
        JsonNode root = trace().get(0);
        assertEquals("{\"question\":\"why?\"}", root.get("inputs").toString());
        assertEquals("{\"answer\":\"first\"}", root.get("outputs").toString());
        assertEquals("2024-05-01T10:00:06Z", root.get("endTime").asText());
        assertEquals("Boom: it broke", root.get("error").asText());
        assertEquals("ERROR", root.get("status").asText());
        assertEquals(6.0, root.get("latencySeconds").asDouble());
    }

    @Test
    void shouldApplyAPatchThatArrivesBeforeItsRun() {
        postBatch("""
                {"patch": [{"id": "%s", "trace_id": "%s", "dotted_order": "%s", "end_time": "2024-05-01T10:00:09Z",
                            "outputs": {"answer": "late"}}]}""".formatted(ROOT, ROOT, ROOT_ORDER), 202);
        assertEquals(0, trace().size());
        postBatch("{\"post\": [" + rootPost() + "]}", 202);
        JsonNode root = trace().get(0);
        assertEquals("SUCCESS", root.get("status").asText());
        assertEquals(9.0, root.get("latencySeconds").asDouble());
        assertEquals("{\"answer\":\"late\"}", root.get("outputs").toString());
        assertEquals("{\"question\":\"why?\"}", root.get("inputs").toString());
    }

    @Test
    void shouldMergeMultipartPartsSentChunkedAndGzippedAcrossRequests() {
        UUID feedbackId = UUID.fromString("0191e5a0-0000-7000-8000-0000000000f1");
        HttpResponse<String> first = new MultipartBody()
                .json("post." + ROOT, rootPost().replace("\"inputs\": {\"question\": \"why?\"},", ""))
                .json("post." + ROOT + ".inputs", "{\"question\": \"split?\"}")
                .json("post." + CHILD, childPost())
                .file("attachment." + ROOT + ".notes.txt", "text/plain", "hello".getBytes())
                .send(port(), true);
        assertEquals(202, first.statusCode(), first::body);
        HttpResponse<String> second = new MultipartBody()
                .json("patch." + ROOT, "{\"id\": \"%s\", \"end_time\": \"2024-05-01T10:00:04Z\"}".formatted(ROOT))
                .json("patch." + ROOT + ".outputs", "{\"answer\": \"joined\"}")
                .json(
                        "feedback." + feedbackId,
                        "{\"id\": \"%s\", \"run_id\": \"%s\", \"key\": \"correctness\", \"score\": 1}"
                                .formatted(feedbackId, ROOT))
                .send(port(), false);
        assertEquals(202, second.statusCode(), second::body);
        JsonNode run = data("""
                        query ($id: ID!) { run(id: $id) { inputs outputs latencySeconds attachments
                          feedbackStats { key count meanScore } childRuns { name totalTokens } } }""", "id", ROOT.toString()).get("run");
        assertJson("""
                {"inputs": {"question": "split?"}, "outputs": {"answer": "joined"}, "latencySeconds": 4.0,
                 "attachments": {"notes.txt": "/runs/%s/attachments/notes.txt"},
                 "feedbackStats": [{"key": "correctness", "count": 1, "meanScore": 1.0}],
                 "childRuns": [{"name": "model", "totalTokens": 150}]}""".formatted(ROOT), run);
    }

    @Test
    void shouldCreateAndUpdateSingleRunsAndTakeFeedback() {
        api().contentType(ContentType.JSON)
                .body(rootPost())
                .when()
                .post("/runs")
                .then()
                .statusCode(202);
        api().contentType(ContentType.JSON)
                .body("{\"end_time\": 1714557602000}")
                .when()
                .patch("/runs/" + ROOT)
                .then()
                .statusCode(202);
        api().contentType(ContentType.JSON)
                .body("""
                        {"run_id": "%s", "key": "rating", "score": 0.5, "value": "ok", "comment": "fine",
                         "feedback_source": {"type": "api", "metadata": {}}}""".formatted(ROOT))
                .when()
                .post("/feedback")
                .then()
                .statusCode(200)
                .body("key", equalTo("rating"))
                .body("run_id", equalTo(ROOT.toString()));
        assertJson("""
                {"run": {"latencySeconds": 2.0,
                         "feedbackStats": [{"key": "rating", "meanScore": 0.5, "values": [{"value": "ok", "count": 1}]}]},
                 "project": {"feedbackStats": [{"key": "rating", "count": 1}]}}""", data("""
                        query ($id: ID!) { run(id: $id) { latencySeconds feedbackStats { key meanScore values { value count } } }
                          project(name: "sdk") { feedbackStats { key count } } }""", "id", ROOT.toString()));
    }

    @Test
    void shouldAcceptALargePayload() {
        String big = "x".repeat(1_000_000);
        String post = rootPost().replace("\"why?\"", "\"" + big + "\"");
        postBatch("{\"post\": [" + post + "]}", 202);
        JsonNode run = data("query ($id: ID!) { run(id: $id) { inputsPreview } }", "id", ROOT.toString())
                .get("run");
        assertEquals(200, run.get("inputsPreview").asText().length());
    }

    @Test
    void shouldWriteNothingOfARequestWithOneBadRun() {
        String bad = childPost().replace("\"run_type\": \"llm\"", "\"run_type\": \"teleport\"");
        api().contentType(ContentType.JSON)
                .body("{\"post\": [" + rootPost() + ", " + bad + "]}")
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(422)
                .body("part", equalTo("post[1]"))
                .body("field", equalTo("run_type"))
                .body(
                        "message",
                        equalTo("unknown run_type 'teleport': one of tool, chain, llm, retriever, embedding, prompt,"
                                + " parser"));
        assertEquals(0, trace().size());
        assertJson("{\"project\": null}", data("{ project(name: \"sdk\") { id } }"));
    }

    @Test
    void shouldNameThePartAndFieldOfEveryKindOfBadInput() {
        refused("{\"post\": [{\"id\": \"nope\"}]}", 422, "post[0]", "id", "id must be a UUID, got \"nope\"");
        refused(
                "{\"post\": [" + rootPost().replace("\"2024-05-01T10:00:00.000Z\"", "\"yesterday\"") + "]}",
                422,
                "post[0]",
                "start_time",
                "start_time must be an ISO-8601 time (2024-05-01T10:00:00Z) or epoch milliseconds, got \"yesterday\"");
        refused(
                "{\"post\": [" + rootPost().replace("\"tags\": [\"smoke\"]", "\"tags\": \"smoke\"") + "]}",
                422,
                "post[0]",
                "tags",
                "tags must be an array of strings, got \"smoke\"");
        refused(
                "{\"post\": [" + rootPost().replace(ROOT_ORDER, "garbage") + "]}",
                422,
                "post[0]",
                "dotted_order",
                "dotted_order segment 'garbage' is not <time><run id>");
        refused(
                "{\"post\": [",
                400,
                "body",
                null,
                "the body is not valid JSON: Unexpected end-of-input at line 1, column 11");
        refused("[1, 2]", 400, "body", null, "the body must be a JSON object {\"post\": [...], \"patch\": [...]}");
    }

    @Test
    void shouldRefuseAnUnknownMultipartPart() {
        HttpResponse<String> response = new MultipartBody()
                .json("post." + ROOT, rootPost())
                .json("bogus." + ROOT, "{}")
                .send(port(), false);
        assertEquals(400, response.statusCode());
        JsonNode body = GraphQL.read(response.body());
        assertEquals("bogus." + ROOT, body.get("part").asText());
        assertEquals(0, trace().size());
    }

    @Test
    void shouldRefuseAMultipartBodyCutShortWithoutLoggingAnError() {
        String response;
        try (LogCapture log = LogCapture.start()) {
            response = new MultipartBody()
                    .json("post." + ROOT, rootPost())
                    .json("post." + ROOT + ".outputs", "{\"answer\": \"%s\"}".formatted("z".repeat(64 * 1024)))
                    .sendFirstHalf(port());
            assertEquals(List.of(), log.errors());
        }
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        JsonNode body = GraphQL.read(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertEquals("malformed_request", body.get("error").asText());
        assertTrue(body.get("message").asText().startsWith("the request body could not be read"), body::toString);
        assertEquals(0, trace().size());
    }

    @Test
    void shouldRefuseABodyOverTheSizeLimit() throws Exception {
        String huge = "y".repeat(21 * 1024 * 1024);
        String body = "{\"post\": [" + rootPost().replace("\"why?\"", "\"" + huge + "\"") + "]}";
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(base.toURI().resolve("/runs/batch"))
                                .header("Content-Type", "application/json")
                                .header("x-api-key", io.tracegql.support.Api.KEY)
                                // Not Expect: 100-continue: JDK 17's client then waits forever for the body of a
                                // final answer (BoundedBodiesTest asks first over a socket of its own).
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertEquals(0, trace().size());
    }

    private static void refused(String body, int status, String part, String field, String message) {
        var response = api().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(status)
                .contentType(ContentType.JSON)
                .body("part", equalTo(part))
                .body("message", equalTo(message));
        if (field != null) {
            response.body("field", equalTo(field));
        }
    }
}
