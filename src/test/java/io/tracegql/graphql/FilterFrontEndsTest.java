package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tracegql.domain.RunFilterRules;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.api;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.execute;
import static io.tracegql.support.GraphQL.read;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static io.tracegql.support.TraceFixture.R3;
import static io.tracegql.support.TraceFixture.R4;
import static io.tracegql.support.TraceFixture.R5;
import static io.tracegql.support.TraceFixture.R7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule of a run filter through every front-end: the typed GraphQL filter, a filter-language
 * expression in GraphQL ({@code runs(filterExpression:)}) and in REST ({@code POST /runs/query}).
 * Each case is one filter written both ways; all three accept it and return the same runs, or all
 * three refuse it for the same rule.
 */
@QuarkusTest
class FilterFrontEndsTest {

    private static final String TYPED = "query ($filter: RunFilter) { runs(filter: $filter) { nodes { id } } }";
    private static final String EXPRESSION = "query ($e: String) { runs(filterExpression: $e) { nodes { id } } }";
    private static final String LIMIT = String.valueOf(RunFilterRules.MAX_NESTING);

    @Inject
    TraceFixture fixture;

    @BeforeEach
    void load() {
        fixture.load();
    }

    /**
     * One filter written both ways. {@code runs} are the runs it returns, newest first; when null it
     * is refused, and every front-end's message contains {@code refusal}.
     */
    record Case(String rule, Object typed, String expression, List<UUID> runs, String refusal) {

        static Case accepted(String rule, Object typed, String expression, UUID... runs) {
            return new Case(rule, typed, expression, List.of(runs), null);
        }

