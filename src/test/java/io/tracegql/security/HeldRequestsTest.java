package io.tracegql.security;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests over their key's quota are held (tracegql.quotas.max-delay) rather than refused at once,
 * and requests execute in turns (tracegql.quotas.max-concurrent-requests), over real HTTP with
 * {@link HeldRequestsProfile}. Every test has keys of its own, made without a request.
 */
@QuarkusTest
@TestProfile(HeldRequestsProfile.class)
class HeldRequestsTest {

    private static final String QUERY = "{ projects { nodes { name } } }";

    @Inject
    TenantStore tenants;

    @Inject
    ApiKeys apiKeys;

    private String newKey() {
        return tenants.create("held-" + UUID.randomUUID())
                .flatMap(tenant -> apiKeys.create(tenant.id(), "held requests test"))
                .await()
                .indefinitely()
                .key();
    }

    private static Response graphql(String key, String query) {
        return given().header("x-api-key", key)
                .contentType(ContentType.JSON)
                .body("{\"query\": \"" + query + "\"}")
                .when()
                .post("/graphql");
    }

    @Test
    void shouldHoldARequestWhoseTokenComesWithinTheDelayAndRefuseThoseBeyondItWhileAnotherKeyIsServed() {
        String flooding = newKey();
        for (int i = 0; i < HeldRequestsProfile.REQUEST_BURST; i++) {
            graphql(flooding, QUERY).then().statusCode(200);
        }
        // Three more: the next token comes in 10 s, within the 12 s hold; the ones after it do not.
        List<CompletableFuture<Response>> over = IntStream.range(0, 3)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> graphql(flooding, QUERY)))
                .toList();

        String other = newKey();
        assertJson(
                "{\"data\": {\"projects\": {\"nodes\": []}}}",
                GraphQL.read(graphql(other, QUERY).asString()));
        // The other key was answered while the flooding key's requests were still held.
        assertTrue(over.stream().noneMatch(CompletableFuture::isDone));

        List<Response> answers = over.stream().map(CompletableFuture::join).toList();
        Map<Integer, Long> byStatus =
                answers.stream().collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));
        assertEquals(Map.of(200, 1L, 429, 2L), byStatus);
        for (Response answer : answers) {
            if (answer.statusCode() == 200) {
                // Held before its body was read, and the body was still there to answer.
                assertJson("{\"data\": {\"projects\": {\"nodes\": []}}}", GraphQL.read(answer.asString()));
            } else {
                // Retry-After counts from the refusal, after the hold: the token after next is 8 s further.
                int retryAfter = Integer.parseInt(answer.header("Retry-After"));
                assertTrue(retryAfter >= 1 && retryAfter <= 8, () -> "Retry-After: " + retryAfter);
                assertJson("""
                        {"errors": [{"message": "this API key made more requests than its quota allows \
                        (tracegql.quotas.requests-per-second); retry after %d s", "extensions": {"code": "RATE_LIMITED"}}]}""".formatted(retryAfter), GraphQL.read(answer.asString()));
            }
        }
    }

    @Test
    void shouldGiveTheTurnBackWhateverTheAnswerSoThatTheNextRequestRuns() {
        // One request executes at a time: a turn that was not given back would leave every later one waiting.
        Function<String, Integer> graphqlError = key -> graphql(key, "{ nope }").statusCode();
        for (int i = 0; i < 4; i++) {
            String key = newKey();
            assertEquals(200, graphql(key, QUERY).statusCode());
            assertEquals(400, graphqlError.apply(key));
            assertEquals(
                    404,
                    given().header("x-api-key", key)
                            .when()
                            .get("/runs/" + UUID.randomUUID())
                            .statusCode());
        }
        String key = newKey();
        assertFalse(graphql(key, "{ projects { nodes { name } } }").asString().contains("\"errors\""));
    }
}
