package io.tracegql.ingest;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import io.tracegql.domain.RunField;
import io.tracegql.domain.Uuids;
import io.tracegql.ingest.OtlpAttributes.Read;
import io.tracegql.ingest.OtlpAttributes.Rule;
import io.tracegql.ingest.OtlpAttributes.Scope;
import io.tracegql.ingest.OtlpAttributes.Target;
import io.tracegql.store.RunRecord;

/**
 * Turns the spans of one OTLP export request into the runs of one {@link IngestBatch}, by the table
 * of {@link OtlpAttributes}: ids become run ids ({@link Uuids#ofSpan}), the parent span the parent run,
 * times, status, exception events and events the run's own fields, and every attribute that no rule
 * took, the resource, the scope and the OpenTelemetry ids its metadata. Spans that cannot be runs (ids
 * missing or of the wrong length, no start time) are left out and counted, as OTLP's partial success
 * reports them; the others are written together.
 */
final class OtlpSpans {

    /** What a request becomes: the runs to write and the spans refused, with why (the first few). */
    record Conversion(IngestBatch batch, int rejected, String rejectedMessage) {}

    private static final int TRACE_ID_BYTES = 16;
    private static final int SPAN_ID_BYTES = 8;
    /** How many reasons of refused spans the answer lists. */
    private static final int LISTED_REJECTIONS = 5;

    private static final String DEFAULT_RUN_TYPE = "chain";
    private static final String EXCEPTION_EVENT = "exception";
    private static final HexFormat HEX = HexFormat.of();

    private final ObjectMapper mapper;

    OtlpSpans(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The runs of a request; {@code project} is the project a header named, or null. */
    Conversion read(ExportTraceServiceRequest request, String project) {
        List<IncomingRun> posts = new ArrayList<>();
        Set<Long> traces = new TreeSet<>();
        List<String> rejections = new ArrayList<>();
        int rejected = 0;
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans resourceSpans = request.getResourceSpans(r);
            Map<String, AnyValue> resource =
                    attributes(resourceSpans.getResource().getAttributesList());
            String runProject = project != null ? project : resourceProject(resource);
            for (int s = 0; s < resourceSpans.getScopeSpansCount(); s++) {
                ScopeSpans scopeSpans = resourceSpans.getScopeSpans(s);
                for (int i = 0; i < scopeSpans.getSpansCount(); i++) {
                    String part = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
                    Span span = scopeSpans.getSpans(i);
                    String problem = problem(span);
                    if (problem != null) {
                        rejected++;
                        if (rejections.size() < LISTED_REJECTIONS) {
                            rejections.add(part + ": " + problem);
                        }
                        continue;
                    }
                    IncomingRun run = new IncomingRun(part, false, run(span, resource, scopeSpans), null, runProject);
                    RunJson.complete(run);
                    posts.add(run);
                    traces.add(lockKey(span.getTraceId()));
                }
            }
        }
        String message = rejected == 0
                ? ""
                : rejected + (rejected == 1 ? " span was" : " spans were") + " not written: "
                        + String.join("; ", rejections) + (rejected > rejections.size() ? "; ..." : "");
        return new Conversion(
                new IngestBatch(
                        posts, List.of(), List.of(), List.of(), IngestBatch.Parents.MAY_FOLLOW, List.copyOf(traces)),
                rejected,
                message);
    }

    /** The write lock of a trace: spans of one trace are written one request after another. */
    private static long lockKey(ByteString traceId) {
        ByteBuffer id = traceId.asReadOnlyByteBuffer();
        return id.getLong(0) ^ id.getLong(SPAN_ID_BYTES);
    }

