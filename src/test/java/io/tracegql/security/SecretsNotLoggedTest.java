package io.tracegql.security;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.LogCapture;

import static io.tracegql.support.GraphQL.executeWithKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys (valid, wrong, new) never reach the log, whatever happens to the request. */
@QuarkusTest
class SecretsNotLoggedTest {

    @Test
    void shouldNeverLogAnApiKey() {
        String wrongKey = "tgq_wrong_key_that_must_not_be_logged";
        String newKey;
        List<String> lines;
        // Refused requests are logged at DEBUG only: collect those lines too.
        try (LogCapture log = LogCapture.startWithDebug("io.tracegql")) {
            executeWithKey(wrongKey, "{ runs { nodes { id } } }");
            executeWithKey(Api.KEY, "{ run(id: \"not-a-uuid\") { id } }");
            JsonNode created = executeWithKey(
                            Api.ADMIN_KEY,
                            "mutation { createTenant(name: \"logged-%s\") { apiKey { key } } }"
                                    .formatted(System.nanoTime()))
                    .get("data")
                    .get("createTenant");
            newKey = created.get("apiKey").get("key").asText();
            executeWithKey(newKey, "{ runs(first: 500) { nodes { id } } }");
            executeWithKey(Api.KEY, "mutation { createTenant(name: \"x\") { tenant { id } } }");
            lines = log.lines();
        }
        assertTrue(lines.stream().anyMatch(line -> line.contains("FORBIDDEN")), "the log was captured");
        for (String line : lines) {
            for (String secret : List.of(wrongKey, Api.KEY, Api.ADMIN_KEY, newKey)) {
                assertEquals(-1, line.indexOf(secret), () -> "a key was logged: " + line);
            }
        }
    }
}
