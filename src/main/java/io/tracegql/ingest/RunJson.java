package io.tracegql.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunStatus;
import io.tracegql.domain.RunType;
import io.tracegql.domain.ThreadId;
import io.tracegql.domain.TokenUsage;
import io.tracegql.domain.Uuids;
import io.tracegql.store.RunRecord;

import static io.tracegql.domain.RunField.COMPLETION_TOKENS;
import static io.tracegql.domain.RunField.COMPLETION_TOKEN_DETAILS;
import static io.tracegql.domain.RunField.DOTTED_ORDER;
import static io.tracegql.domain.RunField.EXTRA;
import static io.tracegql.domain.RunField.NAME;
import static io.tracegql.domain.RunField.OUTPUTS;
import static io.tracegql.domain.RunField.PARENT_RUN_ID;
import static io.tracegql.domain.RunField.PROMPT_TOKENS;
import static io.tracegql.domain.RunField.PROMPT_TOKEN_DETAILS;
import static io.tracegql.domain.RunField.RUN_TYPE;
import static io.tracegql.domain.RunField.START_TIME;
import static io.tracegql.domain.RunField.THREAD_ID;
import static io.tracegql.domain.RunField.TOTAL_TOKENS;
import static io.tracegql.domain.RunField.TRACE_ID;

/**
 * Reads LangSmith run JSON (snake_case, as the SDKs send it) into an {@link IncomingRun}, and writes a
 * run back in the same form ({@link #toJson}), both by the {@link RunField} catalogue: every field a
 * client may send is read by its v1 name and checked by its kind (ids are UUIDs, run types are known,
 * times parse as ISO-8601 strings or epoch milliseconds, payloads have the right JSON shape). Fields
 * split out into their own multipart parts ({@code post.<id>.inputs}...) are merged in with {@link
 * #mergeField}.
 */
final class RunJson {

    /** Fields clients send in the run JSON, in catalogue order. */
    private static final List<RunField> SENT = Arrays.stream(RunField.values())
            .filter(field -> field.origin() == RunField.Origin.CLIENT)
            .toList();

    /** Run fields that multipart requests may send as parts of their own, by name. */
    static final Map<String, RunField> SPLIT_FIELDS = byName(
            RunField.INPUTS, RunField.OUTPUTS, RunField.EVENTS, RunField.EXTRA, RunField.ERROR, RunField.SERIALIZED);

    private final ObjectMapper mapper;

    RunJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    IncomingRun read(String part, JsonNode json, boolean patch, UUID idFromPath) {
        if (json == null || !json.isObject()) {
            throw IngestException.invalid(part, null, "a run must be a JSON object");
        }
        Field f = new Field(part, json);
        UUID id = f.uuid("id");
        if (idFromPath != null) {
            if (id != null && !id.equals(idFromPath)) {
                throw IngestException.invalid(part, "id", "id " + id + " differs from the run id " + idFromPath);
            }
            id = idFromPath;
        }
        if (id == null) {
            throw IngestException.invalid(part, "id", "id is required (a UUID)");
        }
        RunRecord run = new RunRecord().set(RunField.ID, id);
        for (RunField field : SENT) {
            Object value = f.value(field);
            if (value != null) {
                run.set(field, value);
            }
        }
        return new IncomingRun(part, patch, run, f.uuid("session_id"), f.text("session_name"));
    }

    /** Merges a field sent as a part of its own ({@code post.<id>.outputs}) into its run. */
    void mergeField(IncomingRun incoming, String name, String part, JsonNode value) {
        RunField field = SPLIT_FIELDS.get(name);
        if (field == null) {
            throw IngestException.invalid(part, name, "unknown run field part '" + name + "'");
        }
        Object read = new Field(part, mapper.createObjectNode().set(name, value)).value(field);
        if (read != null) {
            incoming.run().set(field, read);
        }
    }

