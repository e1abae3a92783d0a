package io.tracegql.ingest;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.PriceFixture;
import io.tracegql.support.Statements;
import io.tracegql.support.SubscriptionClient;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.Api.api;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.read;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * OTLP/HTTP requests built with the published OTLP message classes, sent over real HTTP in protobuf
 * and JSON: how spans become runs, and how the endpoint treats bodies it cannot take.
 */
@QuarkusTest
class OtlpIngestTest {

    private static final String PROTOBUF = "application/x-protobuf";
    private static final byte[] TRACE = HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c");
    private static final byte[] AGENT = HexFormat.of().parseHex("eee19b7ec3c1b174");
    private static final byte[] LLM = HexFormat.of().parseHex("eee19b7ec3c1b175");
    private static final byte[] TOOL = HexFormat.of().parseHex("eee19b7ec3c1b176");
    private static final Instant START = Instant.parse("2025-05-01T10:00:00Z");

    private static final String TRACE_QUERY = """
            query ($filter: String!) { runs(filterExpression: $filter) { nodes { traceId } } }""";
    private static final String TREE = """
            query ($id: ID!) { trace(traceId: $id) {
              name runType status parentRun { name } latencySeconds error inputs outputs tags threadId
              promptTokens completionTokens totalTokens promptTokenDetails completionTokenDetails
              promptCost completionCost totalCost events
              metadata project { name } } }""";

    @Inject
    TraceFixture fixture;

    @Inject
    PriceFixture prices;

    @Inject
    Sql sql;

    @Inject
    Vertx vertx;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reset() {
        fixture.reset();
        prices.restoreBuiltIns();
    }

    @Test
    void shouldWriteANestedGenAiTraceAsRunsThatReadLikeSdkRuns() {
        Response response =
                post("/v1/traces", PROTOBUF, request(agent(), llm(), tool()).toByteArray());
        assertEquals(200, response.statusCode(), response::asString);
        assertEquals(PROTOBUF, response.contentType());
        assertEquals(ExportTraceServiceResponse.getDefaultInstance(), parseResponse(response));

        assertJson("""
                [{"name": "support_agent", "runType": "CHAIN", "status": "SUCCESS", "parentRun": null,
                  "latencySeconds": 6.0, "error": null, "inputs": {"question": "Where is order 42?"},
                  "outputs": {"output": "Order 42 could not be looked up."}, "tags": ["support"],
                  "threadId": "conversation-7",
                  "promptTokens": null, "completionTokens": null, "totalTokens": null,
                  "promptTokenDetails": null, "completionTokenDetails": null,
                  "promptCost": null, "completionCost": null, "totalCost": null, "events": null,
                  "metadata": {"session_id": "conversation-7", "gen_ai.agent.name": "support_agent",
                    "otel.trace_id": "5b8efff798038103d269b633813fc60c", "otel.span_id": "eee19b7ec3c1b174",
                    "otel.span_kind": "internal", "otel.scope.name": "agents", "otel.scope.version": "1.2.0",
                    "otel.resource": {"service.name": "support-bot", "deployment.environment": "test"}},
                  "project": {"name": "support-bot"}},
                 {"name": "chat gpt-4o-mini", "runType": "LLM", "status": "SUCCESS",
                  "parentRun": {"name": "support_agent"}, "latencySeconds": 2.5, "error": null,
                  "inputs": {"messages": [{"role": "user", "content": "Where is order 42?"}]},
                  "outputs": {"messages": [{"role": "assistant", "content": "Let me look it up."}]},
                  "tags": [], "threadId": null,
                  "promptTokens": 120, "completionTokens": 30, "totalTokens": 150,
                  "promptTokenDetails": {"cache_read": 20}, "completionTokenDetails": {"reasoning": 5},
                  "promptCost": 0.0000165, "completionCost": 0.000018, "totalCost": 0.0000345, "events": null,
                  "metadata": {"gen_ai.request.temperature": 0.2, "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
                    "ls_model_name": "gpt-4o-mini", "ls_provider": "openai",
                    "otel.trace_id": "5b8efff798038103d269b633813fc60c", "otel.span_id": "eee19b7ec3c1b175",
                    "otel.parent_span_id": "eee19b7ec3c1b174", "otel.span_kind": "client",
                    "otel.scope.name": "agents", "otel.scope.version": "1.2.0",
                    "otel.resource": {"service.name": "support-bot", "deployment.environment": "test"}},
                  "project": {"name": "support-bot"}},
                 {"name": "execute_tool lookup_order", "runType": "TOOL", "status": "ERROR",
                  "parentRun": {"name": "support_agent"}, "latencySeconds": 1.0,
                  "error": "ToolError: order service timed out\\n\\nToolError: order service timed out\\n  at lookup",
                  "inputs": {"id": 42}, "outputs": null, "tags": [], "threadId": null,
                  "promptTokens": null, "completionTokens": null, "totalTokens": null,
                  "promptTokenDetails": null, "completionTokenDetails": null,
                  "promptCost": null, "completionCost": null, "totalCost": null,
                  "events": [{"name": "exception", "time": "2025-05-01T10:00:04.500Z",
                    "kwargs": {"exception.type": "ToolError", "exception.message": "order service timed out",
                      "exception.stacktrace": "ToolError: order service timed out\\n  at lookup"}}],
                  "metadata": {"gen_ai.tool.name": "lookup_order",
                    "otel.trace_id": "5b8efff798038103d269b633813fc60c", "otel.span_id": "eee19b7ec3c1b176",
                    "otel.parent_span_id": "eee19b7ec3c1b174", "otel.span_kind": "internal",
                    "otel.scope.name": "agents", "otel.scope.version": "1.2.0",
                    "otel.resource": {"service.name": "support-bot", "deployment.environment": "test"}},
                  "project": {"name": "support-bot"}}]""", tree());
    }

