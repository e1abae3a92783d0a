package io.tracegql.graphql;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.LogCapture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client error reaches the client with its message and code and is not logged as an error; any
 * other failure reaches it as INTERNAL_ERROR with an error id, and is logged once, with the same id.
 */
@QuarkusTest
class ErrorReportingTest {

    private static final Pattern ERROR_ID = Pattern.compile("its id in the gateway's log is ([0-9a-z]{10})");

    @Inject
    Sql sql;

    @Test
    void shouldReportAClientErrorWithItsMessageAndCodeWithoutLoggingIt() {
        JsonNode response;
        List<String> lines;
        List<String> errors;
        try (LogCapture log = LogCapture.start()) {
            response = execute("{ run(id: \"nope\") { id } }");
            lines = log.lines();
            errors = log.errors();
        }
        assertJson("""
                {"errors": [{"message": "id must be a UUID such as 1b64098b-4ab7-43f6-afee-992304f198d8, got 'nope'", "locations": [{"line": 1, "column": 3}],
                  "path": ["run"], "extensions": {"code": "BAD_USER_INPUT", "classification": "DataFetchingException"}}],
                 "data": {"run": null}}""", response);
        assertEquals(List.of(), errors);
        assertTrue(lines.stream().noneMatch(line -> line.contains("nope")), lines::toString);
    }

    @Test
    void shouldMaskAnUnexpectedFailureAndLogItOnceUnderTheIdTheClientGets() throws Throwable {
        // A failure no client can cause or fix: the database refuses the write for a reason of its own.
        database("""
                create or replace function refuse_probe_project() returns trigger language plpgsql as $$
                begin raise exception 'projects.refuse_probe_project: no probes here'; end $$""");
        database("create trigger refuse_probe_project before insert on projects for each row"
                + " when (new.name = 'internal-error-probe') execute function refuse_probe_project()");
        JsonNode response;
        List<String> errors;
        try (LogCapture log = LogCapture.start()) {
            response = execute("mutation { createProject(input: {name: \"internal-error-probe\"}) { id } }");
            errors = log.errors();
        } finally {
            database("drop trigger refuse_probe_project on projects");
            database("drop function refuse_probe_project()");
        }

        String message = response.at("/errors/0/message").asText();
        Matcher id = ERROR_ID.matcher(message);
        assertTrue(id.find(), response::toString);
        assertJson("""
                {"errors": [{"message": "internal error; its id in the gateway's log is %s",
                  "locations": [{"line": 1, "column": 12}], "path": ["createProject"],
                  "extensions": {"code": "INTERNAL_ERROR", "classification": "DataFetchingException"}}],
                 "data": null}""".formatted(id.group(1)), response);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains(id.group(1)), errors::toString);
        assertTrue(errors.get(0).contains("no probes here"), "the log has the cause: " + errors);
    }

    private void database(String statement) throws Throwable {
        VertxContextSupport.subscribeAndAwait(
                () -> sql.pool().query(statement).execute().replaceWithVoid());
    }
}
