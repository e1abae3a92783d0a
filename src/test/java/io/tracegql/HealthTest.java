package io.tracegql;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class HealthTest {

    @Test
    void shouldReportTheDatabaseInReadiness() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"))
                .body("checks.name", hasItem("Run change feed (LISTEN tracegql_run_changes)"));
    }

    @Test
    void shouldServeTheGraphQLUserInterface() {
        given().when().get("/q/graphql-ui/").then().statusCode(200);
    }
}
