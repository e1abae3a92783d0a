package io.tracegql.graphql;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.LogCapture;
import io.tracegql.support.ProdLikeProfile;

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

    private static final Pattern ERROR_ID = Pattern.compile("its id in the gateway's log is ([0-9a-z]{10})");

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
        database("""
                create or replace function refuse_prod_probe() returns trigger language plpgsql as $$
                begin raise exception 'projects.refuse_prod_probe: no probes here'; end $$""");
        database("create trigger refuse_prod_probe before insert on projects for each row"
                + " when (new.name = 'prod-error-probe') execute function refuse_prod_probe()");
        JsonNode response;
        List<String> errors;
        try (LogCapture log = LogCapture.start()) {
            response = execute("mutation { createProject(input: {name: \"prod-error-probe\"}) { id } }");
            errors = log.errors();
        } finally {
            database("drop trigger refuse_prod_probe on projects");
            database("drop function refuse_prod_probe()");
        }
        assertEquals("INTERNAL_ERROR", response.at("/errors/0/extensions/code").asText(), response::toString);
        Matcher id = ERROR_ID.matcher(response.at("/errors/0/message").asText());
        assertTrue(id.find(), response::toString);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains(id.group(1)), errors::toString);
        assertTrue(errors.get(0).contains("no probes here"), "the log has the cause: " + errors);
    }

    private void database(String statement) throws Throwable {
        VertxContextSupport.subscribeAndAwait(
                () -> sql.pool().query(statement).execute().replaceWithVoid());
    }
}
