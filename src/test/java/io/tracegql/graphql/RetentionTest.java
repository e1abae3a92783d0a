package io.tracegql.graphql;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.RetentionJob;
import io.tracegql.store.Sql;
import io.tracegql.support.Api;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.execute;
import static io.tracegql.support.GraphQL.executeWithKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Traces are deleted whole — runs, feedback, attachments, waiting patches, share links — by id, by a
 * filter on their roots, or by a project's retention; other traces and other tenants are untouched.
 */
@QuarkusTest
class RetentionTest {

    @Inject
    TraceFixture fixture;

    @Inject
    RetentionJob retentionJob;

    @Inject
    Sql sql;

    private String project;

    @BeforeEach
    void reset() {
        fixture.reset();
    }

    /** Posts a trace of a root and two children, started that many days ago, with feedback on a child. */
    private UUID trace(String name, int daysAgo) {
        UUID root = UUID.randomUUID();
        Instant start = Instant.now().minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        StringBuilder posts = new StringBuilder();
        UUID child = null;
        for (int i = 0; i < 3; i++) {
            UUID id = i == 0 ? root : UUID.randomUUID();
            if (i == 1) {
                child = id;
            }
            posts.append(i == 0 ? "" : ",").append("""
                            {"id": "%s", "trace_id": "%s", %s "name": "%s", "run_type": "%s",
                             "session_name": "kept", "start_time": "%s"}""".formatted(
                            id,
                            root,
                            i == 0 ? "" : "\"parent_run_id\": \"" + root + "\",",
                            i == 0 ? name : name + "-step-" + i,
                            i == 0 ? "chain" : "llm",
                            start.plusSeconds(i)));
        }
        Api.postBatch("{\"post\": [" + posts + "]}");
        data("mutation ($r: ID!) { createFeedback(input: {runId: $r, key: \"good\", score: 1}) { id } }", "r", child);
        data("mutation ($r: ID!) { shareRun(runId: $r) }", "r", root);
        project = data("{ project(name: \"kept\") { id } }").at("/project/id").asText();
        return root;
    }

    private long count(String statement, UUID traceId) {
        return sql.query(statement, Tuple.of(traceId))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    /** What is left of a trace: runs, feedback on its runs, share links. */
    private String leftOf(UUID traceId) {
        return "runs=" + count("select count(*) from runs where trace_id = $1", traceId)
                + " feedback="
                + count(
                        "select count(*) from feedback f join runs r on r.id = f.run_id" + " where r.trace_id = $1",
                        traceId)
                + " shares=" + count("select count(*) from run_shares where trace_id = $1", traceId);
    }

    @Test
    void shouldDeleteTheNamedTracesWholeAndNothingElse() {
        UUID doomed = trace("doomed", 1);
        UUID kept = trace("kept", 1);

        assertJson(
                "{\"deleteTraces\": {\"traceCount\": 1, \"runCount\": 3}}",
                data(
                        "mutation ($p: ID!, $t: [ID!]) { deleteTraces(input: {projectId: $p, traceIds: $t}) { traceCount runCount } }",
                        "p",
                        project,
                        "t",
                        new String[] {doomed.toString()}));

        assertEquals("runs=0 feedback=0 shares=0", leftOf(doomed));
        assertEquals("runs=3 feedback=1 shares=1", leftOf(kept));
        assertJson("{\"trace\": []}", data("query ($t: ID!) { trace(traceId: $t) { name } }", "t", doomed));
    }

    @Test
    void shouldDeleteTheTracesWhoseRootMatchesAFilter() {
        UUID old = trace("old", 1);
        UUID recent = trace("recent", 1);

        assertJson(
                "{\"deleteTraces\": {\"traceCount\": 1, \"runCount\": 3}}",
                data(
                        "mutation ($p: ID!) { deleteTraces(input: {projectId: $p, filterExpression: \"eq(name, \\\"old\\\")\"}) { traceCount runCount } }",
                        "p",
                        project));

        assertEquals("runs=0 feedback=0 shares=0", leftOf(old));
        assertEquals("runs=3 feedback=1 shares=1", leftOf(recent));
    }

    @Test
    void shouldNotDeleteAnotherTenantsTraces() {
        UUID ours = trace("ours", 1);
        String otherKey = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($n: String!) { createTenant(name: $n) { apiKey { key } } }",
                        "n",
                        "tenant-" + UUID.randomUUID())
                .at("/data/createTenant/apiKey/key")
                .asText();

        assertJson(
                "{\"data\": {\"deleteTraces\": {\"traceCount\": 0, \"runCount\": 0}}}",
                executeWithKey(
                        otherKey,
                        "mutation ($p: ID!) { deleteTraces(input: {projectId: $p, filter: {}}) { traceCount runCount } }",
                        "p",
                        project));
        assertEquals("runs=3 feedback=1 shares=1", leftOf(ours));
    }

