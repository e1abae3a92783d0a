package io.tracegql.graphql;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.store.Sql;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.userError;
import static io.tracegql.support.TraceFixture.ALPHA;
import static io.tracegql.support.TraceFixture.BETA;
import static io.tracegql.support.TraceFixture.EMPTY;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static io.tracegql.support.TraceFixture.R5;
import static io.tracegql.support.TraceFixture.R7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class MutationsTest {

    private static final String UNKNOWN = "00000000-0000-4000-8000-00000000ffff";
    /** Another tenant, whose rows the default tenant's requests must never see or change. */
    private static final UUID OTHER_TENANT = UUID.fromString("00000000-0000-0000-0000-0000000000ff");

    private static final UUID THEIR_PROJECT = UUID.fromString("d0000000-0000-4000-8000-000000000004");
    private static final UUID THEIR_RUN = TraceFixture.run(801);
    private static final UUID THEIR_FEEDBACK = TraceFixture.run(802);
    private static final String CREATE_PROJECT = """
            mutation ($input: CreateProjectInput!) {
              createProject(input: $input) {
                name description metadata tags extra referenceDatasetId endTime runCount feedbackStats { key }
              }
            }""";
    private static final String UPDATE_PROJECT = """
            mutation ($id: ID!, $input: UpdateProjectInput!) {
              updateProject(id: $id, input: $input) { name description metadata tags runCount }
            }""";
    private static final String DELETE_PROJECT = "mutation ($id: ID!) { deleteProject(id: $id) }";
    private static final String FEEDBACK_FIELDS = "runId projectId key score value comment correction feedbackSource";
    private static final String CREATE_FEEDBACK =
            "mutation ($input: CreateFeedbackInput!) { createFeedback(input: $input) { " + FEEDBACK_FIELDS + " } }";
    private static final String UPDATE_FEEDBACK = "mutation ($id: ID!, $input: UpdateFeedbackInput!) {"
            + " updateFeedback(id: $id, input: $input) { id " + FEEDBACK_FIELDS + " createdAt modifiedAt } }";
    private static final String DELETE_FEEDBACK = "mutation ($id: ID!) { deleteFeedback(id: $id) }";

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    @Inject
    TracegqlConfig config;

    @BeforeEach
    void load() {
        fixture.load();
    }

    @Test
    void shouldCreateAProjectThatQueriesThenFind() {
        JsonNode created = data("""
                mutation {
                  createProject(input: {name: "gamma", description: "the gamma project",
                                        metadata: {team: "y", level: 2}, tags: ["a", "b"],
                                        referenceDatasetId: "00000000-0000-4000-8000-000000000903"}) {
                    id startTime name description metadata tags extra referenceDatasetId endTime
                    runCount feedbackStats { key }
                  }
                }""").get("createProject");
        OffsetDateTime startTime = OffsetDateTime.parse(created.get("startTime").asText());
        assertTrue(
                Duration.between(startTime, OffsetDateTime.now()).abs().toMinutes() < 1,
                () -> "start time is now: " + startTime);
        String id = created.get("id").asText();
        ((ObjectNode) created).remove(List.of("id", "startTime"));
        assertJson("""
                {"name": "gamma", "description": "the gamma project", "metadata": {"team": "y", "level": 2},
                 "tags": ["a", "b"], "extra": {"metadata": {"team": "y", "level": 2}, "tags": ["a", "b"]},
                 "referenceDatasetId": "00000000-0000-4000-8000-000000000903", "endTime": null,
                 "runCount": 0, "feedbackStats": []}""", created);
        JsonNode found = data("{ project(name: \"gamma\") { id startTime } }").get("project");
        assertEquals(id, found.get("id").asText());
        // Compared as times: the text of the same instant may differ by a trailing zero.
        assertEquals(startTime, OffsetDateTime.parse(found.get("startTime").asText()));
    }

    @Test
    void shouldCreateAProjectWithOnlyAName() {
        assertJson("""
                {"createProject": {"name": "delta", "description": null, "metadata": null, "tags": [],
                 "extra": null, "referenceDatasetId": null, "endTime": null, "runCount": 0, "feedbackStats": []}}""", data(CREATE_PROJECT, "input", Map.of("name", "delta")));
    }

    @Test
    void shouldRejectADuplicateOrBlankProjectName() {
        assertEquals(
                "a project named 'alpha' already exists; choose another name",
                userError(CREATE_PROJECT, "input", Map.of("name", "alpha"))
                        .get("message")
                        .asText());
        assertEquals(
                "input.name must not be blank",
                userError(CREATE_PROJECT, "input", Map.of("name", "  "))
                        .get("message")
                        .asText());
        assertJson(
                "{\"projects\": {\"nodes\": [{\"name\": \"empty\"}, {\"name\": \"beta\"}, {\"name\": \"alpha\"}]}}",
                data("{ projects { nodes { name } } }"));
    }

    @Test
    void shouldRejectProjectInputsOfTheWrongShape() {
        assertEquals(
                "input.metadata must be a JSON object such as {\"key\": \"value\"}, got [1,2]",
                userError(CREATE_PROJECT, "input", Map.of("name", "gamma", "metadata", List.of(1, 2)))
                        .get("message")
                        .asText());
        assertEquals(
                "input.referenceDatasetId must be a UUID such as 1b64098b-4ab7-43f6-afee-992304f198d8, got 'nope'",
                userError(CREATE_PROJECT, "input", Map.of("name", "gamma", "referenceDatasetId", "nope"))
                        .get("message")
                        .asText());
    }

    @Test
    void shouldChangeOnlyTheFieldsGiven() {
        assertJson("""
                {"updateProject": {"name": "alpha", "description": "new words", "metadata": {"team": "x"},
                 "tags": ["t1"], "runCount": 3}}""", data(UPDATE_PROJECT, "id", ALPHA.toString(), "input", Map.of("description", "new words")));
        // New metadata replaces the old as a whole; the tags beside it in extra stay.
        assertJson(
                """
                {"updateProject": {"name": "alpha2", "description": "new words", "metadata": {"team": "z"},
                 "tags": ["t1"], "runCount": 3}}""",
                data(
                        UPDATE_PROJECT,
                        "id",
                        ALPHA.toString(),
                        "input",
                        Map.of("name", "alpha2", "metadata", Map.of("team", "z"))));
        assertJson(
                "{\"project\": {\"name\": \"alpha2\", \"extra\": {\"metadata\": {\"team\": \"z\"}, \"tags\": [\"t1\"]}}}",
                data("query ($id: ID!) { project(id: $id) { name extra } }", "id", ALPHA.toString()));
    }

    @Test
    void shouldRejectRenamingOntoAnotherProjectsName() {
        assertEquals(
                "a project named 'beta' already exists; choose another name",
                userError(UPDATE_PROJECT, "id", ALPHA.toString(), "input", Map.of("name", "beta"))
                        .get("message")
                        .asText());
        assertEquals(
                "input.name must not be blank",
                userError(UPDATE_PROJECT, "id", ALPHA.toString(), "input", Map.of("name", ""))
                        .get("message")
                        .asText());
        // Keeping its own name is no conflict.
        assertJson(
                "{\"updateProject\": {\"name\": \"alpha\", \"description\": \"the alpha project\","
                        + " \"metadata\": {\"team\": \"x\"}, \"tags\": [\"t1\"], \"runCount\": 3}}",
                data(UPDATE_PROJECT, "id", ALPHA.toString(), "input", Map.of("name", "alpha")));
    }

    @Test
    void shouldAnswerNullAndFalseForProjectsThatDoNotExist() {
        assertJson(
                "{\"updateProject\": null}", data(UPDATE_PROJECT, "id", UNKNOWN, "input", Map.of("description", "x")));
        assertJson("{\"deleteProject\": false}", data(DELETE_PROJECT, "id", UNKNOWN));
    }

    @Test
    void shouldDeleteAProjectWithItsRunsTheirFeedbackAttachmentsAndShareLinks() {
        data("mutation ($r: ID!) { shareRun(runId: $r) }", "r", R1.toString());
        execute(
                "insert into run_attachments (tenant_id, run_id, name, content_type, data)"
                        + " values ($1, $2, 'a.txt', 'text/plain', '\\x61'), ($1, $3, 'b.txt', 'text/plain', '\\x62')",
                defaultTenant(),
                R2,
                R7);
        // Feedback that reached a run before the run itself has no project_id.
        execute(
                "insert into feedback (id, tenant_id, run_id, key, score) values ($1, $2, $3, 'early', 1)",
                TraceFixture.run(803),
                defaultTenant(),
                R2);

        assertJson("{\"deleteProject\": true}", data(DELETE_PROJECT, "id", ALPHA.toString()));

        assertJson(
                """
                {"project": null, "trace": [], "runs": {"nodes": []}, "run": null,
                 "beta": {"runCount": 1}}""",
                data(
                        """
                        query ($id: ID!, $trace: ID!, $run: ID!, $beta: ID!) {
                          project(id: $id) { id }
                          trace(traceId: $trace) { id }
                          runs(filter: {projectId: $id}) { nodes { id } }
                          run(id: $run) { id }
                          beta: project(id: $beta) { runCount }
                        }""",
                        "id",
                        ALPHA.toString(),
                        "trace",
                        R1.toString(),
                        "run",
                        R5.toString(),
                        "beta",
                        BETA.toString()));
        assertEquals(0, count("select count(*) from feedback"));
        assertEquals(List.of(R7.toString()), column("select run_id::text from run_attachments"));
        // Another tenant may have a trace with the same id and a link of its own: that one is not ours to delete.
        assertEquals(
                0,
                count("select count(*) from run_shares where tenant_id = '" + defaultTenant() + "' and trace_id = '"
                        + R1 + "'"));
        assertJson("{\"deleteProject\": false}", data(DELETE_PROJECT, "id", ALPHA.toString()));
    }

    @Test
    void shouldCreateFeedbackThatRunAndProjectStatsCount() {
        assertJson(
                """
                {"createFeedback": {"runId": "%s", "projectId": "%s", "key": "helpful", "score": 1.0,
                 "value": "yes", "comment": "spot on", "correction": {"output": "hello!"},
                 "feedbackSource": {"type": "app"}}}""".formatted(R7, BETA),
                data(
                        CREATE_FEEDBACK,
                        "input",
                        Map.of(
                                "runId",
                                R7.toString(),
                                "key",
                                "helpful",
                                "score",
                                1,
                                "value",
                                "yes",
                                "comment",
                                "spot on",
                                "correction",
                                Map.of("output", "hello!"))));
        data(CREATE_FEEDBACK, "input", Map.of("runId", R7.toString(), "key", "helpful", "score", 0.5));
        assertJson("""
                {"run": {"feedbackStats": [{"key": "helpful", "count": 2, "meanScore": 0.75,
                                             "values": [{"value": "yes", "count": 1}]}]},
                 "project": {"feedbackStats": [{"key": "helpful", "count": 2, "meanScore": 0.75,
                                                 "values": [{"value": "yes", "count": 1}]}],
                             "sessionFeedbackStats": []}}""", data("""
                        query ($run: ID!, $project: ID!) {
                          run(id: $run) { feedbackStats { key count meanScore values { value count } } }
                          project(id: $project) {
                            feedbackStats { key count meanScore values { value count } }
                            sessionFeedbackStats { key }
                          }
                        }""", "run", R7.toString(), "project", BETA.toString()));
    }

    @Test
    void shouldKeepAnyJsonValueAndAGivenSource() {
        JsonNode created = data("""
                mutation {
                  createFeedback(input: {runId: "00000000-0000-4000-8000-000000000007", key: "labels",
                                         value: {label: "b", scores: [1, 2.5, true]},
                                         feedbackSource: {type: "model", metadata: {judge: "j1"}}}) {
                    value feedbackSource createdAt modifiedAt
                  }
                }""").get("createFeedback");
        assertEquals(created.get("createdAt"), created.get("modifiedAt"));
        assertJson("""
                {"value": {"label": "b", "scores": [1, 2.5, true]},
                 "feedbackSource": {"type": "model", "metadata": {"judge": "j1"}}}""", ((ObjectNode) created).retain("value", "feedbackSource"));
        Map<String, Object> withNulls = new HashMap<>();
        withNulls.put("runId", R7.toString());
        withNulls.put("key", "n");
        withNulls.put("value", Arrays.asList(3, null, "x"));
        withNulls.put("comment", null);
        assertJson(
                "{\"createFeedback\": {\"value\": [3, null, \"x\"], \"score\": null, \"comment\": null}}",
                data(
                        "mutation ($input: CreateFeedbackInput!) { createFeedback(input: $input) { value score comment } }",
                        "input",
                        withNulls));
    }

    @Test
    void shouldCreateFeedbackOnAWholeProject() {
        assertJson(
                """
                {"createFeedback": {"runId": null, "projectId": "%s", "key": "release", "score": 0.0,
                 "value": null, "comment": null, "correction": null, "feedbackSource": {"type": "app"}}}""".formatted(EMPTY),
                data(CREATE_FEEDBACK, "input", Map.of("projectId", EMPTY.toString(), "key", "release", "score", 0)));
        assertJson(
                """
                {"project": {"feedbackStats": [], "sessionFeedbackStats": [{"key": "release", "count": 1, "meanScore": 0.0}]}}""",
                data(
                        "query ($id: ID!) { project(id: $id) { feedbackStats { key }"
                                + " sessionFeedbackStats { key count meanScore } } }",
                        "id",
                        EMPTY.toString()));
    }

    @Test
    void shouldRejectFeedbackThatCannotBeRecorded() {
        assertEquals("run " + UNKNOWN + " does not exist", feedbackError(Map.of("runId", UNKNOWN, "key", "k")));
        assertEquals("project " + UNKNOWN + " does not exist", feedbackError(Map.of("projectId", UNKNOWN, "key", "k")));
        assertEquals(
                "give input.runId (feedback on a run) or input.projectId alone (feedback on a whole project)",
                feedbackError(Map.of("key", "k")));
        assertEquals(
                "input.key must not be blank; use a name such as \"correctness\"",
                feedbackError(Map.of("runId", R7.toString(), "key", " ")));
        assertEquals(
                "run %s belongs to project %s, not %s; leave projectId out for feedback on a run"
                        .formatted(R7, BETA, ALPHA),
                feedbackError(Map.of("runId", R7.toString(), "projectId", ALPHA.toString(), "key", "k")));
        assertEquals(
                "input.runId must be a UUID such as 1b64098b-4ab7-43f6-afee-992304f198d8, got 'run-7'",
                feedbackError(Map.of("runId", "run-7", "key", "k")));
        assertEquals(
                "input.correction must be a JSON object such as {\"key\": \"value\"}, got \"hello\"",
                feedbackError(Map.of("runId", R7.toString(), "key", "k", "correction", "hello")));
        assertEquals(6, count("select count(*) from feedback"));
    }

    @Test
    void shouldUpdateOnlyTheGivenFieldsOfFeedback() {
        String rating = TraceFixture.run(13).toString();
        JsonNode updated = data(UPDATE_FEEDBACK, "id", rating, "input", Map.of("value", "bad", "comment", "changed"))
                .get("updateFeedback");
        OffsetDateTime modifiedAt =
                OffsetDateTime.parse(updated.get("modifiedAt").asText());
        assertTrue(
                Duration.between(modifiedAt, OffsetDateTime.now()).abs().toMinutes() < 1,
                () -> "modified now: " + modifiedAt);
        ((ObjectNode) updated).remove("modifiedAt");
        assertJson("""
                {"id": "%s", "runId": "%s", "projectId": "%s", "key": "rating", "score": null, "value": "bad",
                 "comment": "changed", "correction": null, "feedbackSource": null,
                 "createdAt": "2024-05-01T10:00:00Z"}""".formatted(rating, R1, ALPHA), updated);
        data(UPDATE_FEEDBACK, "id", TraceFixture.run(12).toString(), "input", Map.of("score", 1));
        assertJson(
                """
                {"run": {"feedbackStats": [
                  {"key": "correctness", "count": 2, "meanScore": 1.0, "values": []},
                  {"key": "rating", "count": 1, "meanScore": null, "values": [{"value": "bad", "count": 1}]}]}}""",
                data(
                        "query ($id: ID!) { run(id: $id) { feedbackStats { key count meanScore values { value count } } } }",
                        "id",
                        R1.toString()));
    }

    @Test
    void shouldDeleteFeedback() {
        String bad = TraceFixture.run(15).toString();
        assertJson("{\"deleteFeedback\": true}", data(DELETE_FEEDBACK, "id", bad));
        assertJson("{\"deleteFeedback\": false}", data(DELETE_FEEDBACK, "id", bad));
        assertJson(
                "{\"run\": {\"feedbackStats\": [{\"key\": \"rating\", \"count\": 1}]}}",
                data("query ($id: ID!) { run(id: $id) { feedbackStats { key count } } }", "id", R5.toString()));
    }

    @Test
    void shouldAnswerNullAndFalseForFeedbackThatDoesNotExist() {
        assertJson("{\"updateFeedback\": null}", data(UPDATE_FEEDBACK, "id", UNKNOWN, "input", Map.of("score", 1)));
        assertJson("{\"deleteFeedback\": false}", data(DELETE_FEEDBACK, "id", UNKNOWN));
    }

    @Test
    void shouldRejectMalformedIds() {
        String expected = "id must be a UUID such as 1b64098b-4ab7-43f6-afee-992304f198d8, got 'nope'";
        assertEquals(
                expected,
                userError(UPDATE_PROJECT, "id", "nope", "input", Map.of())
                        .get("message")
                        .asText());
        assertEquals(
                expected, userError(DELETE_PROJECT, "id", "nope").get("message").asText());
        assertEquals(
                expected,
                userError(UPDATE_FEEDBACK, "id", "nope", "input", Map.of())
                        .get("message")
                        .asText());
        assertEquals(
                expected,
                userError(DELETE_FEEDBACK, "id", "nope").get("message").asText());
    }

    @Test
    void shouldTreatAnotherTenantsRowsAsAbsent() {
        execute("insert into tenants (id, name) values ($1, 'other') on conflict do nothing", OTHER_TENANT);
        execute("insert into projects (id, tenant_id, name) values ($1, $2, 'theirs')", THEIR_PROJECT, OTHER_TENANT);
        execute(
                "insert into runs (tenant_id, id, project_id, trace_id, dotted_order, name, run_type, status,"
                        + " start_time) values ($1, $2, $3, $2, 'x', 'their run', 'chain', 'success', now())",
                OTHER_TENANT,
                THEIR_RUN,
                THEIR_PROJECT);
        execute(
                "insert into feedback (id, tenant_id, run_id, project_id, key, score) values ($1, $2, $3, $4, 'k', 1)",
                THEIR_FEEDBACK,
                OTHER_TENANT,
                THEIR_RUN,
                THEIR_PROJECT);

        assertJson(
                "{\"updateProject\": null}",
                data(UPDATE_PROJECT, "id", THEIR_PROJECT.toString(), "input", Map.of("name", "mine")));
        assertJson("{\"deleteProject\": false}", data(DELETE_PROJECT, "id", THEIR_PROJECT.toString()));
        assertEquals(
                "run " + THEIR_RUN + " does not exist",
                feedbackError(Map.of("runId", THEIR_RUN.toString(), "key", "k")));
        assertEquals(
                "project " + THEIR_PROJECT + " does not exist",
                feedbackError(Map.of("projectId", THEIR_PROJECT.toString(), "key", "k")));
        assertJson(
                "{\"updateFeedback\": null}",
                data(UPDATE_FEEDBACK, "id", THEIR_FEEDBACK.toString(), "input", Map.of("score", 0)));
        assertJson("{\"deleteFeedback\": false}", data(DELETE_FEEDBACK, "id", THEIR_FEEDBACK.toString()));
        // Names are unique per tenant: theirs does not block ours.
        assertJson(
                "{\"createProject\": {\"name\": \"theirs\"}}",
                data("mutation { createProject(input: {name: \"theirs\"}) { name } }"));

        assertEquals(
                List.of("theirs|1|1"),
                column("select p.name || '|' || (select count(*) from runs r where r.project_id = p.id) || '|'"
                        + " || (select f.score from feedback f where f.id = '" + THEIR_FEEDBACK + "')"
                        + " from projects p where p.tenant_id = '" + OTHER_TENANT + "'"));
    }

    private static String feedbackError(Map<String, Object> input) {
        return userError(CREATE_FEEDBACK, "input", input).get("message").asText();
    }

    private UUID defaultTenant() {
        return config.defaultTenantId();
    }

    private void execute(String statement, Object... parameters) {
        query(statement, parameters);
    }

    private long count(String query) {
        return query(query).iterator().next().getLong(0);
    }

    private List<String> column(String query) {
        List<String> values = new ArrayList<>();
        query(query).forEach(row -> values.add(row.getString(0)));
        return values;
    }

    private RowSet<Row> query(String statement, Object... parameters) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sql.query(statement, Tuple.from(parameters)));
        } catch (Throwable e) {
            throw new IllegalStateException(statement, e);
        }
    }
}
