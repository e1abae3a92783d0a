package io.tracegql.security;

import java.util.UUID;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import io.tracegql.store.TenantStore;
import io.tracegql.support.GraphQL;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-key quotas over real HTTP with {@link SmallQuotasProfile}: a key over its quota is answered 429
 * with Retry-After, other keys are not, and waiting that long is enough. Every test has keys of its
 * own, made without a request, so that no test spends another's quota.
 */
@QuarkusTest
@TestProfile(SmallQuotasProfile.class)
class QuotasTest {

    private static final String QUERY = "{ projects { nodes { name } } }";

    @Inject
    TenantStore tenants;

    @Inject
    ApiKeys apiKeys;

    private String newKey() {
        return tenants.create("quota-" + UUID.randomUUID())
                .flatMap(tenant -> apiKeys.create(tenant.id(), "quota test"))
                .await()
                .indefinitely()
                .key();
    }

    private static Response graphql(String key) {
        return given().header("x-api-key", key)
                .contentType(ContentType.JSON)
                .body("{\"query\": \"" + QUERY + "\"}")
                .when()
                .post("/graphql");
    }

    private static Response postRun(String key, String name) {
        return given().header("x-api-key", key)
                .contentType(ContentType.JSON)
                .body(runOfSize(name, 3000))
                .when()
                .post("/runs");
    }

    /** A run whose JSON is exactly {@code bytes} long (ASCII). */
    private static String runOfSize(String name, int bytes) {
        String head = "{\"id\": \"" + UUID.randomUUID() + "\", \"name\": \"" + name
                + "\", \"run_type\": \"chain\", \"start_time\": \"2024-06-01T12:00:00Z\","
                + " \"session_name\": \"quotas\", \"inputs\": {\"q\": \"";
        String tail = "\"}}";
        int fill = bytes - head.length() - tail.length();
        return head + "quota ".repeat(fill / 6 + 1).substring(0, fill) + tail;
    }

    /** Retry-After is whole seconds, at least 1, and no more than a refill of what was asked takes. */
    private static void assertSecondsAtMost(int most, String retryAfter) {
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds >= 1 && seconds <= most, () -> "Retry-After: " + retryAfter);
    }

    private static void sleepSeconds(String retryAfter) {
        try {
            Thread.sleep(Long.parseLong(retryAfter) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldAnswerTheRequestAfterABurstWith429AndRetryAfterUntilTheKeyWaited() {
        String flooding = newKey();
        for (int i = 0; i < SmallQuotasProfile.REQUEST_BURST; i++) {
            graphql(flooding).then().statusCode(200);
        }
        Response refused = graphql(flooding);
        assertEquals(429, refused.statusCode(), refused::asString);
        // One request more needs one token: 2 s at 0.5 a second, less what refilled meanwhile.
        String retryAfter = refused.header("Retry-After");
        assertEquals("2", retryAfter);
        assertJson("""
                {"errors": [{"message": "this API key made more requests than its quota allows \
                (tracegql.quotas.requests-per-second); retry after 2 s", "extensions": {"code": "RATE_LIMITED"}}]}""", GraphQL.read(refused.asString()));

        String other = newKey();
        graphql(other).then().statusCode(200);

        sleepSeconds(retryAfter);
        graphql(flooding).then().statusCode(200);
    }

    @Test
    void shouldAnswerARestRequestOverTheQuotaWithTheJsonOfOtherRestErrors() {
        String key = newKey();
        for (int i = 0; i < SmallQuotasProfile.REQUEST_BURST; i++) {
            given().header("x-api-key", key).when().get("/sessions").then().statusCode(200);
        }
        Response refused = given().header("x-api-key", key).when().get("/sessions");
        assertEquals(429, refused.statusCode(), refused::asString);
        String retryAfter = refused.header("Retry-After");
        assertSecondsAtMost(4, retryAfter);
        assertJson("""
                {"error": "rate_limited", "message": "this API key made more requests than its quota allows \
                (tracegql.quotas.requests-per-second); retry after %s s"}""".formatted(retryAfter), GraphQL.read(refused.asString()));
    }

    @Test
    void shouldNotCountRequestsWithoutAValidKey() {
        String unknown = "tgq_not_a_key_" + UUID.randomUUID();
        for (int i = 0; i < 3 * SmallQuotasProfile.REQUEST_BURST; i++) {
            given().header("x-api-key", unknown).when().get("/sessions").then().statusCode(401);
        }
    }

    @Test
    void shouldRefuseIngestBodiesOverTheByteQuotaButNotOtherRequestsOfTheKey() {
        String key = newKey();
        // 4,000 bytes at once: one body of 3,000 fits, a second does not yet.
        postRun(key, "first").then().statusCode(202);
        Response refused = postRun(key, "second");
        assertEquals(429, refused.statusCode(), refused::asString);
        // 1,000 bytes are left; 2,000 more take 4 s at 500 a second, less what refilled meanwhile.
        String retryAfter = refused.header("Retry-After");
        assertSecondsAtMost(4, retryAfter);
        assertJson("""
                {"error": "rate_limited", "message": "this API key sent more ingest bytes than its quota allows \
                (tracegql.quotas.ingest-bytes-per-second); retry after %s s"}""".formatted(retryAfter), GraphQL.read(refused.asString()));

        // Reads of the same key are not ingest: they are served.
        graphql(key).then().statusCode(200);

        sleepSeconds(retryAfter);
        postRun(key, "second").then().statusCode(202);
        assertJson(
                "{\"data\": {\"project\": {\"runCount\": 2}}}",
                GraphQL.executeWithKey(key, "{ project(name: \"quotas\") { runCount } }"));
    }
}
