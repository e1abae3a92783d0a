package io.tracegql.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.TestRun;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.Api.api;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.executeWithKey;
import static io.tracegql.support.GraphQL.read;
import static io.tracegql.support.TraceFixture.ALPHA;
import static io.tracegql.support.TraceFixture.BETA;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET and POST /runs/export over the hand-checked fixture: the lines, their order, resuming and refusals. */
@QuarkusTest
class RunExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TraceFixture fixture;

    @BeforeEach
    void load() {
        fixture.load();
    }

    /** The lines of an export as one JSON array; checks that every line is whole and ends with a newline. */
    static ArrayNode lines(Response response) {
        assertEquals(200, response.statusCode(), response::asString);
        assertEquals(RunExportResource.NDJSON, response.contentType().replaceAll(";.*", ""));
        String body = response.asString();
        ArrayNode lines = JSON.createArrayNode();
        if (body.isEmpty()) {
            return lines;
        }
        assertTrue(body.endsWith("\n"), () -> "the last line has no newline: " + body);
        for (String line : body.substring(0, body.length() - 1).split("\n", -1)) {
            lines.add(read(line));
        }
        return lines;
    }

    private static ArrayNode exportGet(String query) {
        return lines(api().when().get("/runs/export" + query));
    }

    private static ArrayNode exportPost(String body) {
        return lines(api().contentType(ContentType.JSON).body(body).when().post("/runs/export"));
    }

    private static JsonNode queried(String body) {
        return read(api().contentType(ContentType.JSON)
                        .body(body)
                        .when()
                        .post("/runs/query")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .get("runs");
    }

    private static List<String> ids(JsonNode runs) {
        List<String> ids = new ArrayList<>();
        runs.forEach(run -> ids.add(run.get("id").asText()));
        return ids;
    }

    @Test
    void shouldExportAProjectsRunsLineByLineAsRunsQueryReturnsThem() {
        JsonNode expected = queried("{\"session\": [\"%s\"]}".formatted(ALPHA));
        assertEquals(6, expected.size());
        assertJson(expected.toString(), exportGet("?session=" + ALPHA));
        assertJson(expected.toString(), exportPost("{\"session\": [\"%s\"]}".formatted(ALPHA)));
    }

    @Test
    void shouldSelectTheSameRunsAndFieldsAsRunsQueryForTheSameParameters() {
        List<String> bodies = List.of(
                "\"filter\": \"eq(run_type, 'llm')\"",
                "\"run_type\": \"llm\"",
                "\"is_root\": true, \"select\": [\"name\", \"start_time\"]",
                "\"error\": true, \"select\": [\"name\", \"feedback_stats\"]",
                "\"trace_filter\": \"has(tags, 'prod')\"",
                "\"tree_filter\": \"eq(run_type, 'retriever')\", \"is_root\": true",
                "\"start_time\": \"2024-05-01T10:00:05Z\", \"end_time\": \"2024-05-02T10:00:00Z\"",
                "\"trace\": \"%s\", \"parent_run\": \"%s\"".formatted(R1, R1));
        for (String fields : bodies) {
            String body = "{\"session\": [\"%s\"], %s}".formatted(ALPHA, fields);
            JsonNode expected = queried(body);
            assertTrue(expected.size() > 0, () -> "nothing matches " + body);
            assertJson(expected.toString(), exportPost(body));
        }
        assertJson(
                queried("{\"session\": [\"%s\"], \"run_type\": \"llm\", \"is_root\": false}".formatted(ALPHA))
                        .toString(),
                exportGet("?session=%s&run_type=llm&is_root=false".formatted(ALPHA)));
    }

    /** Without a project, every project of the tenant, one after the other in the order of their ids. */
    @Test
    void shouldExportEveryProjectOneAfterTheOtherByProjectId() {
        List<String> expected = new ArrayList<>(ids(queried("{\"session\": [\"%s\"]}".formatted(ALPHA))));
        expected.add(R7.toString());
        assertEquals(expected, ids(exportGet("")));
        assertEquals(expected, ids(exportGet("?session=%s&session=%s".formatted(BETA, ALPHA))));
    }

    @Test
    void shouldResumeAfterAnyLineWithTheRestOfTheExport() {
        // Five roots that started at the same instant (TestRun.START): their order, and so where a resume starts, is
        // their ids'.
        TestRun[] sameStart = new TestRun[5];
        for (int i = 0; i < sameStart.length; i++) {
            sameStart[i] = TestRun.root("same-" + i, "chain");
        }
        TestRun.post(api(), "beta", sameStart);
        List<String> all = ids(exportGet(""));
        assertEquals(12, all.size());
        assertEquals(all.size(), all.stream().distinct().count(), all::toString);
        for (int cut = 1; cut <= all.size(); cut++) {
            List<String> resumed = new ArrayList<>(all.subList(0, cut));
            resumed.addAll(ids(exportGet("?after=" + all.get(cut - 1))));
            assertEquals(all, resumed, "resumed after line " + cut);
        }
    }

    @Test
    void shouldExportNothingOfAnotherTenantsRunsAndNothingForAnUnknownProject() {
        String keyB = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($name: String!) { createTenant(name: $name) { apiKey { key } } }",
                        "name",
                        "export-b-" + UUID.randomUUID())
                .at("/data/createTenant/apiKey/key")
                .asText();
        assertEquals(
                0,
                lines(given().header("x-api-key", keyB).when().get("/runs/export"))
                        .size());
        assertEquals(
                0,
                lines(given().header("x-api-key", keyB).when().get("/runs/export?session=" + ALPHA))
                        .size());
        // Resuming after another tenant's run is resuming after a run that does not exist.
        given().header("x-api-key", keyB)
                .when()
                .get("/runs/export?after=" + R1)
                .then()
                .statusCode(400);
        assertEquals(0, exportGet("?session=" + TraceFixture.run(999)).size());
    }

    @Test
    void shouldRefuseBadParametersWithA400BeforeAnyLine() {
        assertRefused("?filter=like(name,%20'a%25')", """
                {"error": "malformed_request", "part": "filter",
                 "message": "filter: unsupported comparator 'like' at position 0; supported: eq, neq, gt, gte, lt, lte, has, in, search, and, or"}""");
        assertRefused("?project=" + ALPHA, """
                {"error": "malformed_request", "part": "project",
                 "message": "project is not a parameter of an export; the parameters are session, id, trace, parent_run, run_type, is_root, error, start_time, end_time, filter, trace_filter, tree_filter, select, after"}""");
        assertRefused("?after=nope", """
                {"error": "malformed_request", "part": "after", "message": "after must be a UUID, got 'nope'"}""");
        assertRefused("?after=" + TraceFixture.run(999), """
                {"error": "malformed_request", "part": "after",
                 "message": "after: run 00000000-0000-4000-8000-000000000999 does not exist; resume with the id of the last run line received"}""");
        assertRefused("?is_root=yes", """
                {"error": "malformed_request", "part": "is_root", "message": "is_root must be true or false, got 'yes'"}""");
        assertRefused("?run_type=agent", """
                {"error": "malformed_request", "part": "run_type",
                 "message": "run_type 'agent' is not a run type: one of TOOL, CHAIN, LLM, RETRIEVER, EMBEDDING, PROMPT, PARSER"}""");
        assertRefused("?filter=eq(name,'a')&filter=eq(name,'b')", """
                {"error": "malformed_request", "part": "filter", "message": "filter is given 2 times; give it once"}""");
        api().contentType(ContentType.JSON)
                .body("{\"limit\": 10}")
                .when()
                .post("/runs/export")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON);
    }

    private static void assertRefused(String query, String expected) {
        Response response = api().urlEncodingEnabled(false).when().get("/runs/export" + query);
        assertEquals(400, response.statusCode(), response::asString);
        assertEquals("application/json", response.contentType().replaceAll(";.*", ""));
        assertJson(expected, read(response.asString()));
    }
}