    @Test
    void shouldRefuseADeletionThatNamesNoTracesOrTwoWays() {
        trace("any", 1);
        JsonNode neither =
                execute("mutation ($p: ID!) { deleteTraces(input: {projectId: $p}) { traceCount } }", "p", project);
        assertEquals(
                "give either traceIds or a filter (filter or filterExpression) of the traces to delete; `filter: {}`"
                        + " deletes every trace of the project",
                neither.at("/errors/0/message").asText());
        JsonNode both = execute(
                "mutation ($p: ID!) { deleteTraces(input: {projectId: $p, traceIds: [], filter: {}}) { traceCount } }",
                "p",
                project);
        assertEquals(neither.at("/errors/0/message"), both.at("/errors/0/message"));
        assertEquals("BAD_USER_INPUT", both.at("/errors/0/extensions/code").asText());
    }

    @Test
    void shouldKeepOnlyWhatTheRetentionKeeps() {
        UUID ancient = trace("ancient", 40);
        UUID older = trace("older", 3);
        UUID newest = trace("newest", 1);

        assertJson(
                "{\"setProjectRetention\": {\"maxAgeDays\": 30, \"maxTraces\": null}}",
                data(
                        "mutation ($p: ID!) { setProjectRetention(projectId: $p, maxAgeDays: 30) { maxAgeDays maxTraces } }",
                        "p",
                        project));
        retentionJob.applyAll().await().indefinitely();
        assertEquals("runs=0 feedback=0 shares=0", leftOf(ancient));
        assertEquals("runs=3 feedback=1 shares=1", leftOf(older));

        data(
                "mutation ($p: ID!) { setProjectRetention(projectId: $p, maxAgeDays: 30, maxTraces: 1) { maxTraces } }",
                "p",
                project);
        retentionJob.applyAll().await().indefinitely();
        assertEquals("runs=0 feedback=0 shares=0", leftOf(older));
        assertEquals("runs=3 feedback=1 shares=1", leftOf(newest));
        assertJson(
                "{\"project\": {\"retention\": {\"maxAgeDays\": 30, \"maxTraces\": 1}}}",
                data("{ project(name: \"kept\") { retention { maxAgeDays maxTraces } } }"));
    }

    @Test
    void shouldRefuseARetentionOfNothingAndAnswerNullForAnUnknownProject() {
        trace("any", 1);
        JsonNode zero = execute(
                "mutation ($p: ID!) { setProjectRetention(projectId: $p, maxTraces: 0) { maxTraces } }", "p", project);
        assertEquals(
                "maxTraces must be at least 1, or null to keep every trace",
                zero.at("/errors/0/message").asText());
        assertJson(
                "{\"setProjectRetention\": null}",
                data("mutation { setProjectRetention(projectId: \"" + UUID.randomUUID()
                        + "\", maxTraces: 5) { maxTraces } }"));
    }
}
