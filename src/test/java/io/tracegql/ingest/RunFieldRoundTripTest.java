package io.tracegql.ingest;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.domain.RunField;
import io.tracegql.support.GraphQL;
import io.tracegql.support.MultipartBody;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.api;
import static io.tracegql.support.Api.postBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every field a client may send, taken from the catalogue, sent in every order a client may send it
 * (one post; post then patch; patch before post, whole or split over two requests; both in one
 * request; multipart with split-out payload parts) and read back equal through the LangSmith API and
 * GraphQL. A field added to the catalogue is covered without a line here.
 */
@QuarkusTest
class RunFieldRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ROOT = UUID.fromString("0191e5a0-0000-7000-8000-00000000aa00");
    private static final String ROOT_ORDER = "20240501T100000000000Z" + ROOT;

    /** Sent by clients, in catalogue order. */
    private static final List<RunField> SENT = Arrays.stream(RunField.values())
            .filter(field -> field.origin() == RunField.Origin.CLIENT)
            .toList();

    /** What a post needs on its own; an update sent before it may carry everything else. */
    private static final List<RunField> REQUIRED = List.of(
            RunField.TRACE_ID,
            RunField.PARENT_RUN_ID,
            RunField.DOTTED_ORDER,
            RunField.NAME,
            RunField.RUN_TYPE,
            RunField.START_TIME);

    @Inject
    TraceFixture fixture;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reset() {
        fixture.reset();
        postBatch("{\"post\": [{\"id\": \"%s\", \"dotted_order\": \"%s\", \"name\": \"root\", \"run_type\": \"chain\","
                        .formatted(ROOT, ROOT_ORDER)
                + " \"session_name\": \"round-trip\", \"start_time\": \"2024-05-01T10:00:00Z\"}]}");
    }

    @Test
    void shouldKeepEveryFieldWhateverTheOrderAndFormItArrivesIn() {
        UUID reference = child(1);
        postBatch(posts(full(reference)));

        UUID postThenPatch = child(2);
        postBatch(posts(required(postThenPatch)));
        postBatch(patches(full(postThenPatch)));

        UUID patchBeforePost = child(3);
        postBatch(patches(full(patchBeforePost)));
        postBatch(posts(required(patchBeforePost)));

        UUID patchInTwoParts = child(4);
        List<RunField> firstHalf = SENT.subList(0, SENT.size() / 2);
        postBatch(patches(only(full(patchInTwoParts), firstHalf)));
        postBatch(patches(only(full(patchInTwoParts), SENT.subList(SENT.size() / 2, SENT.size()))));
        postBatch(posts(required(patchInTwoParts)));

        UUID inOneRequest = child(5);
        postBatch("{\"post\": [" + required(inOneRequest) + "], \"patch\": [" + full(inOneRequest) + "]}");

        UUID multipartPatchBeforePost = child(6);
        multipart("patch", full(multipartPatchBeforePost));
        multipart("post", full(multipartPatchBeforePost));

        List<UUID> runs = List.of(
                reference, postThenPatch, patchBeforePost, patchInTwoParts, inOneRequest, multipartPatchBeforePost);
        for (UUID run : runs) {
            assertEquals(sentFields(full(run)), sentFields(read(run)), "the LangSmith view of run " + run);
        }
        JsonNode expected = graphql(reference);
        List<String> missing = new ArrayList<>();
        expected.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                missing.add(field.getKey());
            }
        });
        assertEquals(List.of(), missing, "GraphQL fields without a value");
        for (UUID run : runs.subList(1, runs.size())) {
            GraphQL.assertJson(expected.toString(), graphql(run));
        }
    }

    private static UUID child(int n) {
        return UUID.fromString("0191e5a0-0000-7000-8000-%012d".formatted(n));
    }

    /** A value of every sent field, of its field's kind, the same for every order but for the ids. */
    private static ObjectNode full(UUID id) {
        ObjectNode run = JSON.createObjectNode().put("id", id.toString());
        for (RunField field : SENT) {
            String name = field.v1Name();
            switch (field) {
                case TRACE_ID, PARENT_RUN_ID -> run.put(name, ROOT.toString());
                case START_TIME -> run.put(name, "2024-05-01T10:00:01.123Z");
                case END_TIME -> run.put(name, "2024-05-01T10:00:03.456Z");
                default -> run.set(name, valueOf(field));
            }
        }
        run.put(RunField.DOTTED_ORDER.v1Name(), ROOT_ORDER + ".20240501T100001123000Z" + id);
        run.put("session_name", "round-trip");
        return run;
    }

    private static JsonNode valueOf(RunField field) {
        String name = field.v1Name();
        return switch (field.kind()) {
            case UUID ->
                JSON.getNodeFactory()
                        .textNode(UUID.nameUUIDFromBytes(name.getBytes()).toString());
            case TEXT, ERROR_TEXT -> JSON.getNodeFactory().textNode(name + " value");
            case RUN_TYPE -> JSON.getNodeFactory().textNode("llm");
            // Sent with an error: the status it follows from.
            case STATUS -> JSON.getNodeFactory().textNode("error");
            case TIME -> JSON.getNodeFactory().textNode("2024-05-01T11:%02d:00.789Z".formatted(field.ordinal()));
            case INTEGER -> JSON.getNodeFactory().numberNode(field.ordinal());
            case DOUBLE, DECIMAL -> JSON.getNodeFactory().numberNode(field.ordinal() + 0.25);
            case BOOLEAN -> JSON.getNodeFactory().booleanNode(true);
            case TEXT_ARRAY -> JSON.createArrayNode().add(name).add("second");
            case JSON, JSON_OBJECT -> JSON.createObjectNode().put("of", name);
            case JSON_ARRAY ->
                JSON.createArrayNode().add(JSON.createObjectNode().put("of", name));
            case DOTTED_ORDER -> JSON.getNodeFactory().nullNode();
            case FEEDBACK_STATS -> throw new IllegalArgumentException(field + " is not sent");
        };
    }

    private static ObjectNode required(UUID id) {
        ObjectNode all = full(id);
        ObjectNode run = only(all, REQUIRED);
        run.set("session_name", all.get("session_name"));
        return run;
    }

    private static ObjectNode only(ObjectNode run, List<RunField> fields) {
        ObjectNode part = JSON.createObjectNode().put("id", run.get("id").asText());
        fields.forEach(field -> part.set(field.v1Name(), run.get(field.v1Name())));
        return part;
    }

    /** The sent fields of a run as read, or as sent. */
    private static ObjectNode sentFields(JsonNode run) {
        ObjectNode fields = JSON.createObjectNode();
        SENT.forEach(field -> fields.set(field.v1Name(), run.get(field.v1Name())));
        return fields;
    }

    private static String posts(ObjectNode run) {
        return "{\"post\": [" + run + "]}";
    }

    private static String patches(ObjectNode run) {
        return "{\"patch\": [" + run + "]}";
    }

    /** A multipart request with the split-out fields (inputs, outputs...) in parts of their own. */
    private void multipart(String operation, ObjectNode run) {
        String id = run.get("id").asText();
        ObjectNode main = run.deepCopy();
        MultipartBody body = new MultipartBody();
        for (String split : RunJson.SPLIT_FIELDS.keySet()) {
            body.json(operation + "." + id + "." + split, main.remove(split).toString());
        }
        HttpResponse<String> response =
                body.json(operation + "." + id, main.toString()).send(base.getPort(), false);
        assertEquals(202, response.statusCode(), response.body());
    }

    private static JsonNode read(UUID id) {
        String body =
                api().when().get("/runs/" + id).then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every GraphQL field of the sent fields but those that name the run itself. */
    private static JsonNode graphql(UUID id) {
        String fields = SENT.stream()
                .filter(field -> field != RunField.DOTTED_ORDER)
                .flatMap(field -> field.graphqlNames().stream())
                .collect(Collectors.joining(" "));
        return GraphQL.data("query ($id: ID!) { run(id: $id) { " + fields + " } }", "id", id.toString())
                .get("run");
    }
}
