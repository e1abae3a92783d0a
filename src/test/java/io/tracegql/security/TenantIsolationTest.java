package io.tracegql.security;

import java.util.UUID;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tracegql.support.Api;
import io.tracegql.support.GraphQL;
import io.tracegql.support.Tenants;
import io.tracegql.support.TraceFixture;

import static io.restassured.RestAssured.given;
import static io.tracegql.support.GraphQL.assertJson;
import static io.tracegql.support.GraphQL.executeWithKey;
import static io.tracegql.support.TraceFixture.ALPHA;
import static io.tracegql.support.TraceFixture.R1;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Tenant B asks for tenant A's data through every entry point and gets exactly what it would get for
 * an id that does not exist. Tenant A is the default tenant with the hand-checked fixture.
 * {@link TenantIsolationEntryPointsTest} does the same through every later entry point.
 */
@QuarkusTest
class TenantIsolationTest {

    private static final UUID UNKNOWN = UUID.fromString("00000000-0000-4000-8000-00000000ffff");

    @Inject
    TraceFixture fixture;

    private String keyB;

    @BeforeEach
    void setUp() {
        fixture.load();
        keyB = Tenants.createWithKey("tenant-b-");
    }

    private RequestSpecification asB() {
        return given().header("x-api-key", keyB);
    }

    private JsonNode graphqlAsB(String query, Object... variables) {
        JsonNode response = executeWithKey(keyB, query, variables);
        assertFalse(response.has("errors"), () -> "errors: " + response);
        return response.get("data");
    }

    @Test
    void shouldSeeNoneOfAnotherTenantsDataThroughGraphQL() {
        String query = """
                query ($run: ID!, $project: ID!, $unknown: ID!) {
                  run(id: $run) { id } unknownRun: run(id: $unknown) { id }
                  trace(traceId: $run) { id }
                  project(id: $project) { id } unknownProject: project(id: $unknown) { id }
                  byName: project(name: "alpha") { id }
                  ofProject: runs(filter: {projectId: $project}) { nodes { id } }
                  byId: runs(filter: {ids: [$run]}) { nodes { id } }
                  all: runs { nodes { id } }
                  projects { nodes { id } }
                  runFacets { key value count }
                }""";
        assertJson(
                """
                {"run": null, "unknownRun": null, "trace": [], "project": null, "unknownProject": null,
                 "byName": null, "ofProject": {"nodes": []}, "byId": {"nodes": []}, "all": {"nodes": []},
                 "projects": {"nodes": []}, "runFacets": []}""",
                graphqlAsB(query, "run", R1.toString(), "project", ALPHA.toString(), "unknown", UNKNOWN.toString()));
    }

    @Test
    void shouldSeeNoneOfAnotherTenantsDataThroughRest() {
        asB().when().get("/runs/" + R1).then().statusCode(404);
        asB().when().get("/runs/" + UNKNOWN).then().statusCode(404);
        asB().when().get("/sessions/" + ALPHA).then().statusCode(404);
        asB().queryParam("name", "alpha")
                .when()
                .get("/sessions")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        asB().queryParam("run", R1.toString())
                .when()
                .get("/feedback")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        asB().contentType(ContentType.JSON)
                .body("{\"session\": [\"%s\"]}".formatted(ALPHA))
                .when()
                .post("/runs/query")
                .then()
                .statusCode(200)
                .body("runs", hasSize(0));
        asB().contentType(ContentType.JSON)
                .body("{\"trace\": \"%s\"}".formatted(R1))
                .when()
                .post("/runs/query")
                .then()
                .statusCode(200)
                .body("runs", hasSize(0));
    }

