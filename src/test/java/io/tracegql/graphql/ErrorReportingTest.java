package io.tracegql.graphql;

import java.util.List;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.LogCapture;
import io.tracegql.support.RefusedProject;

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
        JsonNode response;
        List<String> errors;
        try (RefusedProject refused = RefusedProject.named(sql, "internal-error-probe");
                LogCapture log = LogCapture.start()) {
            response = execute("mutation { createProject(input: {name: \"internal-error-probe\"}) { id } }");
            errors = log.errors();
        }

        String id = RefusedProject.errorId(response.at("/errors/0/message").asText());
        assertJson("""
                {"errors": [{"message": "internal error; its id in the gateway's log is %s",
                  "locations": [{"line": 1, "column": 12}], "path": ["createProject"],
                  "extensions": {"code": "INTERNAL_ERROR", "classification": "DataFetchingException"}}],
                 "data": null}""".formatted(id), response);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains(id), errors::toString);
        assertTrue(errors.get(0).contains(RefusedProject.CAUSE), "the log has the cause: " + errors);
    }
}
