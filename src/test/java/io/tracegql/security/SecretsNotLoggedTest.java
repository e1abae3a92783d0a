package io.tracegql.security;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;

import static io.tracegql.support.GraphQL.executeWithKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys (valid, wrong, new) never reach the log, whatever happens to the request. */
@QuarkusTest
class SecretsNotLoggedTest {

    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    line.append(' ').append(parameter);
                }
            }
            if (record.getThrown() != null) {
                line.append(' ').append(record.getThrown());
            }
            synchronized (logged) {
                logged.add(line.toString());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void shouldNeverLogAnApiKey() {
        String wrongKey = "tgq_wrong_key_that_must_not_be_logged";
        executeWithKey(wrongKey, "{ runs { nodes { id } } }");
        executeWithKey(Api.KEY, "{ run(id: \"not-a-uuid\") { id } }");
        JsonNode created = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation { createTenant(name: \"logged-%s\") { apiKey { key } } }"
                                .formatted(System.nanoTime()))
                .get("data")
                .get("createTenant");
        String newKey = created.get("apiKey").get("key").asText();
        executeWithKey(newKey, "{ runs(first: 500) { nodes { id } } }");
        executeWithKey(Api.KEY, "mutation { createTenant(name: \"x\") { tenant { id } } }");

        synchronized (logged) {
            assertTrue(!logged.isEmpty(), "the log was captured");
            for (String line : logged) {
                for (String secret : List.of(wrongKey, Api.KEY, Api.ADMIN_KEY, newKey)) {
                    assertEquals(-1, line.indexOf(secret), () -> "a key was logged: " + line);
                }
            }
        }
    }
}
