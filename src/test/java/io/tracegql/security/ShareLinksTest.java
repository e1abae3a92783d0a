package io.tracegql.security;

import java.util.List;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.LogCapture;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.executeWithKey;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static io.tracegql.support.TraceFixture.R4;
import static io.tracegql.support.TraceFixture.R5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ShareLinksTest {

    private static final String SHARE = "mutation ($run: ID!) { shareRun(runId: $run) }";
    private static final String SHARED =
            "query ($token: String!) { sharedRun(token: $token) { name runType latencySeconds } }";

    @Inject
    TraceFixture fixture;

    @BeforeEach
    void load() {
        fixture.load();
    }

    @Test
    void shouldShareATraceThroughAStableLinkThatOnlyShowsThatTrace() {
        List<String> lines;
        String url;
        String token;
        try (LogCapture log = LogCapture.start()) {
            url = data(SHARE, "run", R2.toString()).get("shareRun").asText();
            assertTrue(url.matches("http://localhost:8080/public/[A-Za-z0-9_-]{43}/r"), url);
            token = url.substring(url.indexOf("/public/") + 8, url.length() - 2);
            assertEquals(url, data(SHARE, "run", R1.toString()).get("shareRun").asText(), "one link per trace");
            assertJson(
                    """
                    {"r4": {"shareUrl": "%s"}, "r5": {"shareUrl": null}}""".formatted(url),
                    data(
                            "query ($r4: ID!, $r5: ID!) { r4: run(id: $r4) { shareUrl } r5: run(id: $r5) { shareUrl } }",
                            "r4",
                            R4.toString(),
                            "r5",
                            R5.toString()));

            JsonNode anonymous = executeWithKey(null, SHARED, "token", token);
            assertFalse(anonymous.has("errors"), anonymous::toString);
            assertJson("""
                    {"sharedRun": [
                      {"name": "pipeline", "runType": "CHAIN", "latencySeconds": 10.0},
                      {"name": "ChatModel", "runType": "LLM", "latencySeconds": 3.0},
                      {"name": "search", "runType": "TOOL", "latencySeconds": 1.0},
                      {"name": "retrieve", "runType": "RETRIEVER", "latencySeconds": 0.2}]}""", anonymous.get("data"));

            JsonNode navigation = executeWithKey(
                    null,
                    "query ($token: String!) { sharedRun(token: $token) { project { runCount } } }",
                    "token",
                    token);
            assertEquals(
                    "UNAUTHENTICATED",
                    navigation
                            .get("errors")
                            .get(0)
                            .get("extensions")
                            .get("code")
                            .asText(),
                    navigation::toString);
            JsonNode otherData = executeWithKey(null, "{ runs { nodes { id } } }");
            assertEquals(
                    "UNAUTHENTICATED",
                    otherData.get("errors").get(0).get("extensions").get("code").asText());

            assertJson(
                    "{\"unshareRun\": true}",
                    data("mutation ($run: ID!) { unshareRun(runId: $run) }", "run", R4.toString()));
            assertJson(
                    "{\"sharedRun\": null}",
                    executeWithKey(null, SHARED, "token", token).get("data"));
            assertJson(
                    "{\"run\": {\"shareUrl\": null}}",
                    data("query ($r: ID!) { run(id: $r) { shareUrl } }", "r", R2.toString()));
            lines = log.lines();
        }
        for (String line : lines) {
            assertEquals(-1, line.indexOf(token), () -> "a share token was logged: " + line);
        }
    }

    @Test
    void shouldNotShareAnotherTenantsRun() {
        String keyB = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($n: String!) { createTenant(name: $n) { apiKey { key } } }",
                        "n",
                        "share-b-" + System.nanoTime())
                .get("data")
                .get("createTenant")
                .get("apiKey")
                .get("key")
                .asText();
        JsonNode response = executeWithKey(keyB, SHARE, "run", TraceFixture.R1.toString());
        assertJson("{\"shareRun\": null}", response.get("data"));
    }

    @Test
    void shouldAnswerNullForAnUnknownToken() {
        assertJson(
                "{\"sharedRun\": null}",
                executeWithKey(null, SHARED, "token", "no-such-token").get("data"));
    }
}