    /**
     * A run as JSON that {@link #read} reads back into the same record: the id and every sent field
     * it has, so that an update kept until its run arrives loses nothing.
     */
    Map<String, Object> toJson(RunRecord run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.id().toString());
        for (RunField field : SENT) {
            Object value = run.get(field);
            if (value != null) {
                json.put(
                        field.v1Name(),
                        value instanceof UUID || value instanceof OffsetDateTime ? value.toString() : value);
            }
        }
        return json;
    }

    /**
     * Fills derived fields that the client left out and checks that what it sent is consistent:
     * token usage from the payloads, the trace id from the dotted order, the dotted order of a root.
     */
    static void complete(IncomingRun incoming) {
        RunRecord run = incoming.run();
        String part = incoming.part();
        if (run.get(PROMPT_TOKENS) == null && run.get(COMPLETION_TOKENS) == null && run.get(TOTAL_TOKENS) == null) {
            TokenUsage usage = TokenUsage.find(run.get(OUTPUTS), run.get(EXTRA));
            if (usage != null) {
                run.set(PROMPT_TOKENS, usage.promptTokens())
                        .set(COMPLETION_TOKENS, usage.completionTokens())
                        .set(TOTAL_TOKENS, usage.totalTokens())
                        .set(
                                PROMPT_TOKEN_DETAILS,
                                run.get(PROMPT_TOKEN_DETAILS) != null
                                        ? run.get(PROMPT_TOKEN_DETAILS)
                                        : usage.promptTokenDetails())
                        .set(
                                COMPLETION_TOKEN_DETAILS,
                                run.get(COMPLETION_TOKEN_DETAILS) != null
                                        ? run.get(COMPLETION_TOKEN_DETAILS)
                                        : usage.completionTokenDetails());
            }
        }
        if (run.get(THREAD_ID) == null) {
            String thread = ThreadId.fromExtra(run.get(EXTRA));
            if (thread != null) {
                run.set(THREAD_ID, thread);
            }
        }
        UUID traceId = run.get(TRACE_ID);
        UUID parentRunId = run.get(PARENT_RUN_ID);
        String dottedOrder = run.get(DOTTED_ORDER);
        if (dottedOrder != null) {
            List<UUID> ids = DottedOrder.runIds(dottedOrder);
            if (!ids.get(ids.size() - 1).equals(run.id())) {
                throw IngestException.invalid(
                        part, "dotted_order", "the last segment of dotted_order must be the run id " + run.id());
            }
            if (traceId != null && !ids.get(0).equals(traceId)) {
                throw IngestException.invalid(
                        part,
                        "trace_id",
                        "trace_id " + traceId + " is not the first run of dotted_order (" + ids.get(0) + ")");
            }
            if (ids.size() > 1
                    && parentRunId != null
                    && !ids.get(ids.size() - 2).equals(parentRunId)) {
                throw IngestException.invalid(
                        part,
                        "parent_run_id",
                        "parent_run_id " + parentRunId + " is not the parent in dotted_order ("
                                + ids.get(ids.size() - 2) + ")");
            }
            run.set(TRACE_ID, ids.get(0));
            if (ids.size() > 1 && parentRunId == null) {
                run.set(PARENT_RUN_ID, ids.get(ids.size() - 2));
            }
        }
        if (incoming.patch()) {
            return;
        }
        if (run.get(NAME) == null) {
            throw IngestException.invalid(part, "name", "name is required");
        }
        if (run.get(RUN_TYPE) == null) {
            throw IngestException.invalid(part, "run_type", "run_type is required: one of " + runTypes());
        }
        if (run.get(START_TIME) == null) {
            run.set(START_TIME, OffsetDateTime.now(ZoneOffset.UTC));
        }
        if (run.get(PARENT_RUN_ID) == null) {
            if (run.get(TRACE_ID) != null && !run.get(TRACE_ID).equals(run.id())) {
                throw IngestException.invalid(
                        part, "trace_id", "a run without a parent starts its own trace: trace_id must equal id");
            }
            run.set(TRACE_ID, run.id());
            if (run.get(DOTTED_ORDER) == null) {
                run.set(DOTTED_ORDER, DottedOrder.of(null, run.get(START_TIME), run.id()));
            }
        }
    }

    private static Map<String, RunField> byName(RunField... fields) {
        Map<String, RunField> byName = new TreeMap<>();
        for (RunField field : fields) {
            byName.put(field.v1Name(), field);
        }
        return Collections.unmodifiableMap(byName);
    }

    private static String knownRunType(String part, String value) {
        try {
            return RunType.fromWireName(value).wireName();
        } catch (IllegalArgumentException e) {
            throw IngestException.invalid(part, "run_type", "unknown run_type '" + value + "': one of " + runTypes());
        }
    }

    private static String knownStatus(String part, String value) {
        try {
            return RunStatus.fromWireName(value).wireName();
        } catch (IllegalArgumentException e) {
            throw IngestException.invalid(
                    part, "status", "unknown status '" + value + "': one of success, error, pending");
        }
    }

    private static String runTypes() {
        List<String> names = new ArrayList<>();
        for (RunType type : RunType.values()) {
            names.add(type.wireName());
        }
        return String.join(", ", names);
    }

    /** Typed, checked access to the fields of one JSON object; absent and null both read as null. */
    private final class Field {
        private final String part;
        private final JsonNode json;

        Field(String part, JsonNode json) {
            this.part = part;
            this.json = json;
        }

        /** The field's value as the Java type of its kind; null when it is absent or null. */
        Object value(RunField field) {
            String name = field.v1Name();
            return switch (field.kind()) {
                case UUID -> uuid(name);
                case TEXT -> text(name);
                case RUN_TYPE -> {
                    String value = text(name);
                    yield value == null ? null : knownRunType(part, value);
                }
                case STATUS -> {
                    String value = text(name);
                    yield value == null ? null : knownStatus(part, value);
                }
                case DOTTED_ORDER -> {
                    String value = text(name);
                    String problem = value == null ? null : DottedOrder.problem(value);
                    if (problem != null) {
                        throw IngestException.invalid(part, name, name + " " + problem);
                    }
                    yield value;
                }
                case ERROR_TEXT -> errorText(name);
                case TIME -> time(name);
                case DOUBLE -> {
                    BigDecimal value = decimal(name);
                    if (value != null && !Double.isFinite(value.doubleValue())) {
                        throw wrong(name, "a number within the range of a double", node(name));
                    }
                    yield value == null ? null : value.doubleValue();
                }
                case INTEGER -> integer(name);
                case DECIMAL -> decimal(name);
                case BOOLEAN -> bool(name);
                case TEXT_ARRAY -> strings(name);
                case JSON -> payload(name);
                case JSON_OBJECT -> object(name);
                case JSON_ARRAY -> array(name);
                case FEEDBACK_STATS -> throw new IllegalArgumentException(field + " is not sent by clients");
            };
        }

        private JsonNode node(String name) {
            JsonNode node = json.get(name);
            return node == null || node.isNull() ? null : node;
        }

        private IngestException wrong(String name, String expected, JsonNode node) {
            String shown = node.toString();
            if (shown.length() > 80) {
                shown = shown.substring(0, 77) + "...";
            }
            return IngestException.invalid(part, name, name + " must be " + expected + ", got " + shown);
        }

        String text(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                throw wrong(name, "a string", node);
            }
            return node.asText();
        }

        /** An error may arrive as a string or, from some clients, as a structured object. */
        String errorText(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            return node.isTextual() ? node.asText() : node.toString();
        }

        UUID uuid(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            UUID id = node.isTextual() ? Uuids.parseOrNull(node.asText()) : null;
            if (id != null) {
                return id;
            }
            throw wrong(name, "a UUID", node);
        }

        OffsetDateTime time(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            if (node.isNumber()) {
                OffsetDateTime time = epochMillis(bounded(node));
                if (time != null) {
                    return time;
                }
            }
            if (node.isTextual()) {
                String text = node.asText().strip();
                try {
                    if (text.matches("\\d+(\\.\\d+)?")) {
                        OffsetDateTime time = epochMillis(bounded(new BigDecimal(text)));
                        if (time != null) {
                            return time;
                        }
                    }
                    try {
                        return OffsetDateTime.parse(text);
                    } catch (DateTimeParseException e) {
                        // LangSmith's Python client sends naive UTC times.
                        return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
                    }
                } catch (DateTimeParseException e) {
                    // reported below
                }
            }
            throw wrong(name, "an ISO-8601 time (2024-05-01T10:00:00Z) or epoch milliseconds", node);
        }

        /** The time of epoch milliseconds; null when no time is that many milliseconds from 1970. */
        private OffsetDateTime epochMillis(BigDecimal millis) {
            if (millis == null) {
                return null;
            }
            try {
                BigDecimal micros = millis.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP);
                Instant instant = Instant.EPOCH.plus(micros.longValueExact(), java.time.temporal.ChronoUnit.MICROS);
                return instant.atOffset(ZoneOffset.UTC);
            } catch (ArithmeticException | java.time.DateTimeException e) {
                return null;
            }
        }

        /**
         * A JSON number as a decimal, or null when it is not one a column can hold: infinite (a double
         * past its range, such as 1e400), or with more than {@link RunField#MAX_DIGITS} digits before or after
         * the point, which no stored value has and which would cost time to compute with.
         */
        private static BigDecimal bounded(JsonNode node) {
            if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) && !node.isBigDecimal()) {
                return null;
            }
            return bounded(node.decimalValue());
        }

        private static BigDecimal bounded(BigDecimal value) {
            if (value.precision() - value.scale() > RunField.MAX_DIGITS || value.scale() > RunField.MAX_DIGITS) {
                return null;
            }
            return value;
        }

        Integer integer(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
                throw wrong(name, "a whole number of 0 or more", node);
            }
            return node.asInt();
        }

        BigDecimal decimal(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            BigDecimal value = null;
            if (node.isNumber()) {
                value = bounded(node);
            } else if (node.isTextual()) {
                try {
                    value = bounded(new BigDecimal(node.asText()));
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            if (value != null) {
                return value;
            }
            throw wrong(name, "a decimal number", node);
        }

        Boolean bool(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            if (!node.isBoolean()) {
                throw wrong(name, "true or false", node);
            }
            return node.asBoolean();
        }

        List<String> strings(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            if (!node.isArray()) {
                throw wrong(name, "an array of strings", node);
            }
            List<String> values = new ArrayList<>();
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                JsonNode element = it.next();
                if (!element.isTextual()) {
                    throw wrong(name, "an array of strings", node);
                }
                values.add(element.asText());
            }
            return values;
        }

        Object payload(String name) {
            JsonNode node = node(name);
            return node == null ? null : mapper.convertValue(node, Object.class);
        }

        Map<?, ?> object(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            if (!node.isObject()) {
                throw wrong(name, "a JSON object", node);
            }
            return mapper.convertValue(node, Map.class);
        }

        List<?> array(String name) {
            JsonNode node = node(name);
            if (node == null) {
                return null;
            }
            if (!node.isArray()) {
                throw wrong(name, "a JSON array", node);
            }
            return mapper.convertValue(node, List.class);
        }
    }
}