    @Test
    void shouldPlaceChildrenSentBeforeTheirParentUnderItWhenItArrives() {
        // As exporters send spans: each as it ends, the children first, in requests of their own.
        assertEquals(
                200, post("/v1/traces", PROTOBUF, request(tool()).toByteArray()).statusCode());
        assertEquals(
                200, post("/v1/traces", PROTOBUF, request(llm()).toByteArray()).statusCode());
        // Until their parent arrives, each child tops a trace of its own, and says which parent it waits for.
        assertJson(
                """
                {"runs": {"nodes": [
                  {"name": "execute_tool lookup_order", "isRoot": false, "parentRunId": "%s", "parentRun": null},
                  {"name": "chat gpt-4o-mini", "isRoot": false, "parentRunId": "%s", "parentRun": null}]}}""".formatted(runId(AGENT), runId(AGENT)),
                data("{ runs(orderBy: {field: START_TIME, direction: DESC}) {"
                        + " nodes { name isRoot parentRunId parentRun { name } } } }"));

        assertEquals(
                200,
                post("/otel/v1/traces", PROTOBUF, request(agent()).toByteArray())
                        .statusCode());

        String rootId = runId(AGENT);
        String llmOrder = "20250501T100000000000Z" + rootId + ".20250501T100001000000Z" + runId(LLM);
        String toolOrder = "20250501T100000000000Z" + rootId + ".20250501T100004000000Z" + runId(TOOL);
        assertJson(
                """
                {"trace": [
                  {"name": "support_agent", "traceId": "%1$s", "dottedOrder": "20250501T100000000000Z%1$s",
                   "parentRunIds": []},
                  {"name": "chat gpt-4o-mini", "traceId": "%1$s", "dottedOrder": "%2$s", "parentRunIds": ["%1$s"]},
                  {"name": "execute_tool lookup_order", "traceId": "%1$s", "dottedOrder": "%3$s",
                   "parentRunIds": ["%1$s"]}]}""".formatted(rootId, llmOrder, toolOrder),
                data(
                        "query ($id: ID!) { trace(traceId: $id) { name traceId dottedOrder parentRunIds } }",
                        "id",
                        rootId));
        // The children's runs left their provisional traces' totals for the whole trace's.
        assertJson(
                """
                {"run": {"trace": {"runCount": 3, "errorCount": 1, "totalTokens": 150}},
                 "runs": {"nodes": [{"trace": {"runCount": 3}}, {"trace": {"runCount": 3}}, {"trace": {"runCount": 3}}]}}""",
                data(
                        "query ($id: ID!) { run(id: $id) { trace { runCount errorCount totalTokens } }"
                                + " runs { nodes { trace { runCount } } } }",
                        "id",
                        rootId));
    }

