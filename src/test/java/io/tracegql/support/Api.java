package io.tracegql.support;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** Requests as a client of the default tenant: with the API key the test profile configures. */
public final class Api {

    /** The default tenant's key (tracegql.default-tenant-key in the test profile). */
    public static final String KEY = "tgq_test_default_tenant_key";
    /** The administrator key (tracegql.admin-key in the test profile). */
    public static final String ADMIN_KEY = "tgq_test_admin_key";

    private Api() {}

    public static RequestSpecification api() {
        return given().header("x-api-key", KEY);
    }

    /** Sends runs and updates to {@code POST /runs/batch} and expects them accepted. */
    public static void postBatch(String body) {
        api().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/runs/batch")
                .then()
                .statusCode(202);
    }
}
