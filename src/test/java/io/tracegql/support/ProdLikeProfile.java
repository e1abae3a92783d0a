package io.tracegql.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Runs the gateway in the prod profile, as a packaged gateway runs, with only what a test needs on top:
 * the test database (the one given on the command line, if any), the test keys and a free port.
 */
public class ProdLikeProfile implements QuarkusTestProfile {

    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";

    @Override
    public String getConfigProfile() {
        return "prod";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                REACTIVE_URL,
                System.getProperty("%test." + REACTIVE_URL, "postgresql://127.0.0.1:5432/test"),
                JDBC_URL,
                System.getProperty("%test." + JDBC_URL, "jdbc:postgresql://127.0.0.1:5432/test"),
                "tracegql.default-tenant-key",
                Api.KEY,
                "tracegql.admin-key",
                Api.ADMIN_KEY,
                "quarkus.http.test-port",
                "0");
    }
}