    @Test
    void shouldCompleteTreesWhoseChildAndParentArriveAtTheSameTime() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        int traces = 20;
        for (int t = 0; t < traces; t++) {
            byte[] trace = HexFormat.of().parseHex("%032x".formatted(t + 1));
            for (Span span : List.of(
                    span(AGENT, null, "parent", 0, 2)
                            .setTraceId(ByteString.copyFrom(trace))
                            .build(),
                    span(LLM, AGENT, "child", 1, 2)
                            .setTraceId(ByteString.copyFrom(trace))
                            .build())) {
                sent.add(client.sendAsync(
                        HttpRequest.newBuilder(base.toURI().resolve("/v1/traces"))
                                .header("Content-Type", PROTOBUF)
                                .header("x-api-key", io.tracegql.support.Api.KEY)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(
                                        request(span).toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
        }
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            assertEquals(200, response.get(30, TimeUnit.SECONDS).statusCode());
        }

        // Every child ended under its parent, whichever request was written first.
        assertEquals(
                "0 " + traces,
                column("select count(*) filter (where trace_id = id and parent_run_id is not null) || ' '"
                        + " || count(*) filter (where parent_run_id is not null and dotted_order like '%.%')"
                        + " from runs"));
    }

    @Test
    void shouldCompleteAChainOfSubtreesWhoseTopsArriveTogether() {
        Span grandchild = span(TOOL, LLM, "lookup", 4, 5).build();
        assertEquals(
                200,
                post("/v1/traces", PROTOBUF, request(grandchild).toByteArray()).statusCode());
        // The llm span (the grandchild's parent) and the agent (its parent) come in one request.
        assertEquals(
                200,
                post("/v1/traces", PROTOBUF, request(llm(), agent()).toByteArray())
                        .statusCode());

        assertJson(
                """
                {"trace": [{"name": "support_agent", "parentRun": null},
                           {"name": "chat gpt-4o-mini", "parentRun": {"name": "support_agent"}},
                           {"name": "lookup", "parentRun": {"name": "chat gpt-4o-mini"}}]}""", data("query ($id: ID!) { trace(traceId: $id) { name parentRun { name } } }", "id", runId(AGENT)));
    }

    @Test
    void shouldAnnounceRunsWrittenFromSpansToSubscribers() {
        assertEquals(
                200,
                post("/v1/traces", PROTOBUF, request(agent()).toByteArray()).statusCode());
        try (SubscriptionClient client = SubscriptionClient.connect(vertx, RestAssured.port)) {
            String id = client.subscribe(
                    "subscription ($t: ID!) { runUpdated(traceId: $t) { name runType totalTokens parentRun { name } } }",
                    "t",
                    runId(AGENT));
            Span probe = span(HexFormat.of().parseHex("00000000000000ff"), AGENT, "probe", 1, 2)
                    .build();
            client.awaitListening(
                    () -> post("/v1/traces", PROTOBUF, request(probe).toByteArray()));

            post("/v1/traces", PROTOBUF, request(llm()).toByteArray());

            JsonNode event = client.next(id);
            while (event.at("/data/runUpdated/name").asText().equals("probe")) {
                event = client.next(id);
            }
            assertJson("""
                    {"data": {"runUpdated": {"name": "chat gpt-4o-mini", "runType": "LLM", "totalTokens": 150,
                      "parentRun": {"name": "support_agent"}}}}""", event);
        }
    }

    @Test
    void shouldMergeSpansSentTwiceIntoTheSameRuns() {
        byte[] body = request(agent(), llm(), tool()).toByteArray();
        assertEquals(200, post("/v1/traces", PROTOBUF, body).statusCode());
        JsonNode first = tree();
        assertEquals(200, post("/v1/traces", PROTOBUF, body).statusCode());

        assertEquals(first, tree());
        assertEquals(3L, count("select count(*) from runs"));
    }

    @Test
    void shouldReadOtlpJsonWithHexIdsAndAnswerInJson() {
        String body = """
                {"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "json-app"}}]},
                  "scopeSpans": [{"scope": {"name": "manual"}, "spans": [
                    {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "plan",
                     "kind": 1, "startTimeUnixNano": "1746093600000000000", "endTimeUnixNano": "1746093601250000000",
                     "attributes": [{"key": "openinference.span.kind", "value": {"stringValue": "CHAIN"}},
                                    {"key": "llm.token_count.total", "value": {"intValue": "7"}}],
                     "status": {"code": 1}, "someFieldFromANewerSpec": true}]}]}]}""";
        Response response = post("/otel/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8));

        assertEquals(200, response.statusCode(), response::asString);
        assertEquals("application/json", response.contentType());
        assertJson("{}", read(response.asString()));
        assertJson("""
                [{"name": "plan", "runType": "CHAIN", "status": "SUCCESS", "latencySeconds": 1.25, "totalTokens": 7,
                  "otelSpanId": "eee19b7ec3c1b174", "project": {"name": "json-app"}}]""", data("""
                        query ($id: ID!) { trace(traceId: $id) { name runType status latencySeconds totalTokens
                          otelSpanId: extra(path: "$.metadata.\\"otel.span_id\\"") project { name } } }""", "id", runId(AGENT)).get("trace"));
    }

    @Test
    void shouldReadHexIdsUnderProtoFieldNamesToo() {
        String body = """
                {"resource_spans": [{"scope_spans": [{"spans": [
                  {"trace_id": "5b8efff798038103d269b633813fc60c", "span_id": "eee19b7ec3c1b175",
                   "parent_span_id": "eee19b7ec3c1b174", "name": "child", "start_time_unix_nano": "1746093601000000000"}]}]}]}""";
        assertEquals(
                200,
                post("/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8))
                        .statusCode());

        assertJson("""
                {"runs": {"nodes": [{"id": "%s", "parentRunId": "%s"}]}}""".formatted(runId(LLM), runId(AGENT)), data("{ runs { nodes { id parentRunId } } }"));
    }

    @Test
    void shouldTakeGzipBodiesABearerKeyAndTheProjectFromAHeader() throws Exception {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(request(agent()).toByteArray());
        }
        // As OpenLLMetry sends its key: Authorization: Bearer.
        Response response = given().header("Authorization", "Bearer " + io.tracegql.support.Api.KEY)
                .header("Content-Encoding", "gzip")
                .header("Langsmith-Project", "from-header")
                .contentType(PROTOBUF)
                .body(gzipped.toByteArray())
                .post("/api/public/otel/v1/traces");

        assertEquals(200, response.statusCode(), response::asString);
        assertJson(
                "{\"project\": {\"runCount\": 1}, \"other\": null}",
                data(
                        "{ project(name: \"from-header\") { runCount } other: project(name: \"support-bot\") { runCount } }"));
    }

    @Test
    void shouldReportSpansWithoutValidIdsAsRejectedAndWriteTheOthers() {
        Span noSpanId = span(new byte[0], AGENT, "broken", 1, 2).build();
        Span shortTrace = span(LLM, null, "short", 1, 2)
                .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3}))
                .build();
        Response response = post("/v1/traces", "application/json", json(request(agent(), noSpanId, shortTrace)));

        assertEquals(200, response.statusCode(), response::asString);
        assertJson("""
                {"partialSuccess": {"rejectedSpans": "2", "errorMessage": "2 spans were not written:\
                 resourceSpans[0].scopeSpans[0].spans[1]: span_id must be 8 bytes, not all zero (16 hex digits in JSON); got none;\
                 resourceSpans[0].scopeSpans[0].spans[2]: trace_id must be 16 bytes, not all zero (32 hex digits in JSON);\
                 got 3 bytes (010203)"}}""", read(response.asString()));
        assertEquals(1L, count("select count(*) from runs"));
    }

