package io.tracegql.graphql.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.graphql.Documents;
import io.tracegql.support.Api;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP side of /graphql: GET for queries, persisted queries by hash, documents parsed once. */
@QuarkusTest
class GraphQLEndpointTest {

    private static final String RUN_NAME = "query ($id: ID!) { run(id: $id) { name runType } }";

    @Inject
    TraceFixture fixture;

    @Inject
    Documents documents;

    @BeforeEach
    void load() {
        fixture.load();
    }

    private static Response get(Map<String, String> parameters) {
        return given().header("x-api-key", Api.KEY)
                .queryParams(parameters)
                .when()
                .get("/graphql")
                .then()
                .extract()
                .response();
    }

    private static Response post(Map<String, Object> body) {
        return given().header("x-api-key", Api.KEY)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/graphql")
                .then()
                .extract()
                .response();
    }

    private static Map<String, Object> body(Object... entries) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            body.put((String) entries[i], entries[i + 1]);
        }
        return body;
    }

    private static Map<String, Object> persisted(String hash) {
        return Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldAnswerAQuerySentWithGetAsWithPost() {
        Response answer = get(Map.of("query", RUN_NAME, "variables", "{\"id\": \"" + TraceFixture.R2 + "\"}"));
        assertEquals(200, answer.statusCode());
        assertJson("{\"data\": {\"run\": {\"name\": \"ChatModel\", \"runType\": \"LLM\"}}}", read(answer.asString()));
        Response posted = post(body("query", RUN_NAME, "variables", Map.of("id", TraceFixture.R2.toString())));
        assertEquals(read(answer.asString()), read(posted.asString()));
    }

    @Test
    void shouldRunTheNamedOperationOfADocumentSentWithGet() {
        Response answer = get(Map.of(
                "query",
                "query A { run(id: \"" + TraceFixture.R1 + "\") { name } } query B { trace(traceId: \""
                        + TraceFixture.R5 + "\") { name } }",
                "operationName",
                "B"));
        assertJson("{\"data\": {\"trace\": [{\"name\": \"ChatModel\"}]}}", read(answer.asString()));
    }

    @Test
    void shouldRefuseAMutationSentWithGetAndWriteNothing() {
        Response answer = get(Map.of("query", "mutation { createProject(input: {name: \"by-get\"}) { id } }"));
        assertEquals(405, answer.statusCode());
        assertEquals("POST", answer.header("Allow"));
        assertJson(
                "{\"errors\": [{\"message\": \"a mutation is sent with POST; GET is for queries only\","
                        + " \"extensions\": {\"code\": \"METHOD_NOT_ALLOWED\"}}]}",
                read(answer.asString()));
        assertJson(
                "{\"data\": {\"projects\": {\"nodes\": []}}}",
                read(post(body("query", "{ projects(nameContains: \"by-get\") { nodes { name } } }"))
                        .asString()));
    }

    @Test
    void shouldAnswerAPersistedQueryByItsHashOnceItsTextWasSent() throws Exception {
        String query = "query PersistedRun($id: ID!) { run(id: $id) { name } }";
        String hash = sha256(query);
        Map<String, Object> variables = Map.of("id", TraceFixture.R3.toString());

        Response notFound = post(body("variables", variables, "extensions", persisted(hash)));
        assertEquals(200, notFound.statusCode(), "the client sends the text next, as with any first request");
        assertJson(
                "{\"errors\": [{\"message\": \"PersistedQueryNotFound\","
                        + " \"extensions\": {\"code\": \"PERSISTED_QUERY_NOT_FOUND\"}}]}",
                read(notFound.asString()));

        String expected = "{\"data\": {\"run\": {\"name\": \"search\"}}}";
        assertJson(
                expected,
                read(post(body("query", query, "variables", variables, "extensions", persisted(hash)))
                        .asString()));
        assertJson(
                expected,
                read(post(body("variables", variables, "extensions", persisted(hash)))
                        .asString()));
        assertJson(
                expected,
                read(get(Map.of(
                                "variables",
                                "{\"id\": \"" + TraceFixture.R3 + "\"}",
                                "extensions",
                                "{\"persistedQuery\": {\"version\": 1, \"sha256Hash\": \"" + hash + "\"}}"))
                        .asString()));
    }

    @Test
    void shouldRefuseAPersistedQueryWhoseHashIsNotItsTexts() throws Exception {
        String other = sha256("{ projects { nodes { name } } }");
        Response wrongHash = post(body("query", "{ projects { nodes { id } } }", "extensions", persisted(other)));
        assertEquals(400, wrongHash.statusCode());
        assertJson(
                "{\"errors\": [{\"message\": \"extensions.persistedQuery.sha256Hash: " + other
                        + " is not the SHA-256 hash of the query text; send the hash of exactly the text sent\","
                        + " \"extensions\": {\"code\": \"BAD_USER_INPUT\"}}]}",
                read(wrongHash.asString()));
        assertJson(
                "{\"errors\": [{\"message\": \"extensions.persistedQuery.version: only version 1 is supported, got 2\","
                        + " \"extensions\": {\"code\": \"BAD_USER_INPUT\"}}]}",
                read(post(body(
                                "query",
                                "{ projects { nodes { id } } }",
                                "extensions",
                                Map.of("persistedQuery", Map.of("version", 2, "sha256Hash", other))))
                        .asString()));
    }

    @Test
    void shouldParseAndValidateADocumentOnceWhicheverPathAnswersIt() {
        // Both a query and one that no compiled form covers (the stats of a window) are parsed once.
        for (String query : new String[] {
            "{ run(id: \"" + TraceFixture.R4 + "\") { name parsedOnce: name } }",
            "{ runStats(filter: {projectId: \"" + TraceFixture.ALPHA + "\"}) { runCount parsedOnce: runCount } }"
        }) {
            long before = documents.parses();
            String first = post(body("query", query)).asString();
            long afterFirst = documents.parses();
            String second = post(body("query", query)).asString();
            assertEquals(1, afterFirst - before, "parsed on the first request");
            assertEquals(afterFirst, documents.parses(), "not parsed again");
            assertEquals(read(first), read(second));
        }
    }

    @Test
    void shouldAnswerABodyThatIsNotJsonWithABadRequest() {
        Response answer = given().header("x-api-key", Api.KEY)
                .contentType(ContentType.JSON)
                .body("{\"query\": ")
                .when()
                .post("/graphql")
                .then()
                .extract()
                .response();
        assertEquals(400, answer.statusCode());
        assertJson("""
                {"errors": [{"message": "the request body is not valid JSON: Invalid token=EOF at (line no=1, column no=20, offset=19). Expected tokens are: [CURLYOPEN, SQUAREOPEN, STRING, NUMBER, TRUE, FALSE, NULL]",
                  "extensions": {"code": "BAD_REQUEST"}}]}""", read(answer.asString()));
    }

    @Test
    void shouldAnswerASyntaxErrorWithABadRequestNamingItsLineAndColumnForGetAndPostAlike() {
        Response answer = get(Map.of("query", "{\n  run(id: "));
        assertEquals(400, answer.statusCode());
        assertJson("""
                {"errors": [{"message": "Invalid syntax with offending token '<EOF>' at line 2 column 11",
                  "locations": [{"line": 2, "column": 11}], "extensions": {"classification": "InvalidSyntax"}}]}""", read(answer.asString()));
        Response posted = post(body("query", "{\n  run(id: "));
        assertEquals(400, posted.statusCode());
        assertEquals(read(answer.asString()), read(posted.asString()));
    }

    @Test
    void shouldAnswerADocumentThatDoesNotFitTheSchemaWithABadRequest() {
        Response answer = post(body("query", "{ run(id: \"" + TraceFixture.R1 + "\") { name colour } }"));
        assertEquals(400, answer.statusCode());
        assertJson("""
                {"errors": [{"message": "Validation error (FieldUndefined@[run/colour]) : Field 'colour' in type 'Run' is undefined",
                  "locations": [{"line": 1, "column": 58}], "extensions": {"classification": "ValidationError"}}]}""", read(answer.asString()));
    }

    @Test
    void shouldAnswerARequestWithoutAQueryWithABadRequest() {
        Response answer = post(body("variables", Map.of()));
        assertEquals(400, answer.statusCode());
        assertJson("""
                {"errors": [{"message": "give the GraphQL document in `query` (or the hash of a persisted one in\
                 extensions.persistedQuery)", "extensions": {"code": "BAD_REQUEST"}}]}""", read(answer.asString()));
    }

    @Test
    void shouldAnswerAnOperationOverALimitWithABadRequest() {
        String nested = "childRuns { ".repeat(12) + "name" + " }".repeat(12);
        Response answer = post(body("query", "{ runs(first: 1) { nodes { " + nested + " } } }"));
        assertEquals(400, answer.statusCode());
        assertEquals(
                "QUERY_LIMIT_EXCEEDED",
                read(answer.asString()).at("/errors/0/extensions/code").asText(),
                answer::asString);
        assertTrue(read(answer.asString()).path("data").isMissingNode(), answer::asString);
    }

    @Test
    void shouldRefuseAMissingKeyAndAWrongKeyAlikeWith401() {
        String query = "{ run(id: \"" + TraceFixture.R1 + "\") { name } }";
        Response missing = given().contentType(ContentType.JSON)
                .body(body("query", query))
                .when()
                .post("/graphql")
                .then()
                .extract()
                .response();
        Response wrong = given().header("x-api-key", "tgq_not_a_key")
                .contentType(ContentType.JSON)
                .body(body("query", query))
                .when()
                .post("/graphql")
                .then()
                .extract()
                .response();
        assertEquals(401, missing.statusCode());
        assertEquals(401, wrong.statusCode());
        assertEquals("Bearer", missing.header("WWW-Authenticate"));
        assertEquals("Bearer", wrong.header("WWW-Authenticate"));
        assertJson("""
                {"errors": [{"message": "an API key is required: send it in the x-api-key header or as\
                 Authorization: Bearer <key>", "extensions": {"code": "UNAUTHENTICATED"}}]}""", read(missing.asString()));
        assertJson("""
                {"errors": [{"message": "the API key is not valid (unknown or revoked)",
                  "extensions": {"code": "UNAUTHENTICATED"}}]}""", read(wrong.asString()));
    }

    @Test
    void shouldAnswerWhatNeedsNoKeyWithoutOne() {
        Response answer = given().contentType(ContentType.JSON)
                .body(body(
                        "query",
                        "query Shared { __typename sharedRun(token: \"no-such-token\") { name } ...Schema }"
                                + " fragment Schema on Query { __schema { queryType { name } } }"))
                .when()
                .post("/graphql")
                .then()
                .extract()
                .response();
        assertEquals(200, answer.statusCode());
        assertJson("""
                {"data": {"__typename": "Query", "sharedRun": null, "__schema": {"queryType": {"name": "Query"}}}}""", read(answer.asString()));
    }
}