    @Test
    void shouldKeepWritesOfAnotherTenantAwayFromTheFirstTenantsData() {
        // Same project name, the same run id as A's root, an update and feedback aimed at A's run.
        asB().contentType(ContentType.JSON)
                .body("""
                        {"post": [{"id": "%s", "name": "b-run", "run_type": "chain", "session_name": "alpha",
                                   "start_time": "2024-06-01T00:00:00Z"}]}""".formatted(R1))
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(202);
        asB().contentType(ContentType.JSON)
                .body("{\"end_time\": \"2030-01-01T00:00:00Z\", \"outputs\": {\"hijacked\": true}}")
                .when()
                .patch("/runs/" + TraceFixture.R2)
                .then()
                .statusCode(202);
        asB().contentType(ContentType.JSON)
                .body("{\"run_id\": \"%s\", \"key\": \"correctness\", \"score\": 0}".formatted(TraceFixture.R5))
                .when()
                .post("/feedback")
                .then()
                .statusCode(200);

        JsonNode seenByA = GraphQL.data(
                """
                query ($r1: ID!, $r2: ID!, $r5: ID!) {
                  r1: run(id: $r1) { name projectId } r2: run(id: $r2) { endTime outputs }
                  r5: run(id: $r5) { feedbackStats { key } }
                  projects { nodes { name } }
                }""", "r1", R1.toString(), "r2", TraceFixture.R2.toString(), "r5", TraceFixture.R5.toString());
        assertJson("""
                {"r1": {"name": "pipeline", "projectId": "%s"},
                 "r2": {"endTime": "2024-05-01T10:00:04Z", "outputs": {"generations": [{"text": "hello"}]}},
                 "r5": {"feedbackStats": [{"key": "rating"}]},
                 "projects": {"nodes": [{"name": "empty"}, {"name": "beta"}, {"name": "alpha"}]}}""".formatted(ALPHA), seenByA);

        JsonNode seenByB =
                graphqlAsB("query ($r1: ID!) { run(id: $r1) { name project { id name } } }", "r1", R1.toString());
        assertEquals("b-run", seenByB.get("run").get("name").asText());
        assertEquals("alpha", seenByB.get("run").get("project").get("name").asText());
        assertNotEquals(
                ALPHA.toString(), seenByB.get("run").get("project").get("id").asText());
    }

    @Test
    void shouldTreatAParentInAnotherTenantAsAnUnknownParent() {
        String body = """
                {"post": [{"id": "%s", "parent_run_id": "%s", "name": "child", "run_type": "tool",
                           "start_time": "2024-06-01T00:00:00Z"}]}""";
        String toA = asB().contentType(ContentType.JSON)
                .body(body.formatted(UUID.randomUUID(), R1))
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(422)
                .extract()
                .path("message");
        String toNowhere = asB().contentType(ContentType.JSON)
                .body(body.formatted(UUID.randomUUID(), UNKNOWN))
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(422)
                .extract()
                .path("message");
        assertEquals(toNowhere.replace(UNKNOWN.toString(), "<parent>"), toA.replace(R1.toString(), "<parent>"));
    }

    @Test
    void shouldRefuseRequestsWithoutAValidKey() {
        JsonNode noKey = executeWithKey(null, "{ runs { nodes { id } } }");
        assertEquals(
                "UNAUTHENTICATED",
                noKey.get("errors").get(0).get("extensions").get("code").asText());
        JsonNode wrongKey = executeWithKey("tgq_not_a_key", "{ runs { nodes { id } } }");
        assertEquals(
                "UNAUTHENTICATED",
                wrongKey.get("errors").get(0).get("extensions").get("code").asText());
        given().when().get("/runs/" + R1).then().statusCode(401).body("error", equalTo("unauthenticated"));
        given().contentType(ContentType.JSON)
                .body("{\"post\": []}")
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + Api.KEY)
                .when()
                .get("/runs/" + R1)
                .then()
                .statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/graphql/schema.graphql").then().statusCode(200);
    }

    @Test
    void shouldLetOnlyTheAdministratorManageKeysAndStopARevokedKey() {
        JsonNode forbidden = GraphQL.execute("mutation { createTenant(name: \"sneaky\") { tenant { id } } }");
        assertEquals(
                "FORBIDDEN",
                forbidden.get("errors").get(0).get("extensions").get("code").asText());
        JsonNode adminReadingData = executeWithKey(Api.ADMIN_KEY, "{ runs { nodes { id } } }");
        assertEquals(
                "UNAUTHENTICATED",
                adminReadingData
                        .get("errors")
                        .get(0)
                        .get("extensions")
                        .get("code")
                        .asText());

        JsonNode tenant = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation { createTenant(name: \"tenant-c-%s\") { tenant { id } } }"
                                .formatted(UUID.randomUUID()))
                .get("data")
                .get("createTenant")
                .get("tenant");
        JsonNode key = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($t: ID!) { createApiKey(tenantId: $t, name: \"ci\") { id key } }",
                        "t",
                        tenant.get("id").asText())
                .get("data")
                .get("createApiKey");
        String secret = key.get("key").asText();
        assertFalse(executeWithKey(secret, "{ runs { nodes { id } } }").has("errors"));
        JsonNode revoked = executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($id: ID!) { revokeApiKey(id: $id) }",
                        "id",
                        key.get("id").asText())
                .get("data");
        assertJson("{\"revokeApiKey\": true}", revoked);
        JsonNode afterRevoke = executeWithKey(secret, "{ runs { nodes { id } } }");
        assertEquals(
                "UNAUTHENTICATED",
                afterRevoke.get("errors").get(0).get("extensions").get("code").asText());
    }
}