        static Case refused(String rule, Object typed, String expression, String refusal) {
            return new Case(rule, typed, expression, null, refusal);
        }

        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Case> cases() {
        String weather1000 = "weather ".repeat(125);
        List<String> tags1000 = tags(RunFilterRules.MAX_VALUES - 1);
        tags1000.add("v1");
        List<String> tags1001 = tags(RunFilterRules.MAX_VALUES + 1);
        String may2 = "2024-05-02T00:00:00Z";
        String may3 = "2024-05-03T00:00:00Z";
        return Stream.of(
                Case.accepted("run type", Map.of("runTypes", List.of("LLM")), "eq(run_type, \"llm\")", R5, R2),
                Case.accepted("not a root", Map.of("isRoot", false), "neq(is_root, true)", R4, R3, R2),
                Case.accepted(
                        "all of the tags",
                        Map.of("tagsAll", List.of("v1", "prod")),
                        "and(has(tags, \"v1\"), has(tags, \"prod\"))",
                        R1),
                Case.accepted(
                        "any of the tags",
                        Map.of("tagsAny", List.of("v1", "nope")),
                        "in(tags, [\"v1\", \"nope\"])",
                        R5,
                        R1),
                Case.accepted(
                        "latency range",
                        Map.of("latencySeconds", Map.of("min", 2.0, "max", 5.0)),
                        "and(gte(latency, 2), lte(latency, \"5s\"))",
                        R7,
                        R5,
                        R2),
                Case.accepted(
                        "a range of one value",
                        Map.of("latencySeconds", Map.of("min", 3.0, "max", 3.0)),
                        "and(gte(latency, 3), lte(latency, 3))",
                        R2),
                Case.accepted(
                        "start-time window",
                        Map.of("startTime", Map.of("from", may2, "to", may3)),
                        "and(gte(start_time, \"" + may2 + "\"), lt(start_time, \"" + may3 + "\"))",
                        R5),
                Case.accepted(
                        "metadata pairs",
                        Map.of(
                                "metadata",
                                List.of(
                                        Map.of("key", "env", "value", "prod"),
                                        Map.of("key", "user_id", "value", "u1"))),
                        "and(and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\")),"
                                + " and(eq(metadata_key, \"user_id\"), eq(metadata_value, \"u1\")))",
                        R1),
                Case.accepted(
                        "feedback and score",
                        Map.of("feedback", Map.of("key", "correctness", "minScore", 0.5)),
                        "and(eq(feedback_key, \"correctness\"), gte(feedback_score, 0.5))",
                        R1),
                Case.accepted(
                        "or of ands",
                        Map.of(
                                "or",
                                List.of(Map.of("runTypes", List.of("LLM"), "isRoot", true), Map.of("name", "other"))),
                        "or(and(eq(run_type, \"llm\"), eq(is_root, true)), eq(name, \"other\"))",
                        R7,
                        R5),
                Case.accepted(
                        "search with another condition",
                        Map.of("search", "weather", "hasError", true),
                        "and(search(\"weather\"), eq(error, true))",
                        R3),
                Case.accepted(
                        "nesting at the limit",
                        nestedAnds(RunFilterRules.MAX_NESTING),
                        nestedExpression(RunFilterRules.MAX_NESTING),
                        R5),
                Case.accepted(
                        "search at the length limit",
                        Map.of("search", weather1000),
                        "search(\"" + weather1000 + "\")",
                        R4,
                        R3),
                Case.accepted(
                        "text at the length limit",
                        Map.of("name", "a".repeat(RunFilterRules.MAX_TEXT_LENGTH)),
                        "eq(name, \"" + "a".repeat(RunFilterRules.MAX_TEXT_LENGTH) + "\")"),
                Case.accepted(
                        "list at the size limit",
                        Map.of("tagsAny", tags1000),
                        "in(tags, " + list(tags1000) + ")",
                        R5,
                        R1),
                Case.refused(
                        "nesting too deep",
                        nestedAnds(RunFilterRules.MAX_NESTING + 1),
                        nestedExpression(RunFilterRules.MAX_NESTING + 1),
                        "and/or filters may nest at most " + LIMIT + " levels"),
                Case.refused(
                        "search too long",
                        Map.of("search", weather1000 + "w"),
                        "search(\"" + weather1000 + "w\")",
                        "is 1001 characters long; at most 1000 are accepted"),
                Case.refused(
                        "blank search",
                        Map.of("search", "  "),
                        "search(\"  \")",
                        "must contain at least one word; leave it out to match every run"),
                Case.refused(
                        "text too long",
                        Map.of("name", "a".repeat(1001)),
                        "eq(name, \"" + "a".repeat(1001) + "\")",
                        "holds a text of 1001 characters; at most 1000 are accepted"),
                Case.refused(
                        "list too long",
                        Map.of("tagsAny", tags1001),
                        "in(tags, " + list(tags1001) + ")",
                        "the list has 1001 values; at most 1000 are accepted"),
                Case.refused(
                        "empty list",
                        Map.of("runTypes", List.of()),
                        "in(run_type, [])",
                        "the list is empty, so no run could match"),
                Case.refused(
                        "inverted range",
                        Map.of("latencySeconds", Map.of("min", 5.0, "max", 1.0)),
                        "and(gte(latency, 5), lte(latency, 1))",
                        "cannot both hold, so the filter would match nothing; check the bounds"),
                Case.refused(
                        "empty range across nested ands",
                        Map.of(
                                "latencySeconds",
                                Map.of("min", 5.0),
                                "and",
                                List.of(Map.of("latencySeconds", Map.of("max", 1.0)))),
                        "and(gte(latency, 5), and(lte(latency, 1)))",
                        "cannot both hold, so the filter would match nothing; check the bounds"),
                Case.refused(
                        "empty time window",
                        Map.of("startTime", Map.of("from", may2, "to", may2)),
                        "and(gte(start_time, \"" + may2 + "\"), lt(start_time, \"" + may2 + "\"))",
                        "cannot both hold, so the filter would match nothing; check the bounds"),
                Case.refused(
                        "inverted feedback score range",
                        Map.of("feedback", Map.of("key", "correctness", "minScore", 0.9, "maxScore", 0.1)),
                        "and(eq(feedback_key, \"correctness\"), gte(feedback_score, 0.9), lte(feedback_score, 0.1))",
                        "cannot both hold, so the filter would match nothing; check the bounds"),
                Case.refused(
                        "a metadata key with two values",
                        Map.of(
                                "metadata",
                                List.of(Map.of("key", "env", "value", "a"), Map.of("key", "env", "value", "b"))),
                        "and(and(eq(metadata_key, \"env\"), eq(metadata_value, \"a\")),"
                                + " and(eq(metadata_key, \"env\"), eq(metadata_value, \"b\")))",
                        "metadata key 'env' has one value"),
                Case.refused(
                        "negative bound",
                        Map.of("totalTokens", Map.of("max", -1)),
                        "lte(total_tokens, -1)",
                        "negative bound, but total_tokens is never below 0"),
                Case.refused(
                        "blank feedback key",
                        Map.of("feedback", Map.of("key", " ")),
                        "eq(feedback_key, \" \")",
                        "the feedback key must not be empty"),
                Case.refused("unknown field", Map.of("colour", "red"), "eq(colour, \"red\")", "'colour'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldAcceptAndRefuseTheSameFiltersInEveryFrontEnd(Case c) {
        JsonNode typed = execute(TYPED, "filter", c.typed());
        JsonNode expression = execute(EXPRESSION, "e", c.expression());
        var rest = api().contentType(ContentType.JSON)
                .body(Map.of("filter", c.expression(), "select", List.of("name")))
                .when()
                .post("/runs/query")
                .then()
                .extract();
        if (c.runs() != null) {
            String nodes = c.runs().stream()
                    .map(id -> "{\"id\": \"" + id + "\"}")
                    .collect(Collectors.joining(", ", "{\"data\": {\"runs\": {\"nodes\": [", "]}}}"));
            assertJson(nodes, typed);
            assertJson(nodes, expression);
            assertEquals(200, rest.statusCode(), rest::asString);
            assertEquals(
                    c.runs().stream().map(UUID::toString).toList(),
                    rest.jsonPath().getList("runs.id"),
                    rest::asString);
            return;
        }
        assertRefused(typed, c.rule().equals("unknown field") ? "ValidationError" : "BAD_USER_INPUT", c.refusal());
        assertRefused(expression, "BAD_USER_INPUT", c.refusal());
        assertTrue(expression.at("/errors/0/message").asText().startsWith("filterExpression: "), expression::toString);
        JsonNode restError = read(rest.asString());
        assertEquals(400, rest.statusCode(), restError::toString);
        assertEquals("filter", restError.get("part").asText(), restError::toString);
        assertTrue(restError.get("message").asText().contains(c.refusal()), restError::toString);
    }

    /** A refusal by GraphQL: no runs, and an error of this code or classification saying why. */
    private static void assertRefused(JsonNode response, String code, String refusal) {
        JsonNode error = response.path("errors").path(0);
        String actual = error.path("extensions").path("code").asText(null);
        if (actual == null) {
            actual = error.path("extensions").path("classification").asText();
        }
        assertEquals(code, actual, response::toString);
        assertTrue(error.path("message").asText().contains(refusal), response::toString);
        assertTrue(
                response.path("data").path("runs").isMissingNode()
                        || response.path("data").path("runs").isNull(),
                response::toString);
    }

    /** {@code levels} and lists nested in the outermost filter, holding the roots that failed. */
    private static Map<String, Object> nestedAnds(int levels) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("isRoot", true);
        filter.put("hasError", true);
        for (int level = 0; level < levels; level++) {
            filter = Map.of("and", List.of(filter));
        }
        return filter;
    }

    /** The same as and(...) groups: the outermost one and {@code levels} inside it. */
    private static String nestedExpression(int levels) {
        return "and(".repeat(levels) + "and(eq(is_root, true), eq(error, true))" + ")".repeat(levels);
    }

    private static List<String> tags(int count) {
        return IntStream.range(0, count).mapToObj(i -> "t" + i).collect(Collectors.toCollection(ArrayList::new));
    }

    private static String list(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
}
