package io.tracegql.ingest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.GraphQL;
import io.tracegql.support.NodeProject;
import io.tracegql.support.PriceFixture;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Exporters nobody here wrote send one nested GenAI trace each (an agent, an llm call with token
 * usage, a tool that fails), every span in a request of its own as it ends, children first: the
 * OpenTelemetry Java SDK's OTLP/HTTP exporter (protobuf, gzip), and the JS SDK's protobuf and JSON
 * exporters ({@code src/test/node-otel}, pinned in its package-lock). The trace is read back through
 * GraphQL.
 */
@QuarkusTest
class OtlpExportersTest {

    private static final NodeProject SDK =
            new NodeProject("src/test/node-otel", "@opentelemetry/exporter-trace-otlp-proto");
    private static final Instant START = Instant.parse("2025-05-01T10:00:00Z");

    private static final String TREE = """
            query ($id: ID!) { trace(traceId: $id) {
              name runType status parentRun { name } latencySeconds inputs outputs threadId
              promptTokens completionTokens totalTokens promptTokenDetails promptCost completionCost totalCost
              model: extra(path: "$.metadata.ls_model_name") provider: extra(path: "$.metadata.ls_provider")
              temperature: extra(path: "$.metadata.\\"gen_ai.request.temperature\\"")
              tool: extra(path: "$.metadata.\\"gen_ai.tool.name\\"")
              service: extra(path: "$.metadata.\\"otel.resource\\".\\"service.name\\"")
              project { name } } }""";

    /**
     * The trace as every exporter sends it; the llm call's cost is estimated from the built-in
     * gpt-4o-mini price: (100 × 0.15 + 20 cached × 0.075) and 30 × 0.60 per million tokens.
     */
    private static final String EXPECTED = """
            [{"name": "support_agent", "runType": "CHAIN", "status": "SUCCESS", "parentRun": null,
              "latencySeconds": 6.0, "inputs": {"question": "Where is order 42?"},
              "outputs": {"output": "Order 42 could not be looked up."}, "threadId": "conversation-7",
              "promptTokens": null, "completionTokens": null, "totalTokens": null, "promptTokenDetails": null,
              "promptCost": null, "completionCost": null, "totalCost": null,
              "model": null, "provider": null, "temperature": null, "tool": null, "service": "%1$s",
              "project": {"name": "%1$s"}},
             {"name": "chat gpt-4o-mini", "runType": "LLM", "status": "SUCCESS", "parentRun": {"name": "support_agent"},
              "latencySeconds": 2.5,
              "inputs": {"messages": [{"role": "user", "parts": [{"type": "text", "content": "Where is order 42?"}]}]},
              "outputs": {"messages": [{"role": "assistant", "parts": [{"type": "tool_call", "name": "lookup_order",
                          "arguments": {"id": 42}}]}]},
              "threadId": null, "promptTokens": 120, "completionTokens": 30, "totalTokens": 150,
              "promptTokenDetails": {"cache_read": 20},
              "promptCost": 0.0000165, "completionCost": 0.000018, "totalCost": 0.0000345,
              "model": "gpt-4o-mini", "provider": "openai", "temperature": 0.2, "tool": null, "service": "%1$s",
              "project": {"name": "%1$s"}},
             {"name": "execute_tool lookup_order", "runType": "TOOL", "status": "ERROR",
              "parentRun": {"name": "support_agent"}, "latencySeconds": 1.0, "inputs": {"id": 42}, "outputs": null,
              "threadId": null, "promptTokens": null, "completionTokens": null, "totalTokens": null,
              "promptTokenDetails": null, "promptCost": null, "completionCost": null, "totalCost": null,
              "model": null, "provider": null, "temperature": null, "tool": "lookup_order", "service": "%1$s",
              "project": {"name": "%1$s"}}]""";

    @Inject
    TraceFixture fixture;

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
    void shouldStoreWhatTheJavaSdkExportsInProtobuf() {
        IllegalStateException failure = new IllegalStateException("order service timed out");
        failure.setStackTrace(new StackTraceElement[0]);
        String traceId = traceWithJavaSdk("java-agent", failure);

        JsonNode trace = trace(traceId);
        String stack = stackTrace(failure);
        assertEquals(
                "java.lang.IllegalStateException: order service timed out\n\n" + stack,
                trace.get(2).get("error").asText());
        assertJson(EXPECTED.formatted("java-agent"), withoutError(trace));
    }

    @Test
    void shouldStoreWhatTheJsSdkExportsInProtobuf() throws Exception {
        JsonNode trace = trace(traceWithJsSdk("proto", "node-proto-agent"));

        assertEquals(
                "ToolError: order service timed out", trace.get(2).get("error").asText());
        assertJson(EXPECTED.formatted("node-proto-agent"), withoutError(trace));
    }

    @Test
    void shouldStoreWhatTheJsSdkExportsInJson() throws Exception {
        JsonNode trace = trace(traceWithJsSdk("json", "node-json-agent"));

        assertEquals(
                "ToolError: order service timed out", trace.get(2).get("error").asText());
        assertJson(EXPECTED.formatted("node-json-agent"), withoutError(trace));
    }