    /** Why a span cannot become a run, or null. */
    private static String problem(Span span) {
        if (span.getTraceId().size() != TRACE_ID_BYTES || isZero(span.getTraceId())) {
            return "trace_id must be 16 bytes, not all zero (32 hex digits in JSON); got " + shown(span.getTraceId());
        }
        if (span.getSpanId().size() != SPAN_ID_BYTES || isZero(span.getSpanId())) {
            return "span_id must be 8 bytes, not all zero (16 hex digits in JSON); got " + shown(span.getSpanId());
        }
        if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != SPAN_ID_BYTES) {
            return "parent_span_id must be empty or 8 bytes (16 hex digits in JSON); got "
                    + shown(span.getParentSpanId());
        }
        if (span.getParentSpanId().equals(span.getSpanId())) {
            return "parent_span_id is the span's own span_id";
        }
        if (span.getStartTimeUnixNano() == 0) {
            return "start_time_unix_nano is required";
        }
        return null;
    }

    private RunRecord run(Span span, Map<String, AnyValue> resource, ScopeSpans scope) {
        byte[] traceId = span.getTraceId().toByteArray();
        UUID id = Uuids.ofSpan(traceId, span.getSpanId().toByteArray());
        Map<String, AnyValue> attributes = attributes(span.getAttributesList());
        Mapped mapped = map(attributes);
        RunRecord run = new RunRecord()
                .set(RunField.ID, id)
                .set(RunField.NAME, span.getName().isBlank() ? "span" : span.getName())
                .set(RunField.RUN_TYPE, mapped.text(Target.RUN_TYPE, DEFAULT_RUN_TYPE))
                .set(RunField.START_TIME, time(span.getStartTimeUnixNano()));
        if (hasParent(span)) {
            run.set(
                    RunField.PARENT_RUN_ID,
                    Uuids.ofSpan(traceId, span.getParentSpanId().toByteArray()));
        }
        if (span.getEndTimeUnixNano() != 0) {
            run.set(RunField.END_TIME, time(span.getEndTimeUnixNano()));
        }
        setIfPresent(run, RunField.INPUTS, mapped.value(Target.INPUTS));
        setIfPresent(run, RunField.OUTPUTS, mapped.value(Target.OUTPUTS));
        setIfPresent(run, RunField.PROMPT_TOKENS, mapped.value(Target.PROMPT_TOKENS));
        setIfPresent(run, RunField.COMPLETION_TOKENS, mapped.value(Target.COMPLETION_TOKENS));
        setIfPresent(run, RunField.TOTAL_TOKENS, mapped.value(Target.TOTAL_TOKENS));
        setIfPresent(run, RunField.PROMPT_TOKEN_DETAILS, nonEmpty(mapped.named(Target.PROMPT_TOKEN_DETAIL)));
        setIfPresent(run, RunField.COMPLETION_TOKEN_DETAILS, nonEmpty(mapped.named(Target.COMPLETION_TOKEN_DETAIL)));
        setIfPresent(run, RunField.TAGS, mapped.value(Target.TAGS));
        setIfPresent(run, RunField.ERROR, error(span));
        if (span.getEventsCount() > 0) {
            run.set(RunField.EVENTS, events(span));
        }
        run.set(RunField.EXTRA, Map.of("metadata", metadata(span, attributes, mapped, resource, scope)));
        return run;
    }

    private Map<String, Object> metadata(
            Span span,
            Map<String, AnyValue> attributes,
            Mapped mapped,
            Map<String, AnyValue> resource,
            ScopeSpans scope) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            if (!mapped.taken.contains(key)) {
                metadata.put(key, plain(value));
            }
        });
        Object object = mapped.value(Target.METADATA);
        if (object instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> metadata.put(String.valueOf(key), value));
        }
        metadata.putAll(mapped.named(Target.METADATA_ENTRY));
        // Where LangSmith SDKs put the model, so that costs are estimated as for any llm run.
        putIfPresent(metadata, "ls_model_name", mapped.value(Target.MODEL));
        putIfPresent(metadata, "ls_provider", mapped.value(Target.PROVIDER));
        metadata.put("otel.trace_id", HEX.formatHex(span.getTraceId().toByteArray()));
        metadata.put("otel.span_id", HEX.formatHex(span.getSpanId().toByteArray()));
        if (hasParent(span)) {
            metadata.put(
                    "otel.parent_span_id", HEX.formatHex(span.getParentSpanId().toByteArray()));
        }
        metadata.put("otel.span_kind", spanKind(span));
        if (!span.getStatus().getMessage().isEmpty()
                && span.getStatus().getCode() != Status.StatusCode.STATUS_CODE_ERROR) {
            metadata.put("otel.status_message", span.getStatus().getMessage());
        }
        if (!scope.getScope().getName().isEmpty()) {
            metadata.put("otel.scope.name", scope.getScope().getName());
        }
        if (!scope.getScope().getVersion().isEmpty()) {
            metadata.put("otel.scope.version", scope.getScope().getVersion());
        }
        if (!resource.isEmpty()) {
            Map<String, Object> plainResource = new LinkedHashMap<>();
            resource.forEach((key, value) -> plainResource.put(key, plain(value)));
            metadata.put("otel.resource", plainResource);
        }
        if (span.getLinksCount() > 0) {
            List<Object> links = new ArrayList<>();
            for (Span.Link link : span.getLinksList()) {
                Map<String, Object> plainLink = new LinkedHashMap<>();
                plainLink.put("trace_id", HEX.formatHex(link.getTraceId().toByteArray()));
                plainLink.put("span_id", HEX.formatHex(link.getSpanId().toByteArray()));
                if (link.getAttributesCount() > 0) {
                    plainLink.put("attributes", plainAttributes(link.getAttributesList()));
                }
                links.add(plainLink);
            }
            metadata.put("otel.links", links);
        }
        return metadata;
    }

    /** The values the rules took from a span's attributes, by target, and the attributes they took. */
    private static final class Mapped {
        private final Map<Target, Object> values = new EnumMap<>(Target.class);
        private final Map<Target, Map<String, Object>> namedValues = new EnumMap<>(Target.class);
        private final Set<String> taken = new HashSet<>();

        boolean has(Rule rule) {
            return rule.target().entries()
                    ? named(rule.target()).containsKey(rule.name())
                    : values.containsKey(rule.target());
        }

        void put(Rule rule, Object value) {
            if (rule.target().entries()) {
                namedValues
                        .computeIfAbsent(rule.target(), t -> new LinkedHashMap<>())
                        .put(rule.name(), value);
            } else {
                values.put(rule.target(), value);
            }
        }

        Object value(Target target) {
            return values.get(target);
        }

        String text(Target target, String otherwise) {
            Object value = values.get(target);
            return value == null ? otherwise : (String) value;
        }

        /** The entries rules supplied to a target of entries; empty when none did. */
        Map<String, Object> named(Target target) {
            return namedValues.getOrDefault(target, Map.of());
        }
    }

    private Mapped map(Map<String, AnyValue> attributes) {
        Mapped mapped = new Mapped();
        for (Rule rule : OtlpAttributes.RULES) {
            if (rule.scope() != Scope.SPAN || mapped.has(rule)) {
                continue;
            }
            if (rule.read() == Read.NUMBERED_MESSAGES) {
                Object messages = numberedMessages(rule.key(), attributes, mapped.taken);
                if (messages != null) {
                    mapped.put(rule, messages);
                }
                continue;
            }
            AnyValue value = attributes.get(rule.key());
            if (value == null) {
                continue;
            }
            Object read = read(rule, value);
            if (read != null) {
                mapped.put(rule, read);
                mapped.taken.add(rule.key());
            }
        }
        return mapped;
    }

    private static String resourceProject(Map<String, AnyValue> resource) {
        for (Rule rule : OtlpAttributes.RULES) {
            if (rule.scope() == Scope.RESOURCE && rule.target() == Target.PROJECT) {
                AnyValue value = resource.get(rule.key());
                if (value != null
                        && value.hasStringValue()
                        && !value.getStringValue().isBlank()) {
                    return value.getStringValue().strip();
                }
            }
        }
        return null;
    }

    /** The value an attribute supplies to its rule's target, or null when it supplies none. */
    private Object read(Rule rule, AnyValue value) {
        return switch (rule.read()) {
            case TEXT -> {
                Object plain = plain(value);
                yield plain instanceof String text
                        ? (text.isBlank() ? null : text)
                        : plain instanceof Long n ? n.toString() : null;
            }
            case INTEGER -> integer(value);
            case PAYLOAD -> payload(value, rule.name());
            case MESSAGES -> {
                Object parsed = value.hasStringValue() ? json(value.getStringValue()) : plain(value);
                yield parsed instanceof List<?> list ? Map.of("messages", list) : null;
            }
            case KIND -> {
                if (!value.hasStringValue()) {
                    yield null;
                }
                String kind = value.getStringValue().strip();
                String type = rule.values().get(kind);
                if (type == null) {
                    for (Map.Entry<String, String> entry : rule.values().entrySet()) {
                        if (entry.getKey().equalsIgnoreCase(kind)) {
                            type = entry.getValue();
                        }
                    }
                }
                yield type;
            }
            case STRINGS -> {
                List<String> strings = new ArrayList<>();
                if (value.hasStringValue()) {
                    for (String tag : value.getStringValue().split(",")) {
                        if (!tag.isBlank()) {
                            strings.add(tag.strip());
                        }
                    }
                } else if (value.hasArrayValue()) {
                    for (AnyValue item : value.getArrayValue().getValuesList()) {
                        if (item.hasStringValue() && !item.getStringValue().isBlank()) {
                            strings.add(item.getStringValue());
                        }
                    }
                }
                yield strings.isEmpty() ? null : strings;
            }
            case OBJECT -> {
                Object parsed = value.hasStringValue() ? json(value.getStringValue()) : plain(value);
                yield parsed instanceof Map<?, ?> ? parsed : null;
            }
            case NUMBERED_MESSAGES -> throw new IllegalArgumentException("numbered messages span several attributes");
        };
    }

    /** {@code <prefix>.<n>.<field>} attributes as {@code {"messages": [{field: value...}...]}}, in order of n. */
    private static Object numberedMessages(String prefix, Map<String, AnyValue> attributes, Set<String> taken) {
        Map<Integer, Map<String, Object>> messages = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, AnyValue> attribute : attributes.entrySet()) {
            String key = attribute.getKey();
            if (!key.startsWith(prefix + ".")) {
                continue;
            }
            String[] pieces = key.substring(prefix.length() + 1).split("\\.", 2);
            if (pieces.length < 2 || !pieces[0].matches("\\d{1,6}")) {
                continue;
            }
            messages.computeIfAbsent(Integer.valueOf(pieces[0]), n -> new LinkedHashMap<>())
                    .put(pieces[1], plain(attribute.getValue()));
            keys.add(key);
        }
        if (messages.isEmpty()) {
            return null;
        }
        taken.addAll(keys);
        return Map.of("messages", new ArrayList<>(messages.values()));
    }

    private Object payload(AnyValue value, String name) {
        Object plain = value.hasStringValue() ? json(value.getStringValue()) : plain(value);
        if (plain == null) {
            plain = plain(value);
        }
        if (plain == null) {
            return null;
        }
        return plain instanceof Map<?, ?> ? plain : Map.of(name, plain);
    }

    /** A string that holds a JSON object or array, parsed; null for any other string. */
    private Object json(String text) {
        String stripped = text.strip();
        if (!stripped.startsWith("{") && !stripped.startsWith("[")) {
            return null;
        }
        try {
            return mapper.readValue(stripped, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Integer integer(AnyValue value) {
        long number;
        if (value.hasIntValue()) {
            number = value.getIntValue();
        } else if (value.hasDoubleValue() && value.getDoubleValue() == Math.rint(value.getDoubleValue())) {
            number = (long) value.getDoubleValue();
        } else if (value.hasStringValue() && value.getStringValue().strip().matches("\\d{1,10}")) {
            number = Long.parseLong(value.getStringValue().strip());
        } else {
            return null;
        }
        return number < 0 || number > Integer.MAX_VALUE ? null : (int) number;
    }

    /** The error of a span whose status is ERROR: its last exception event, else the status message. */
    private static String error(Span span) {
        if (span.getStatus().getCode() != Status.StatusCode.STATUS_CODE_ERROR) {
            return null;
        }
        for (int i = span.getEventsCount() - 1; i >= 0; i--) {
            Span.Event event = span.getEvents(i);
            if (!event.getName().equals(EXCEPTION_EVENT)) {
                continue;
            }
            Map<String, AnyValue> attributes = attributes(event.getAttributesList());
            String type = text(attributes.get("exception.type"));
            String message = text(attributes.get("exception.message"));
            String stacktrace = text(attributes.get("exception.stacktrace"));
            StringBuilder error = new StringBuilder();
            if (type != null) {
                error.append(type);
            }
            if (message != null) {
                error.append(error.isEmpty() ? "" : ": ").append(message);
            }
            if (stacktrace != null) {
                error.append(error.isEmpty() ? "" : "\n\n").append(stacktrace);
            }
            if (!error.isEmpty()) {
                return error.toString();
            }
        }
        String message = span.getStatus().getMessage();
        return message.isBlank() ? "the span ended with status ERROR" : message;
    }

    /** Span events as LangSmith run events: name, time and attributes as kwargs. */
    private static List<Object> events(Span span) {
        List<Object> events = new ArrayList<>(span.getEventsCount());
        for (Span.Event event : span.getEventsList()) {
            Map<String, Object> plainEvent = new LinkedHashMap<>();
            plainEvent.put("name", event.getName());
            plainEvent.put("time", time(event.getTimeUnixNano()).toString());
            if (event.getAttributesCount() > 0) {
                plainEvent.put("kwargs", plainAttributes(event.getAttributesList()));
            }
            events.add(plainEvent);
        }
        return events;
    }

    private static String spanKind(Span span) {
        return switch (span.getKind()) {
            case SPAN_KIND_INTERNAL -> "internal";
            case SPAN_KIND_SERVER -> "server";
            case SPAN_KIND_CLIENT -> "client";
            case SPAN_KIND_PRODUCER -> "producer";
            case SPAN_KIND_CONSUMER -> "consumer";
            default -> "unspecified";
        };
    }

    /** Attributes by key; of a key sent twice, the last value counts. */
    private static Map<String, AnyValue> attributes(List<KeyValue> attributes) {
        Map<String, AnyValue> byKey = new LinkedHashMap<>();
        attributes.forEach(attribute -> byKey.put(attribute.getKey(), attribute.getValue()));
        return byKey;
    }

    private static Map<String, Object> plainAttributes(List<KeyValue> attributes) {
        Map<String, Object> plain = new LinkedHashMap<>();
        attributes.forEach(attribute -> plain.put(attribute.getKey(), plain(attribute.getValue())));
        return plain;
    }

    /** An attribute value as plain Java JSON (bytes as base64), or null when it holds none. */
    private static Object plain(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> Double.isFinite(value.getDoubleValue()) ? value.getDoubleValue() : null;
            case BYTES_VALUE ->
                Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                List<Object> items = new ArrayList<>();
                value.getArrayValue().getValuesList().forEach(item -> items.add(plain(item)));
                yield items;
            }
            case KVLIST_VALUE -> plainAttributes(value.getKvlistValue().getValuesList());
            default -> null;
        };
    }

    private static String text(AnyValue value) {
        return value != null
                        && value.hasStringValue()
                        && !value.getStringValue().isBlank()
                ? value.getStringValue()
                : null;
    }

    private static boolean hasParent(Span span) {
        return !span.getParentSpanId().isEmpty() && !isZero(span.getParentSpanId());
    }

    private static OffsetDateTime time(long unixNanos) {
        // Runs keep microseconds, like PostgreSQL and dotted orders.
        return Instant.ofEpochSecond(0, unixNanos)
                .truncatedTo(ChronoUnit.MICROS)
                .atOffset(ZoneOffset.UTC);
    }

    private static boolean isZero(ByteString id) {
        for (int i = 0; i < id.size(); i++) {
            if (id.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String shown(ByteString id) {
        return id.isEmpty()
                ? "none"
                : id.size() + " bytes (" + HEX.formatHex(id.toByteArray()).toLowerCase(Locale.ROOT) + ")";
    }

    private static Map<String, Object> nonEmpty(Map<String, Object> entries) {
        return entries.isEmpty() ? null : entries;
    }

    private static void setIfPresent(RunRecord run, RunField field, Object value) {
        if (value != null) {
            run.set(field, value);
        }
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
