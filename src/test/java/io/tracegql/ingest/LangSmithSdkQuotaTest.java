package io.tracegql.ingest;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import io.tracegql.security.ApiKeys;
import io.tracegql.security.SmallQuotasProfile;
import io.tracegql.store.TenantStore;
import io.tracegql.support.GraphQL;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published LangSmith JS SDK retries what a quota refuses: traced with a key that has spent its
 * burst ({@link SmallQuotasProfile}: then one request every 4 s), it is answered 429 and still
 * delivers every run and the feedback.
 */
@QuarkusTest
@TestProfile(SmallQuotasProfile.class)
class LangSmithSdkQuotaTest {

    @Inject
    TenantStore tenants;

    @Inject
    ApiKeys apiKeys;

    @TestHTTPResource("/")
    URL base;

    @Test
    void shouldDeliverEveryRunOfTheSdkThroughA429() throws Exception {
        LangSmithSdkTest.SDK.install();
        String key = tenants.create("sdk-quota-" + UUID.randomUUID())
                .flatMap(tenant -> apiKeys.create(tenant.id(), "sdk"))
                .await()
                .indefinitely()
                .key();
        for (int i = 0; i < SmallQuotasProfile.REQUEST_BURST; i++) {
            given().header("x-api-key", key).when().get("/sessions").then().statusCode(200);
        }
        List<String> lines = LangSmithSdkTest.run(
                "trace-smoke.mjs",
                Map.of(
                        "LANGSMITH_ENDPOINT", "http://127.0.0.1:" + base.getPort(),
                        "LANGSMITH_API_KEY", key,
                        "LANGSMITH_TRACING", "true",
                        "LANGSMITH_PROJECT", "sdk-quota",
                        "TRACE_SMOKE_ID", "quota-1",
                        "TRACE_SMOKE_TIMEOUT_MS", "100000"));
        JsonNode ids = GraphQL.read(lines.get(0));
        assertTrue(ids.get("rateLimited").asInt() >= 1, ids::toString);

        JsonNode trace = readHonouringRetryAfter(
                key,
                "{\"query\": \"query ($t: ID!) { trace(traceId: $t) { name feedbackStats { key count } } }\","
                        + " \"variables\": {\"t\": \"" + ids.get("traceId").asText() + "\"}}");
        assertJson("""
                {"data": {"trace": [
                  {"name": "answer_question", "feedbackStats": [{"key": "correctness", "count": 1}]},
                  {"name": "call_model", "feedbackStats": []},
                  {"name": "lookup_tool", "feedbackStats": []}]}}""", trace);
    }

    /** A GraphQL answer for the key, waiting out the quota as a client should: Retry-After, then again. */
    private static JsonNode readHonouringRetryAfter(String key, String body) throws InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            Response response = given().header("x-api-key", key)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .when()
                    .post("/graphql");
            if (response.statusCode() != 429) {
                assertEquals(200, response.statusCode(), response::asString);
                return GraphQL.read(response.asString());
            }
            Thread.sleep(Long.parseLong(response.header("Retry-After")) * 1000);
        }
        throw new AssertionError("still refused after 10 waits");
    }
}