    /** Traces with the Java SDK; returns the trace id (hex). */
    private String traceWithJavaSdk(String service, Exception failure) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(base.toString() + "v1/traces")
                .addHeader("x-api-key", Api.KEY)
                .setCompression("gzip")
                .build();
        RecordingExporter recording = new RecordingExporter(exporter);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
                .addSpanProcessor(SimpleSpanProcessor.create(recording))
                .build();
        Tracer tracer = provider.get("java-smoke", "1.0.0");

        Span agent = tracer.spanBuilder("support_agent")
                .setStartTimestamp(at(0))
                .setAttribute("gen_ai.operation.name", "invoke_agent")
                .setAttribute("gen_ai.agent.name", "support_agent")
                .setAttribute("session.id", "conversation-7")
                .setAttribute("input.value", "{\"question\": \"Where is order 42?\"}")
                .startSpan();
        Context underAgent = Context.root().with(agent);
        Span llm = tracer.spanBuilder("chat gpt-4o-mini")
                .setParent(underAgent)
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(at(1))
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("gen_ai.request.model", "gpt-4o-mini")
                .setAttribute("gen_ai.request.temperature", 0.2)
                .setAttribute(
                        "gen_ai.input.messages",
                        "[{\"role\": \"user\", \"parts\": [{\"type\": \"text\", \"content\": \"Where is order 42?\"}]}]")
                .setAttribute(
                        "gen_ai.output.messages",
                        "[{\"role\": \"assistant\", \"parts\": [{\"type\": \"tool_call\", \"name\": \"lookup_order\","
                                + " \"arguments\": {\"id\": 42}}]}]")
                .setAttribute("gen_ai.usage.input_tokens", 120L)
                .setAttribute("gen_ai.usage.output_tokens", 30L)
                .setAttribute("gen_ai.usage.cache_read.input_tokens", 20L)
                .startSpan();
        llm.end(at(3.5));
        Span tool = tracer.spanBuilder("execute_tool lookup_order")
                .setParent(underAgent)
                .setStartTimestamp(at(4))
                .setAttribute("gen_ai.operation.name", "execute_tool")
                .setAttribute("gen_ai.tool.name", "lookup_order")
                .setAttribute("gen_ai.tool.call.arguments", "{\"id\": 42}")
                .startSpan();
        tool.recordException(failure, Attributes.empty());
        tool.setStatus(StatusCode.ERROR, failure.getMessage());
        tool.end(at(5));
        agent.setAttribute("output.value", "Order 42 could not be looked up.");
        agent.end(at(6));

        provider.forceFlush().join(30, TimeUnit.SECONDS);
        provider.shutdown().join(30, TimeUnit.SECONDS);
        assertEquals(List.of(true, true, true), recording.results, "one export per span, each accepted");
        return agent.getSpanContext().getTraceId();
    }

    /** Traces with the JS SDK and one of its exporters; returns the trace id (hex). */
    private String traceWithJsSdk(String protocol, String service) throws IOException, InterruptedException {
        List<String> lines = SDK.run(
                "otel-smoke.mjs",
                Map.of(
                        "OTLP_ENDPOINT",
                        base.toString() + "otel/v1/traces",
                        "OTLP_API_KEY",
                        Api.KEY,
                        "OTLP_PROTOCOL",
                        protocol,
                        "OTLP_SERVICE",
                        service),
                Duration.ofSeconds(90));
        return GraphQL.read(lines.get(0)).get("traceId").asText();
    }

    /** The runs of the trace whose OpenTelemetry trace id this is, in execution order, with their errors. */
    private static JsonNode trace(String otelTraceId) {
        JsonNode roots = data(
                        "query ($f: String!) { runs(filterExpression: $f) { nodes { traceId } } }",
                        "f",
                        "and(eq(is_root, true), eq(metadata_key, \"otel.trace_id\"), eq(metadata_value, \""
                                + otelTraceId + "\"))")
                .get("runs")
                .get("nodes");
        assertEquals(1, roots.size(), roots::toString);
        JsonNode trace = data(
                        TREE.replace("project { name }", "error project { name }"),
                        "id",
                        roots.get(0).get("traceId").asText())
                .get("trace");
        assertEquals(3, trace.size(), trace::toPrettyString);
        return trace;
    }

    private static JsonNode withoutError(JsonNode trace) {
        JsonNode copy = trace.deepCopy();
        copy.forEach(run -> ((ObjectNode) run).remove("error"));
        return copy;
    }

    private static String stackTrace(Exception e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static Instant at(double seconds) {
        return START.plusMillis(Math.round(seconds * 1000));
    }

    /** Passes spans to the real exporter and keeps whether each export succeeded. */
    private static final class RecordingExporter implements io.opentelemetry.sdk.trace.export.SpanExporter {
        private final OtlpHttpSpanExporter delegate;
        private final List<Boolean> results = new java.util.concurrent.CopyOnWriteArrayList<>();

        RecordingExporter(OtlpHttpSpanExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
            CompletableResultCode result = delegate.export(spans);
            result.whenComplete(() -> results.add(result.isSuccess()));
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }
}