    @Test
    void shouldRefuseMalformedProtobufWithAStatusInProtobufAndWriteNothing() throws Exception {
        byte[] valid = request(agent(), llm()).toByteArray();
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 7);
        Response response = post("/v1/traces", PROTOBUF, truncated);

        assertEquals(400, response.statusCode());
        assertEquals(PROTOBUF, response.contentType());
        UnknownFieldSet status = UnknownFieldSet.parseFrom(response.asByteArray());
        assertEquals(3L, status.getField(1).getVarintList().get(0), "google.rpc.Code INVALID_ARGUMENT");
        assertEquals(
                "the body is not an OTLP ExportTraceServiceRequest in protobuf: While parsing a protocol message,"
                        + " the input ended unexpectedly in the middle of a field.  This could mean either that the"
                        + " input has been truncated or that an embedded message misreported its own length.",
                status.getField(2).getLengthDelimitedList().get(0).toStringUtf8());
        assertEquals(0L, count("select count(*) from runs"));
    }

    @Test
    void shouldRefuseMalformedJsonWithAStatusInJson() {
        Response response =
                post("/v1/traces", "application/json", "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8));

        assertEquals(400, response.statusCode());
        assertJson("""
                {"code": 3, "message": "the body is not valid JSON: Unexpected end-of-input at line 1, column 20"}""", read(response.asString()));
        Response wrongShape = post(
                "/v1/traces",
                "application/json",
                "{\"resourceSpans\": [{\"scopeSpans\": 5}]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, wrongShape.statusCode());
        assertJson("""
                {"code": 3, "message": "the body is not an OTLP ExportTraceServiceRequest in JSON: Expected an array\
                 for scope_spans but found 5"}""", read(wrongShape.asString()));
        assertEquals(0L, count("select count(*) from runs"));
    }

    @Test
    void shouldRefuseOtherContentTypes() {
        Response response = post("/v1/traces", "text/plain", "spans".getBytes(StandardCharsets.UTF_8));

        assertEquals(415, response.statusCode());
        assertJson("""
                {"code": 3, "message": "OTLP/HTTP bodies are application/x-protobuf or application/json, not 'text/plain'"}""", read(response.asString()));
    }

    @Test
    void shouldRefuseRequestsWithoutAKey() {
        Response response = given().contentType(PROTOBUF)
                .body(request(agent()).toByteArray())
                .post("/v1/traces");

        assertEquals(401, response.statusCode());
        assertJson("""
                {"error": "unauthenticated",
                 "message": "an API key is required: send it in the x-api-key header or as Authorization: Bearer <key>"}""", read(response.asString()));
        assertEquals(0L, count("select count(*) from runs"));
    }

    @Test
    void shouldRefuseABodyOverTheSizeLimit() throws Exception {
        Span huge = agent().toBuilder()
                .addAttributes(attribute("input.value", "x".repeat(21 * 1024 * 1024)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(base.toURI().resolve("/v1/traces"))
                                .header("Content-Type", PROTOBUF)
                                .header("x-api-key", io.tracegql.support.Api.KEY)
                                // Not Expect: 100-continue: JDK 17's client then waits forever for the body of a
                                // final answer (BoundedBodiesTest asks first over a socket of its own).
                                .POST(HttpRequest.BodyPublishers.ofByteArray(
                                        request(huge).toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(413, response.statusCode());
        assertEquals(0L, count("select count(*) from runs"));
    }

    @Test
    void shouldWriteARequestWithAFixedNumberOfStatementsWhateverItsSize() {
        long three = Statements.of(
                sql,
                () -> post(
                        "/v1/traces", PROTOBUF, request(agent(), llm(), tool()).toByteArray()));
        Span[] many = new Span[30];
        many[0] = agent();
        for (int i = 1; i < many.length; i++) {
            byte[] id = HexFormat.of().parseHex("aaaaaaaaaaaaaa%02x".formatted(i));
            many[i] = span(id, AGENT, "step " + i, 1, 2).build();
        }
        long thirty = Statements.of(
                sql, () -> post("/v1/traces", PROTOBUF, request(many).toByteArray()));

        assertEquals(three, thirty);
    }

    // --- the trace of these tests --------------------------------------------------------------------

    private static Span agent() {
        return span(AGENT, null, "support_agent", 0, 6)
                .addAttributes(attribute("openinference.span.kind", "AGENT"))
                .addAttributes(attribute("gen_ai.agent.name", "support_agent"))
                .addAttributes(attribute("session.id", "conversation-7"))
                .addAttributes(attribute(
                        "tag.tags",
                        AnyValue.newBuilder()
                                .setArrayValue(io.opentelemetry.proto.common.v1.ArrayValue.newBuilder()
                                        .addValues(text("support")))
                                .build()))
                .addAttributes(attribute("input.value", "{\"question\": \"Where is order 42?\"}"))
                .addAttributes(attribute("output.value", "Order 42 could not be looked up."))
                .build();
    }

    private static Span llm() {
        return span(LLM, AGENT, "chat gpt-4o-mini", 1, 3.5)
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(attribute("gen_ai.operation.name", "chat"))
                .addAttributes(attribute("gen_ai.system", "openai"))
                .addAttributes(attribute("gen_ai.request.model", "gpt-4o-mini"))
                .addAttributes(attribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18"))
                .addAttributes(attribute(
                        "gen_ai.request.temperature",
                        AnyValue.newBuilder().setDoubleValue(0.2).build()))
                .addAttributes(attribute("gen_ai.prompt.0.role", "user"))
                .addAttributes(attribute("gen_ai.prompt.0.content", "Where is order 42?"))
                .addAttributes(attribute("gen_ai.completion.0.role", "assistant"))
                .addAttributes(attribute("gen_ai.completion.0.content", "Let me look it up."))
                .addAttributes(number("gen_ai.usage.input_tokens", 120))
                .addAttributes(number("gen_ai.usage.output_tokens", 30))
                .addAttributes(number("llm.token_count.prompt_details.cache_read", 20))
                .addAttributes(number("llm.token_count.completion_details.reasoning", 5))
                .build();
    }

    private static Span tool() {
        return span(TOOL, AGENT, "execute_tool lookup_order", 4, 5)
                .addAttributes(attribute("traceloop.span.kind", "tool"))
                .addAttributes(attribute("gen_ai.tool.name", "lookup_order"))
                .addAttributes(attribute("traceloop.entity.input", "{\"id\": 42}"))
                .addEvents(Span.Event.newBuilder()
                        .setName("exception")
                        .setTimeUnixNano(nanos(4.5))
                        .addAttributes(attribute("exception.type", "ToolError"))
                        .addAttributes(attribute("exception.message", "order service timed out"))
                        .addAttributes(
                                attribute("exception.stacktrace", "ToolError: order service timed out\n  at lookup")))
                .setStatus(Status.newBuilder()
                        .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                        .setMessage("order service timed out"))
                .build();
    }

    private static Span.Builder span(byte[] id, byte[] parent, String name, double start, double end) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(TRACE))
                .setSpanId(ByteString.copyFrom(id))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(nanos(start))
                .setEndTimeUnixNano(nanos(end));
        if (parent != null) {
            span.setParentSpanId(ByteString.copyFrom(parent));
        }
        return span;
    }

    private static ExportTraceServiceRequest request(Span... spans) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attribute("service.name", "support-bot"))
                                .addAttributes(attribute("deployment.environment", "test")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder()
                                        .setName("agents")
                                        .setVersion("1.2.0"))
                                .addAllSpans(java.util.List.of(spans))))
                .build();
    }

    private static long nanos(double secondsAfterStart) {
        return START.getEpochSecond() * 1_000_000_000L + Math.round(secondsAfterStart * 1_000_000_000L);
    }

    private static KeyValue attribute(String key, String value) {
        return attribute(key, text(value));
    }

    private static KeyValue number(String key, long value) {
        return attribute(key, AnyValue.newBuilder().setIntValue(value).build());
    }

    private static KeyValue attribute(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue text(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    /** OTLP JSON, as exporters write it: the protobuf JSON mapping with hex ids. */
    private static byte[] json(ExportTraceServiceRequest request) {
        try {
            String json = com.google.protobuf.util.JsonFormat.printer().print(request);
            for (Span span : request.getResourceSpans(0).getScopeSpans(0).getSpansList()) {
                json = hexId(json, span.getTraceId());
                json = hexId(json, span.getSpanId());
                json = hexId(json, span.getParentSpanId());
            }
            return json.getBytes(StandardCharsets.UTF_8);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hexId(String json, ByteString id) {
        if (id.isEmpty()) {
            return json;
        }
        String base64 = java.util.Base64.getEncoder().encodeToString(id.toByteArray());
        return json.replace("\"" + base64 + "\"", "\"" + HexFormat.of().formatHex(id.toByteArray()) + "\"");
    }

    private static Response post(String path, String contentType, byte[] body) {
        return api().contentType(contentType).body(body).post(path);
    }

    private static ExportTraceServiceResponse parseResponse(Response response) {
        try {
            return ExportTraceServiceResponse.parseFrom(response.asByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static String runId(byte[] spanId) {
        return io.tracegql.domain.Uuids.ofSpan(TRACE, spanId).toString();
    }

    private JsonNode tree() {
        JsonNode root =
                data(TRACE_QUERY, "filter", "eq(is_root, true)").get("runs").get("nodes");
        assertEquals(1, root.size(), root::toString);
        return data(TREE, "id", root.get(0).get("traceId").asText()).get("trace");
    }

    private String column(String query) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sql.query(query, Tuple.tuple()))
                    .iterator()
                    .next()
                    .getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(query, e);
        }
    }

    private long count(String query) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sql.query(query, Tuple.tuple()))
                    .iterator()
                    .next()
                    .getLong(0);
        } catch (Throwable e) {
            throw new IllegalStateException(query, e);
        }
    }
}
