package io.tracegql.graphql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The schema checked into the repository is the one the gateway serves. After an intended change,
 * refresh it with {@code ./mvnw test -Dtest=SchemaTest -DupdateSchema=true}.
 */
@QuarkusTest
class SchemaTest {

    private static final Path CHECKED_IN = Path.of("schema.graphql");

    @Test
    void shouldServeTheCheckedInSchema() throws IOException {
        String served = given().when()
                .get("/graphql/schema.graphql")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        if (Boolean.getBoolean("updateSchema")) {
            Files.writeString(CHECKED_IN, served, StandardCharsets.UTF_8);
        }
        String expected = Files.exists(CHECKED_IN) ? Files.readString(CHECKED_IN, StandardCharsets.UTF_8) : "";
        assertEquals(
                expected,
                served,
                "the served schema differs from schema.graphql; if the change is intended, run"
                        + " ./mvnw test -Dtest=SchemaTest -DupdateSchema=true");
    }
}
