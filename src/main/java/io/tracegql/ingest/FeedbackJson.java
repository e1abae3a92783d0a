package io.tracegql.ingest;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tracegql.domain.Uuids;

/** Reads LangSmith feedback JSON, checking each field. */
final class FeedbackJson {

    private final ObjectMapper mapper;

    FeedbackJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    IncomingFeedback read(String part, JsonNode json, UUID idFromPart) {
        if (json == null || !json.isObject()) {
            throw IngestException.invalid(part, null, "feedback must be a JSON object");
        }
        UUID id = uuid(part, json, "id");
        if (idFromPart != null && id != null && !idFromPart.equals(id)) {
            throw IngestException.invalid(part, "id", "id " + id + " differs from the part's id " + idFromPart);
        }
        if (id == null) {
            id = idFromPart != null ? idFromPart : UUID.randomUUID();
        }
        UUID runId = uuid(part, json, "run_id");
        UUID sessionId = uuid(part, json, "session_id");
        if (runId == null && sessionId == null) {
            throw IngestException.invalid(part, "run_id", "feedback needs a run_id (or a session_id for a project)");
        }
        JsonNode key = json.get("key");
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            throw IngestException.invalid(part, "key", "key is required (a non-empty string such as \"correctness\")");
        }
        Double score = null;
        JsonNode scoreNode = json.get("score");
        if (scoreNode != null && !scoreNode.isNull()) {
            if (scoreNode.isBoolean()) {
                score = scoreNode.asBoolean() ? 1.0 : 0.0;
            } else if (scoreNode.isNumber()) {
                score = scoreNode.asDouble();
            } else {
                throw IngestException.invalid(part, "score", "score must be a number or a boolean");
            }
        }
        JsonNode comment = json.get("comment");
        if (comment != null && !comment.isNull() && !comment.isTextual()) {
            throw IngestException.invalid(part, "comment", "comment must be a string");
        }
        return new IncomingFeedback(
                part,
                id,
                runId,
                sessionId,
                key.asText(),
                score,
                plain(json.get("value")),
                comment == null || comment.isNull() ? null : comment.asText(),
                plain(json.get("correction")),
                plain(json.get("feedback_source")),
                time(part, json, "created_at"));
    }

    private Object plain(JsonNode node) {
        return node == null || node.isNull() ? null : mapper.convertValue(node, Object.class);
    }

    private static UUID uuid(String part, JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        UUID id = node.isTextual() ? Uuids.parseOrNull(node.asText()) : null;
        if (id != null) {
            return id;
        }
        throw IngestException.invalid(part, field, field + " must be a UUID, got " + node);
    }

    private static OffsetDateTime time(String part, JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw IngestException.invalid(part, field, field + " must be an ISO-8601 time, got " + node);
        }
    }
}
