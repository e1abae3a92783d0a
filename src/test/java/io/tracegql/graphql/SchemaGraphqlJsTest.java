package io.tracegql.graphql;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.NodeProject;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checked-in schema is usable by standard tools: graphql-js ({@code src/test/node-schema}, the npm
 * {@code graphql} package) builds it, custom scalars included, every GraphQL example of the README is
 * valid against it, and one of them, sent by that script, gets the answer the fixture's data gives.
 */
@QuarkusTest
class SchemaGraphqlJsTest {

    private static final NodeProject GRAPHQL_JS = new NodeProject("src/test/node-schema", "graphql");
    private static final Pattern EXAMPLE = Pattern.compile("(?ms)^```graphql\\n(.*?)^```");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TraceFixture fixture;

    @TestHTTPResource("/graphql")
    URL graphql;

    /** The README's GraphQL examples that are documents (not schema excerpts), by their order in it. */
    private static Map<String, String> readmeDocuments() throws Exception {
        Map<String, String> documents = new LinkedHashMap<>();
        Matcher example = EXAMPLE.matcher(Files.readString(Path.of("README.md")));
        while (example.find()) {
            String text = example.group(1);
            if (!text.startsWith("type ") && !text.startsWith("scalar ")) {
                documents.put("README example " + (documents.size() + 1), text);
            }
        }
        return documents;
    }

    @Test
    void shouldLoadTheSchemaInGraphqlJsAndFindTheReadmeExamplesValidAndAnswered() throws Exception {
        fixture.load();
        Map<String, String> documents = readmeDocuments();
        assertTrue(documents.size() >= 5, () -> "the README's examples: " + documents.keySet());
        String traces = documents.entrySet().stream()
                .filter(e -> e.getValue().contains("traces(projectId: $project"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the README has no example of traces"));
        List<Map<String, String>> list = new ArrayList<>();
        documents.forEach((name, query) -> list.add(Map.of("name", name, "query", query)));
        Path file = Files.createTempFile("readme-documents", ".json");
        Files.writeString(file, JSON.writeValueAsString(list));

        List<String> lines = GRAPHQL_JS.run(
                "schema-check.mjs",
                Map.of(
                        "SCHEMA_FILE",
                        "schema.graphql",
                        "DOCUMENTS_FILE",
                        file.toString(),
                        "RUN",
                        traces,
                        "RUN_VARIABLES",
                        JSON.writeValueAsString(Map.of("project", TraceFixture.ALPHA.toString())),
                        "GATEWAY_URL",
                        graphql.toString(),
                        "API_KEY",
                        Api.KEY),
                Duration.ofSeconds(60));

        assertEquals(documents.size() + 2, lines.size(), lines::toString);
        assertJson("""
                {"step": "schema", "query": "Query", "scalars": ["BigDecimal", "BigInteger", "DateTime", "JSON"]}""", read(lines.get(0)));
        int line = 1;
        for (String name : documents.keySet()) {
            JsonNode validated = read(lines.get(line++));
            assertJson(
                    JSON.writeValueAsString(Map.of("step", "validated", "name", name, "errors", List.of())), validated);
        }
        // The traces of alpha with an error, most tokens first: T1 (its failed tool) and T2 (a failed root).
        assertJson("""
                {"step": "ran", "name": "%s", "status": 200, "response": {"data": {"traces": {"nodes": [
                  {"root": {"name": "pipeline"}, "runCount": 4, "errorCount": 1, "totalTokens": 150,
                   "totalCost": 0.00075, "latencySeconds": 10},
                  {"root": {"name": "ChatModel"}, "runCount": 1, "errorCount": 1, "totalTokens": 20,
                   "totalCost": 0.001, "latencySeconds": 2}]}}}}""".formatted(traces), read(lines.get(line)));
    }
}
