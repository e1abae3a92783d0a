package io.tracegql.graphql;

import java.util.List;
import java.util.Map;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.store.Sql;
import io.tracegql.support.Statements;
import io.tracegql.support.TraceFixture;

import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.data;
import static io.tracegql.support.GraphQL.userError;
import static io.tracegql.support.TraceFixture.ALPHA;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class AnalyticsQueriesTest {

    private static final String STATS = """
            query ($filter: RunFilter, $p: [Float!]) {
              runStats(filter: $filter, probabilities: $p) {
                runCount errorCount errorRate
                latencyQuantiles { probability seconds } firstTokenQuantiles { probability seconds }
                totalTokens promptTokens completionTokens totalCost promptCost completionCost
                feedbackStats { key count meanScore values { value count } }
              }
            }""";

    private static final String SERIES = """
            query ($filter: RunFilter!, $window: TimeRange!, $bucket: TimeBucket!) {
              timeSeries(filter: $filter, window: $window, bucket: $bucket) {
                start runCount errorCount latencyP50 latencyP99 firstTokenP50 totalTokens totalCost
              }
            }""";

    @Inject
    TraceFixture fixture;

    @Inject
    Sql sql;

    @BeforeEach
    void load() {
        fixture.load();
    }

    @Test
    void shouldAggregateEveryRunWithoutAFilter() {
        // All 7 runs, every type and depth. Errors: R3, R5. Latencies of the 6 finished runs
        // [0.2, 1, 2, 3, 4, 10]: p50 at position 2.5 = 2.5; p99 at 4.95 = 4 + 0.95 * 6 = 9.7 (in binary
        // floating point 9.700000000000001, as 4.95 - 4 is a little over 0.95).
        // First tokens [0.2, 0.5]: p50 = 0.35, p99 = 0.2 + 0.99 * 0.3 = 0.497. Tokens and costs are
        // recorded on R2 (100 + 50, .00025 + .0005) and R5 (20 as sent, .001). Without a filter the
        // quantiles are read from the rollups' histograms, each within 1% of those exact values.
        // Feedback on runs: R1 correctness 1 and 0, R1 rating good, R5 rating good and bad.
        assertJson("""
                {"runStats": {
                  "runCount": 7, "errorCount": 2, "errorRate": 0.2857142857142857,
                  "latencyQuantiles": [{"probability": 0.5, "seconds": 2.483947562447023},
                                       {"probability": 0.99, "seconds": 9.771703621687195}],
                  "firstTokenQuantiles": [{"probability": 0.5, "seconds": 0.3507031728632659},
                                          {"probability": 0.99, "seconds": 0.498522727792525}],
                  "totalTokens": 170, "promptTokens": 110, "completionTokens": 55,
                  "totalCost": 0.00175, "promptCost": 0.00025, "completionCost": 0.0005,
                  "feedbackStats": [
                    {"key": "correctness", "count": 2, "meanScore": 0.5, "values": []},
                    {"key": "rating", "count": 3, "meanScore": null,
                     "values": [{"value": "good", "count": 2}, {"value": "bad", "count": 1}]}]
                }}""", data(STATS));
    }

    @Test
    void shouldAggregateOnlyTheRunsTheFilterMatches() {
        // alpha's llm runs R2 (3 s, first token 0.5 s) and R5 (2 s, 0.2 s, error): quantiles 0 and 1
        // are the smallest and largest values. Only R5's feedback (rating good, bad) is counted.
        assertJson(
                """
                {"runStats": {
                  "runCount": 2, "errorCount": 1, "errorRate": 0.5,
                  "latencyQuantiles": [{"probability": 0.0, "seconds": 2.0}, {"probability": 1.0, "seconds": 3.0}],
                  "firstTokenQuantiles": [{"probability": 0.0, "seconds": 0.2}, {"probability": 1.0, "seconds": 0.5}],
                  "totalTokens": 170, "promptTokens": 110, "completionTokens": 55,
                  "totalCost": 0.00175, "promptCost": 0.00025, "completionCost": 0.0005,
                  "feedbackStats": [
                    {"key": "rating", "count": 2, "meanScore": null,
                     "values": [{"value": "bad", "count": 1}, {"value": "good", "count": 1}]}]
                }}""",
                data(
                        STATS,
                        "filter",
                        Map.of("projectId", ALPHA.toString(), "runTypes", List.of("LLM")),
                        "p",
                        List.of(0, 1)));
    }

    @Test
    void shouldAnswerZeroesAndNullsWhenNothingMatches() {
        assertJson("""
                {"runStats": {
                  "runCount": 0, "errorCount": 0, "errorRate": null,
                  "latencyQuantiles": [{"probability": 0.9, "seconds": null}],
                  "firstTokenQuantiles": [{"probability": 0.9, "seconds": null}],
                  "totalTokens": 0, "promptTokens": 0, "completionTokens": 0,
                  "totalCost": 0, "promptCost": 0, "completionCost": 0, "feedbackStats": []
                }}""", data(STATS, "filter", Map.of("search", "nowhere"), "p", List.of(0.9)));
    }

    @Test
    void shouldRefuseProbabilitiesOutsideZeroToOneAndTooMany() {
        assertEquals(
                "probabilities[1]: 1.5 is not between 0 and 1 (0.5 is the median)",
                userError(STATS, "p", List.of(0.5, 1.5)).get("message").asText());
        assertEquals(
                "probabilities: 11 given, at most 10 are accepted",
                userError(STATS, "p", List.of(0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1))
                        .get("message")
                        .asText());
    }

    @Test
    void shouldAggregateEveryDayOfTheWindowIncludingEmptyOnes() {
        // The window starts at noon on April 30: the first bucket starts at midnight and is empty.
        // May 1: R1-R4, latencies [0.2, 1, 3, 10]: p50 = 2, p99 at 2.97 = 3 + 0.97 * 7 = 9.79, R3 failed,
        // first token R2 0.5 s, tokens and cost R2. May 2: R5. May 3: R6, still running. May 4: only beta.
        assertJson(
                """
                {"timeSeries": [
                  {"start": "2024-04-30T00:00:00Z", "runCount": 0, "errorCount": 0, "latencyP50": null,
                   "latencyP99": null, "firstTokenP50": null, "totalTokens": 0, "totalCost": 0},
                  {"start": "2024-05-01T00:00:00Z", "runCount": 4, "errorCount": 1, "latencyP50": 2.0,
                   "latencyP99": 9.79, "firstTokenP50": 0.5, "totalTokens": 150, "totalCost": 0.00075},
                  {"start": "2024-05-02T00:00:00Z", "runCount": 1, "errorCount": 1, "latencyP50": 2.0,
                   "latencyP99": 2.0, "firstTokenP50": 0.2, "totalTokens": 20, "totalCost": 0.001},
                  {"start": "2024-05-03T00:00:00Z", "runCount": 1, "errorCount": 0, "latencyP50": null,
                   "latencyP99": null, "firstTokenP50": null, "totalTokens": 0, "totalCost": 0},
                  {"start": "2024-05-04T00:00:00Z", "runCount": 0, "errorCount": 0, "latencyP50": null,
                   "latencyP99": null, "firstTokenP50": null, "totalTokens": 0, "totalCost": 0}
                ]}""",
                data(
                        SERIES,
                        "filter",
                        Map.of("projectId", ALPHA.toString()),
                        "window",
                        Map.of("from", "2024-04-30T12:00:00Z", "to", "2024-05-05T00:00:00Z"),
                        "bucket",
                        "DAY"));
    }

    @Test
    void shouldGiveTheFeedbackOnEachBucketsRuns() {
        // May 1: R1 correctness 1 and 0 (mean 0.5), rating "good" (no score). May 2: R5 rating "good"
        // and "bad". The project's own feedback (release) belongs to no run and no bucket.
        assertJson(
                """
                {"timeSeries": [
                  {"start": "2024-05-01T00:00:00Z", "feedbackScores": [
                    {"key": "correctness", "count": 2, "meanScore": 0.5},
                    {"key": "rating", "count": 1, "meanScore": null}]},
                  {"start": "2024-05-02T00:00:00Z", "feedbackScores": [{"key": "rating", "count": 2, "meanScore": null}]},
                  {"start": "2024-05-03T00:00:00Z", "feedbackScores": []}
                ]}""",
                data(
                        """
                        query ($filter: RunFilter!, $window: TimeRange!) {
                          timeSeries(filter: $filter, window: $window, bucket: DAY) {
                            start feedbackScores { key count meanScore } } }""",
                        "filter",
                        Map.of("projectId", ALPHA.toString()),
                        "window",
                        Map.of("from", "2024-05-01T00:00:00Z", "to", "2024-05-04T00:00:00Z")));
    }

    @Test
    void shouldAggregateEveryProjectOfAPageForAWindowWithOneStatementEach() {
        // May 1 is T1: alpha's R1-R4, latencies [0.2, 1, 3, 10] (p50 2, p99 9.79), R3 failed, R2's
        // tokens, R1's feedback. Beta's only run (R7) started on May 4 and the empty project has none.
        String query = """
                {
                  projects {
                    nodes {
                      name
                      runStats(filter: {startTime: {from: "2024-05-01T00:00:00Z", to: "2024-05-02T00:00:00Z"}}) {
                        runCount errorCount latencyQuantiles { probability seconds } totalTokens
                        feedbackStats { key count meanScore }
                      }
                    }
                  }
                }""";
        assertEquals(3, Statements.of(sql, () -> data(query)), "the page, the stats of all projects, their feedback");
        JsonNode projects = data(query);
        String none = """
                {"runCount": 0, "errorCount": 0,
                 "latencyQuantiles": [{"probability": 0.5, "seconds": null}, {"probability": 0.99, "seconds": null}],
                 "totalTokens": 0, "feedbackStats": []}""";
        assertJson("""
                {"projects": {"nodes": [
                  {"name": "empty", "runStats": %s},
                  {"name": "beta", "runStats": %s},
                  {"name": "alpha", "runStats": {"runCount": 4, "errorCount": 1,
                   "latencyQuantiles": [{"probability": 0.5, "seconds": 2.0}, {"probability": 0.99, "seconds": 9.79}],
                   "totalTokens": 150,
                   "feedbackStats": [{"key": "correctness", "count": 2, "meanScore": 0.5},
                                     {"key": "rating", "count": 1, "meanScore": null}]}}
                ]}}""".formatted(none, none), projects);
    }

    @Test
    void shouldBucketByMonthAndHour() {
        // Every run started in May 2024: the same aggregates as runStats without a filter, read from the
        // hourly rollups (the window is on whole hours).
        assertJson(
                """
                {"timeSeries": [
                  {"start": "2024-04-01T00:00:00Z", "runCount": 0, "errorCount": 0, "latencyP50": null,
                   "latencyP99": null, "firstTokenP50": null, "totalTokens": 0, "totalCost": 0},
                  {"start": "2024-05-01T00:00:00Z", "runCount": 7, "errorCount": 2, "latencyP50": 2.483947562447023,
                   "latencyP99": 9.771703621687195, "firstTokenP50": 0.3507031728632659, "totalTokens": 170,
                   "totalCost": 0.00175}
                ]}""",
                data(
                        SERIES,
                        "filter",
                        Map.of(),
                        "window",
                        Map.of("from", "2024-04-15T00:00:00Z", "to", "2024-06-01T00:00:00Z"),
                        "bucket",
                        "MONTH"));
        // Trace T1 ran from 10:00 to 10:00:10 on May 1; the window ends before the second hour.
        assertJson(
                """
                {"timeSeries": [
                  {"start": "2024-05-01T09:00:00Z", "runCount": 0, "errorCount": 0, "latencyP50": null,
                   "latencyP99": null, "firstTokenP50": null, "totalTokens": 0, "totalCost": 0},
                  {"start": "2024-05-01T10:00:00Z", "runCount": 2, "errorCount": 1, "latencyP50": 5.5,
                   "latencyP99": 9.91, "firstTokenP50": null, "totalTokens": 0, "totalCost": 0}
                ]}""",
                data(
                        SERIES,
                        "filter",
                        Map.of("runTypes", List.of("CHAIN", "TOOL")),
                        "window",
                        Map.of("from", "2024-05-01T09:30:00+00:00", "to", "2024-05-01T10:30:00Z"),
                        "bucket",
                        "HOUR"));
    }

    @Test
    void shouldRefuseWindowsWithoutEndsOrWithTooManyBuckets() {
        Map<String, Object> filter = Map.of();
        assertEquals(
                "window: both from and to are required",
                userError(SERIES, "filter", filter, "window", Map.of("from", "2024-05-01T00:00:00Z"), "bucket", "DAY")
                        .get("message")
                        .asText());
        assertEquals(
                "window: from (2024-05-02T00:00Z) must be before to (2024-05-01T00:00Z)",
                userError(
                                SERIES,
                                "filter",
                                filter,
                                "window",
                                Map.of("from", "2024-05-02T00:00:00Z", "to", "2024-05-01T00:00:00Z"),
                                "bucket",
                                "DAY")
                        .get("message")
                        .asText());
        assertEquals(
                "window: from 2024-05-01T00:00Z to 2024-05-01T16:40:01Z spans 1001 MINUTE buckets, over the limit"
                        + " of 1000; narrow the window or choose a wider bucket",
                userError(
                                SERIES,
                                "filter",
                                filter,
                                "window",
                                Map.of("from", "2024-05-01T00:00:00Z", "to", "2024-05-01T16:40:01Z"),
                                "bucket",
                                "MINUTE")
                        .get("message")
                        .asText());
        // 1000 minutes exactly is the largest series.
        assertEquals(
                1000,
                data(
                                SERIES,
                                "filter",
                                filter,
                                "window",
                                Map.of("from", "2024-05-01T00:00:00Z", "to", "2024-05-01T16:40:00Z"),
                                "bucket",
                                "MINUTE")
                        .get("timeSeries")
                        .size());
    }
}
