package io.tracegql.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.RunStatus;
import io.tracegql.domain.RunType;
import io.tracegql.domain.TokenUsage;
import io.tracegql.domain.Uuids;
import io.tracegql.store.RunRecord;

/**
 * Reads LangSmith run JSON (snake_case, as the SDKs send it) into an {@link IncomingRun}, checking
 * every field it reads: ids are UUIDs, run types are known, times parse (ISO-8601 strings or epoch
 * milliseconds), payloads have the right JSON shape. Fields split out into their own multipart parts
 * ({@code post.<id>.inputs}...) are merged in with {@link #mergeField}.
 */
final class RunJson {

    /** Run fields that multipart requests may send as parts of their own. */
    static final Set<String> SPLIT_FIELDS = Set.of("inputs", "outputs", "events", "extra", "error", "serialized");

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
        RunRecord run = new RunRecord().id(id);
        run.traceId(f.uuid("trace_id"))
                .parentRunId(f.uuid("parent_run_id"))
                .dottedOrder(f.text("dotted_order"))
                .name(f.text("name"))
                .startTime(f.time("start_time"))
                .endTime(f.time("end_time"))
                .firstTokenTime(f.time("first_token_time"))
                .inputs(f.payload("inputs"))
                .outputs(f.payload("outputs"))
                .error(f.errorText("error"))
                .extra(f.object("extra"))
                .events(f.array("events"))
                .tags(f.strings("tags"))
                .serialized(f.object("serialized"))
                .manifestId(f.uuid("manifest_id"))
                .promptTokens(f.integer("prompt_tokens"))
                .completionTokens(f.integer("completion_tokens"))
                .totalTokens(f.integer("total_tokens"))
                .promptTokenDetails(f.object("prompt_token_details"))
                .completionTokenDetails(f.object("completion_token_details"))
                .promptCost(f.decimal("prompt_cost"))
                .completionCost(f.decimal("completion_cost"))
                .totalCost(f.decimal("total_cost"))
                .promptCostDetails(f.object("prompt_cost_details"))
                .completionCostDetails(f.object("completion_cost_details"))
                .referenceExampleId(f.uuid("reference_example_id"))
                .referenceDatasetId(f.uuid("reference_dataset_id"))
                .threadId(f.text("thread_id"))
                .threadEvaluationTime(f.time("thread_evaluation_time"))
                .appPath(f.text("app_path"))
                .priceModelId(f.uuid("price_model_id"))
                .attachments(f.object("attachments"))
                .inputsS3Urls(f.object("inputs_s3_urls"))
                .outputsS3Urls(f.object("outputs_s3_urls"))
                .inDataset(f.bool("in_dataset"));
        String runType = f.text("run_type");
        if (runType != null) {
            run.runType(knownRunType(part, runType));
        }
        String status = f.text("status");
        if (status != null) {
            run.status(knownStatus(part, status));
        }
        if (run.dottedOrder() != null) {
            String problem = DottedOrder.problem(run.dottedOrder());
            if (problem != null) {
                throw IngestException.invalid(part, "dotted_order", "dotted_order " + problem);
            }
        }
        return new IncomingRun(part, patch, run, f.uuid("session_id"), f.text("session_name"));
    }

    /** Merges a field sent as a part of its own ({@code post.<id>.outputs}) into its run. */
    void mergeField(IncomingRun incoming, String field, String part, JsonNode value) {
        Field f = new Field(part, mapper.createObjectNode().set(field, value));
        RunRecord run = incoming.run();
        switch (field) {
            case "inputs" -> run.inputs(f.payload(field));
            case "outputs" -> run.outputs(f.payload(field));
            case "events" -> run.events(f.array(field));
            case "extra" -> run.extra(f.object(field));
            case "error" -> run.error(f.errorText(field));
            case "serialized" -> run.serialized(f.object(field));
            default -> throw IngestException.invalid(part, field, "unknown run field part '" + field + "'");
        }
    }

    /**
     * Fills derived fields that the client left out and checks that what it sent is consistent:
     * token usage from the payloads, the trace id from the dotted order, the dotted order of a root.
     */
    static void complete(IncomingRun incoming) {
        RunRecord run = incoming.run();
        String part = incoming.part();
        if (run.promptTokens() == null && run.completionTokens() == null && run.totalTokens() == null) {
            TokenUsage usage = TokenUsage.find(run.outputs(), run.extra());
            if (usage != null) {
                run.promptTokens(usage.promptTokens())
                        .completionTokens(usage.completionTokens())
                        .totalTokens(usage.totalTokens())
                        .promptTokenDetails(
                                run.promptTokenDetails() != null
                                        ? run.promptTokenDetails()
                                        : usage.promptTokenDetails())
                        .completionTokenDetails(
                                run.completionTokenDetails() != null
                                        ? run.completionTokenDetails()
                                        : usage.completionTokenDetails());
            }
        }
        if (run.dottedOrder() != null) {
            List<UUID> ids = DottedOrder.runIds(run.dottedOrder());
            if (!ids.get(ids.size() - 1).equals(run.id())) {
                throw IngestException.invalid(
                        part, "dotted_order", "the last segment of dotted_order must be the run id " + run.id());
            }
            if (run.traceId() != null && !ids.get(0).equals(run.traceId())) {
                throw IngestException.invalid(
                        part,
                        "trace_id",
                        "trace_id " + run.traceId() + " is not the first run of dotted_order (" + ids.get(0) + ")");
            }
            if (ids.size() > 1
                    && run.parentRunId() != null
                    && !ids.get(ids.size() - 2).equals(run.parentRunId())) {
                throw IngestException.invalid(
                        part,
                        "parent_run_id",
                        "parent_run_id " + run.parentRunId() + " is not the parent in dotted_order ("
                                + ids.get(ids.size() - 2) + ")");
            }
            run.traceId(ids.get(0));
            if (ids.size() > 1 && run.parentRunId() == null) {
                run.parentRunId(ids.get(ids.size() - 2));
            }
        }
        if (incoming.patch()) {
            return;
        }
        if (run.name() == null) {
            throw IngestException.invalid(part, "name", "name is required");
        }
        if (run.runType() == null) {
            throw IngestException.invalid(part, "run_type", "run_type is required: one of " + runTypes());
        }
        if (run.startTime() == null) {
            run.startTime(OffsetDateTime.now(ZoneOffset.UTC));
        }
        if (run.parentRunId() == null) {
            if (run.traceId() != null && !run.traceId().equals(run.id())) {
                throw IngestException.invalid(
                        part, "trace_id", "a run without a parent starts its own trace: trace_id must equal id");
            }
            run.traceId(run.id());
            if (run.dottedOrder() == null) {
                run.dottedOrder(DottedOrder.of(null, run.startTime(), run.id()));
            }
        }
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
                return epochMillis(node.decimalValue());
            }
            if (node.isTextual()) {
                String text = node.asText().strip();
                try {
                    if (text.matches("\\d+(\\.\\d+)?")) {
                        return epochMillis(new BigDecimal(text));
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

        private OffsetDateTime epochMillis(BigDecimal millis) {
            BigDecimal micros = millis.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP);
            Instant instant = Instant.EPOCH.plus(micros.longValueExact(), java.time.temporal.ChronoUnit.MICROS);
            return instant.atOffset(ZoneOffset.UTC);
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
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isTextual()) {
                try {
                    return new BigDecimal(node.asText());
                } catch (NumberFormatException e) {
                    // reported below
                }
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
