package io.tracegql.ingest;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tracegql.domain.FilterLanguage;
import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunSortField;
import io.tracegql.domain.RunType;
import io.tracegql.domain.SortDirection;
import io.tracegql.domain.Uuids;
import io.tracegql.security.ShareLinks;
import io.tracegql.store.RunCursor;
import io.tracegql.store.RunPage;

/**
 * What the read calls of both LangSmith APIs (v1 and v2) take alike: a JSON body, ids, and the three
 * filter expressions with LangSmith's meaning. A bad value is refused with a 400 naming its field.
 */
final class ReadRequests {

    private ReadRequests() {}

    /** The body as a JSON object; an empty body is an empty object. */
    static JsonNode body(ObjectMapper mapper, byte[] body) {
        try {
            JsonNode json = body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
            if (!json.isObject()) {
                throw IngestException.malformed("body", "the body must be a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw IngestException.malformed("body", "the body is not valid JSON");
        }
    }

    /**
     * {@code filter} (the run itself matches), {@code trace_filter} (the root of its trace matches) and
     * {@code tree_filter} (some run of its trace matches), each in LangSmith's filter language; all that
     * are given must hold.
     */
    static RunFilter expressions(JsonNode json) {
        List<RunFilter> conditions = new ArrayList<>();
        String filter = text(json, "filter");
        if (filter != null) {
            conditions.add(expression("filter", filter));
        }
        String traceFilter = text(json, "trace_filter");
        if (traceFilter != null) {
            conditions.add(new RunFilter.TraceRoot(expression("trace_filter", traceFilter)));
        }
        String treeFilter = text(json, "tree_filter");
        if (treeFilter != null) {
            conditions.add(new RunFilter.SomeRunOfTrace(expression("tree_filter", treeFilter)));
        }
        return new RunFilter.All(conditions);
    }

    /** One expression of the filter language, checked by the rules of every filter. */
    static RunFilter expression(String field, String text) {
        try {
            return FilterLanguage.parse(text);
        } catch (FilterLanguage.InvalidFilterException e) {
            throw IngestException.malformed(field, field + ": " + e.getMessage());
        }
    }

    /** A text field; null when absent or null, refused when not a string. */
    static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw IngestException.malformed(field, field + " must be a string, got " + node);
        }
        return node.asText();
    }

    /**
     * A time field: ISO-8601 with an offset, or without one as LangSmith's Python client sends UTC
     * times; null when absent.
     */
    static OffsetDateTime time(JsonNode json, String field) {
        String text = text(json, field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException naive) {
                throw IngestException.malformed(
                        field, field + " must be an ISO-8601 time such as 2025-01-01T00:00:00Z, got '" + text + "'");
            }
        }
    }

    /**
     * {@code start_time} and {@code end_time}: the runs (or turns) that started in that window, both
     * ends included; either may be left out.
     */
    static void startWindow(JsonNode json, ReadConditions typed) {
        OffsetDateTime start = time(json, "start_time");
        if (start != null) {
            typed.add("start_time", new RunFilter.Compare(RunFilterField.START_TIME, RunFilter.Op.GTE, start));
        }
        OffsetDateTime end = time(json, "end_time");
        if (end != null) {
            typed.add("end_time", new RunFilter.Compare(RunFilterField.START_TIME, RunFilter.Op.LTE, end));
        }
    }

    /** A run type by its name in any case ({@code llm}, {@code LLM}); refused naming the field when it is none. */
    static RunType runType(String field, String value) {
        try {
            return RunType.fromWireName(value);
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (RunType type : RunType.values()) {
                names.add(type.name());
            }
            throw IngestException.malformed(
                    field, field + " '" + value + "' is not a run type: one of " + String.join(", ", names));
        }
    }

    /** The LangSmith v1 {@code select} list of a body; empty (every field) when absent. */
    static List<String> select(JsonNode json) {
        List<String> select = new ArrayList<>();
        if (json.has("select") && json.get("select").isArray()) {
            json.get("select").forEach(s -> select.add(s.asText()));
        }
        return select;
    }

    /** Refuses a share request when no share secret is configured. */
    static void requireSharing(ShareLinks shares) {
        if (!shares.enabled()) {
            throw new IngestException(
                    409, "share", null, "sharing is disabled on this server: set TRACEGQL_SHARE_SECRET");
        }
    }

    /** A 404 with a JSON body: what a read of something that does not exist (for this tenant) answers. */
    static Response notFound(String message) {
        return Response.status(404)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "not_found", "message", message))
                .build();
    }

    /** One id or a list of them; empty when absent. */
    static List<UUID> uuids(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> ids.add(uuid(field, n.asText())));
        } else {
            ids.add(uuid(field, node.asText()));
        }
        return ids;
    }

    static UUID uuid(JsonNode json, String field) {
        return json.hasNonNull(field) ? uuid(field, json.get(field).asText()) : null;
    }

    static UUID uuid(String field, String value) {
        UUID id = Uuids.parseOrNull(value);
        if (id != null) {
            return id;
        }
        throw IngestException.malformed(field, field + " must be a UUID, got '" + value + "'");
    }

    /**
     * The cursor after the last run of a page read newest first, as every REST read of runs is; null
     * on the last page.
     */
    static String nextCursor(RunPage page) {
        return page.hasNextPage() && !page.runs().isEmpty()
                ? RunCursor.after(page.runs().get(page.runs().size() - 1), RunSortField.START_TIME, SortDirection.DESC)
                        .encode()
                : null;
    }
}
