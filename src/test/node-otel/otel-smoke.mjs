// Sends one nested GenAI trace (agent -> llm call with token usage -> failing tool) to a tracegql
// OTLP/HTTP endpoint through the published OpenTelemetry JS SDK and one of its OTLP exporters.
//
//   OTLP_ENDPOINT   the traces URL, e.g. http://127.0.0.1:8080/otel/v1/traces
//   OTLP_API_KEY    sent as x-api-key
//   OTLP_PROTOCOL   "proto" (exporter-trace-otlp-proto) or "json" (exporter-trace-otlp-http)
//   OTLP_SERVICE    service.name of the resource (the project, when no header names one)
//
// Spans are exported one request each, as they end (children first), with gzip. Prints one JSON
// line {"traceId", "agentSpanId"}; exits 1 when an export failed.
import { context, trace, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';

const { OTLP_ENDPOINT, OTLP_API_KEY, OTLP_PROTOCOL = 'proto', OTLP_SERVICE = 'otel-smoke' } = process.env;
const Exporter = OTLP_PROTOCOL === 'json' ? JsonExporter : ProtoExporter;
const exporter = new Exporter({ url: OTLP_ENDPOINT, headers: { 'x-api-key': OTLP_API_KEY }, compression: 'gzip' });

// Records every export's result: the span processor only logs failures.
const failures = [];
const exportSpans = exporter.export.bind(exporter);
exporter.export = (spans, done) =>
  exportSpans(spans, (result) => {
    if (result.code !== 0) failures.push(String(result.error));
    done(result);
  });

const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': OTLP_SERVICE, 'deployment.environment': 'test' }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
const tracer = provider.getTracer('otel-smoke', '1.0.0');

const at = (seconds) => new Date(Date.UTC(2025, 4, 1, 10, 0, 0) + seconds * 1000);
const under = (span) => trace.setSpan(context.active(), span);

const agent = tracer.startSpan('support_agent', {
  startTime: at(0),
  attributes: {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.name': 'support_agent',
    'session.id': 'conversation-7',
    'input.value': JSON.stringify({ question: 'Where is order 42?' }),
  },
});

const llm = tracer.startSpan(
  'chat gpt-4o-mini',
  {
    startTime: at(1),
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Where is order 42?' }] }]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'tool_call', name: 'lookup_order', arguments: { id: 42 } }] },
      ]),
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.usage.cache_read.input_tokens': 20,
    },
  },
  under(agent),
);
llm.end(at(3.5));

const tool = tracer.startSpan(
  'execute_tool lookup_order',
  {
    startTime: at(4),
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup_order',
      'gen_ai.tool.call.arguments': JSON.stringify({ id: 42 }),
    },
  },
  under(agent),
);
tool.recordException({ name: 'ToolError', message: 'order service timed out' }, at(4.5));
tool.setStatus({ code: SpanStatusCode.ERROR, message: 'order service timed out' });
tool.end(at(5));

agent.setAttribute('output.value', 'Order 42 could not be looked up.');
agent.end(at(6));

await provider.shutdown();
console.log(JSON.stringify({ traceId: agent.spanContext().traceId, agentSpanId: agent.spanContext().spanId }));
if (failures.length > 0) {
  console.error('exports failed: ' + failures.join('; '));
  process.exit(1);
}
