package io.tracegql.graphql;

import java.util.List;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.LogCapture;
import io.tracegql.support.ProdLikeProfile;
import io.tracegql.support.RefusedProject;

import static io.tracegql.support.GraphQL.execute;
import static io.tracegql.support.GraphQL.executeWithKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a gateway in the prod profile logs of GraphQL errors: a refused request (bad input, a syntax or
 * validation error, no key) at DEBUG only; an unexpected failure once at ERROR, under the error id that
 * the client is given.
 */
@QuarkusTest
@TestProfile(ProdLikeProfile.class)
class ErrorLoggingInProdTest {

    @Inject
    Sql sql;

    @Test
    void shouldLogRefusedRequestsAtDebugOnly() {
        List<String> lines;
        List<String> errors;
        try (LogCapture log = LogCapture.startWithDebug("io.tracegql")) {
            execute("{ run(id: \"nope\") { id } }");
            execute("{ run(id: ");
            execute("{ run(id: \"nope\") { colour } }");
            executeWithKey(null, "{ projects { nodes { name } } }");
            lines = log.lines();
            errors = log.errors();
        }
        assertEquals(List.of(), errors);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("client error BAD_USER_INPUT")), lines::toString);
        assertEquals(
                2,
                lines.stream()
                        .filter(line -> line.startsWith("refused a GraphQL document"))
                        .count(),
                lines::toString);
    }

    @Test
    void shouldLogAnUnexpectedFailureOnceAtErrorUnderTheIdTheClientGets() throws Throwable {
        JsonNode response;
        List<String> errors;
        try (RefusedProject refused = RefusedProject.named(sql, "prod-error-probe");
                LogCapture log = LogCapture.start()) {
            response = execute("mutation { createProject(input: {name: \"prod-error-probe\"}) { id } }");
            errors = log.errors();
        }
        assertEquals("INTERNAL_ERROR", response.at("/errors/0/extensions/code").asText(), response::toString);
        String id = RefusedProject.errorId(response.at("/errors/0/message").asText());
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains(id), errors::toString);
        assertTrue(errors.get(0).contains(RefusedProject.CAUSE), "the log has the cause: " + errors);
    }
}
