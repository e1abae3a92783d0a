package io.tracegql.ingest;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.TraceFixture;

import static io.tracegql.support.Api.api;
import static io.tracegql.support.TraceFixture.ALPHA;
import static io.tracegql.support.TraceFixture.R1;
import static io.tracegql.support.TraceFixture.R2;
import static io.tracegql.support.TraceFixture.R5;
import static io.tracegql.support.TraceFixture.R6;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** The LangSmith REST read API that the SDK clients use, over the hand-checked fixture. */
@QuarkusTest
class LangSmithReadTest {

    @Inject
    TraceFixture fixture;

    @BeforeEach
    void load() {
        fixture.load();
    }

    @Test
    void shouldReadARunWithItsFeedbackStats() {
        api().when()
                .get("/runs/" + R1)
                .then()
                .statusCode(200)
                .body("id", equalTo(R1.toString()))
                .body("name", equalTo("pipeline"))
                .body("run_type", equalTo("chain"))
                .body("session_id", equalTo(ALPHA.toString()))
                .body("start_time", equalTo("2024-05-01T10:00Z"))
                .body("inputs.messages[0].content", equalTo("hi there"))
                .body("feedback_stats.correctness.n", equalTo(2))
                .body("feedback_stats.correctness.avg", equalTo(0.5f))
                .body("feedback_stats.rating.values.good", equalTo(1));
    }

    @Test
    void shouldAnswer404ForAnUnknownRunAnd400ForABadId() {
        api().when()
                .get("/runs/00000000-0000-4000-8000-00000000ffff")
                .then()
                .statusCode(404)
                .body("error", equalTo("not_found"));
        api().when().get("/runs/nope").then().statusCode(400).body("part", equalTo("id"));
    }

    @Test
    void shouldQueryRunsWithTheFilterLanguageAndPageByCursor() {
        String body = "{\"session\": [\"%s\"], \"filter\": \"eq(is_root, true)\", \"limit\": 2, \"select\": [\"name\"]}"
                .formatted(ALPHA);
        String next = api().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/runs/query")
                .then()
                .statusCode(200)
                .body("runs.id", contains(R6.toString(), R5.toString()))
                .body("runs[0].name", equalTo("pipeline"))
                .extract()
                .path("cursors.next");
        api().contentType(ContentType.JSON)
                .body(body.replace("\"limit\": 2", "\"limit\": 2, \"cursor\": \"" + next + "\""))
                .when()
                .post("/runs/query")
                .then()
                .statusCode(200)
                .body("runs.id", contains(R1.toString()))
                .body("cursors.next", nullValue());
    }

    @Test
    void shouldQueryRunsByTraceAndTypedFields() {
        api().contentType(ContentType.JSON)
                .body("{\"trace\": \"%s\", \"filter\": \"eq(run_type, 'llm')\"}".formatted(R1))
                .when()
                .post("/runs/query")
                .then()
                .statusCode(200)
                .body("runs.id", contains(R2.toString()))
                .body("runs[0].total_tokens", equalTo(150));
    }

    @Test
    void shouldRefuseAFilterItDoesNotSupport() {
        api().contentType(ContentType.JSON)
                .body("{\"filter\": \"like(name, 'a%')\"}")
                .when()
                .post("/runs/query")
                .then()
                .statusCode(400)
                .body("part", equalTo("filter"))
                .body("message", startsWith("filter: unsupported comparator 'like'"));
    }

    @Test
    void shouldFindSessionsByNameAndReportTheirStats() {
        api().queryParam("name", "alpha")
                .when()
                .get("/sessions")
                .then()
                .statusCode(200)
                .body("id", contains(ALPHA.toString()));
        api().queryParam("name", "nope")
                .when()
                .get("/sessions")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        api().queryParam("include_stats", true)
                .when()
                .get("/sessions/" + ALPHA)
                .then()
                .statusCode(200)
                .body("name", equalTo("alpha"))
                .body("run_count", equalTo(3))
                // From the rollups: within 1% of the exact median, 6 s (see ProjectQueriesTest)
                .body("latency_p50", equalTo(6.034179f))
                .body("total_tokens", equalTo(170))
                .body("feedback_stats.rating.n", equalTo(3))
                .body("session_feedback_stats.release.values.yes", equalTo(1));
    }

    @Test
    void shouldListFeedbackOfARunByKeyPageByPage() {
        api().queryParam("run", R1.toString())
                .queryParam("key", "correctness")
                .queryParam("limit", 1)
                .when()
                .get("/feedback")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].key", equalTo("correctness"))
                .body("[0].run_id", equalTo(R1.toString()))
                .body("[0].trace_id", equalTo(R1.toString()));
        api().queryParam("run", R1.toString())
                .queryParam("offset", 0)
                .when()
                .get("/feedback")
                .then()
                .statusCode(200)
                .body("$", hasSize(3));
    }

    @Test
    void shouldServeAnUnknownSessionAs404() {
        api().when().get("/sessions/" + TraceFixture.run(999)).then().statusCode(404);
    }
}
