package io.tracegql.graphql;

import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.api;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.executeWithKey;
import static io.tracegql.support.GraphQL.userError;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** inputs, outputs, extra and events with a jsonpath: the projection is computed in SQL. */
@QuarkusTest
class RunJsonPathTest {

    /** A conversation of four messages, posted beside the fixture, and newer than any of its runs. */
    private static final UUID CHAT = UUID.fromString("0191e5a0-0000-7000-8000-0000000000c1");

    @Inject
    TraceFixture fixture;

    @BeforeEach
    void load() {
        fixture.load();
        api().contentType(ContentType.JSON)
                .body("""
                        {"id": "%s", "trace_id": "%s", "dotted_order": "20240505T100000000000Z%s", "name": "chat",
                         "run_type": "chain", "session_name": "chats", "start_time": "2024-05-05T10:00:00Z",
                         "end_time": "2024-05-05T10:00:02Z",
                         "inputs": {"messages": [{"role": "system", "content": "Be brief."},
                                                 {"role": "user", "content": "hi"},
                                                 {"role": "assistant", "content": "hello"},
                                                 {"role": "user", "content": "bye"}],
                                    "flag": null},
                         "outputs": {"output": "goodbye"}}""".formatted(CHAT, CHAT, CHAT))
                .when()
                .post("/runs")
                .then()
                .statusCode(202);
    }

    @Test
    void shouldShowTheLastMessageOfEachRunOnAListPage() {
        // Roots, newest first: the chat, then R7, R6 and R5 (no messages, no output key), then R1 (one
        // message, output "hello").
        assertJson("""
                {"runs": {"nodes": [
                  {"name": "chat", "last": {"role": "user", "content": "bye"}, "answer": "goodbye"},
                  {"name": "other", "last": null, "answer": null},
                  {"name": "pipeline", "last": null, "answer": null},
                  {"name": "ChatModel", "last": null, "answer": null},
                  {"name": "pipeline", "last": {"role": "user", "content": "hi there"}, "answer": "hello"}
                ]}}""", data("""
                        { runs(filter: {isRoot: true}) { nodes {
                            name last: inputs(path: "$.messages[last]") answer: outputs(path: "$.output") } } }"""));
    }

    @Test
    void shouldAnswerEachAliasWithItsOwnPathBesideTheWholePayload() {
        // Two messages are the user's: the first match is kept. "strict $.nope" has no match in strict
        // mode, which is an error there: silenced, null. $.flag selects a JSON null.
        assertJson("""
                {"run": {
                  "first": "Be brief.", "last": "bye", "count": 4, "firstUser": "hi",
                  "missing": null, "strictMissing": null, "flag": null,
                  "outputs": {"output": "goodbye"}
                }}""", data("""
                        query ($id: ID!) { run(id: $id) {
                          first: inputs(path: "$.messages[0].content")
                          last: inputs(path: "$.messages[last].content")
                          count: inputs(path: "$.messages.size()")
                          firstUser: inputs(path: "$.messages[*] ? (@.role == \\"user\\").content")
                          missing: inputs(path: "$.nope")
                          strictMissing: inputs(path: "strict $.nope")
                          flag: inputs(path: "$.flag")
                          outputs
                        } }""", "id", CHAT.toString()));
    }

    @Test
    void shouldProjectExtraAndEventsAndNestedRuns() {
        assertJson("""
                {"run": {"sdk": "js", "env": "prod",
                  "childRuns": [
                    {"name": "ChatModel", "token": "new_token", "generation": "hello"},
                    {"name": "search", "token": null, "generation": null}]}}""", data("""
                        query ($id: ID!) { run(id: $id) {
                          sdk: extra(path: "$.runtime.sdk") env: extra(path: "$.metadata.env")
                          childRuns { name token: events(path: "$[0].name")
                                      generation: outputs(path: "$.generations[0].text") }
                        } }""", "id", R1.toString()));
    }

    @Test
    void shouldProjectEachAliasOfANestedFieldWithItsOwnPaths() {
        assertJson("""
                {"run": {
                  "a": [{"x": "hello"}, {"x": null}],
                  "b": [{"y": null, "x": "hello"}, {"y": "weather", "x": null}]
                }}""", data("""
                        query ($id: ID!, $path: String) { run(id: $id) {
                          a: childRuns { x: outputs(path: "$.generations[0].text") }
                          b: childRuns { y: inputs(path: $path) x: outputs(path: "$.generations[0].text") }
                        } }""", "id", R1.toString(), "path", "$.input"));
    }

    @Test
    void shouldRefuseAnInvalidPathNamingTheFieldAndThePath() {
        String page = "query ($path: String) { runs { nodes { id outputs(path: $path) } } }";
        assertEquals(
                "outputs(path: \"$.a[\"): not a valid PostgreSQL jsonpath: syntax error at end of jsonpath input",
                userError(page, "path", "$.a[").get("message").asText());
        assertEquals(
                "outputs(path: \"last\"): not a valid PostgreSQL jsonpath: LAST is allowed only in array"
                        + " subscripts",
                userError(page, "path", "last").get("message").asText());
        assertEquals(
                "outputs(path: \"$x\"): not a valid PostgreSQL jsonpath: variables such as $x are not supported",
                userError(page, "path", "$x").get("message").asText());
        assertEquals(
                "outputs(path: \" \"): give a jsonpath such as $.messages[last], or leave path out for the whole"
                        + " outputs",
                userError(page, "path", " ").get("message").asText());
        assertEquals(
                "outputs(path: ...): the path is 1001 characters long; at most 1000 are accepted",
                userError(page, "path", "$" + ".a".repeat(500)).get("message").asText());
    }

    @Test
    void shouldRefuseAnInvalidPathEvenWhenNoRunMatches() {
        assertEquals(
                "inputs(path: \"$.a ? (@ like_regex \\\"(\\\")\"): not a valid PostgreSQL jsonpath: invalid"
                        + " regular expression: parentheses () not balanced",
                userError("{ runs(filter: {search: \"nowhere\"}) { nodes { inputs(path: \"$.a ? (@ like_regex"
                                + " \\\"(\\\")\") } } }")
                        .get("message")
                        .asText());
    }

    @Test
    void shouldNameTheInvalidPathAmongSeveralAndInNestedRuns() {
        assertEquals(
                "extra(path: \"$.b[\"): not a valid PostgreSQL jsonpath: syntax error at end of jsonpath input",
                userError(
                                "query ($id: ID!) { run(id: $id) { childRuns { a: inputs(path: \"$.a\")"
                                        + " b: extra(path: \"$.b[\") } } }",
                                "id",
                                R1.toString())
                        .get("message")
                        .asText());
        assertEquals(
                "events(path: \"$$\"): not a valid PostgreSQL jsonpath: syntax error at or near \"$\" of jsonpath"
                        + " input",
                userError("query ($id: ID!) { trace(traceId: $id) { events(path: \"$$\") } }", "id", R2.toString())
                        .get("message")
                        .asText());
    }

    @Test
    void shouldProjectInASharedTraceWithoutAKey() {
        String url = data("mutation ($run: ID!) { shareRun(runId: $run) }", "run", CHAT.toString())
                .get("shareRun")
                .asText();
        String token = url.substring(url.indexOf("/public/") + 8, url.length() - 2);
        JsonNode shared = executeWithKey(
                null,
                "query ($token: String!) { sharedRun(token: $token) { last: inputs(path: \"$.messages[last].content\") } }",
                "token",
                token);
        assertJson("{\"data\": {\"sharedRun\": [{\"last\": \"bye\"}]}}", shared);
    }
}
