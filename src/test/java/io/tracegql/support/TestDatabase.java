package io.tracegql.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The tests' database for processes that a test starts itself (packaged gateways): the URL the
 * {@code %test} profile gives, from {@code -D%test.quarkus.datasource.<kind>.url} when the build was
 * told one, else from application.properties, so that these processes use the database the
 * in-process tests use.
 */
public final class TestDatabase {

    private TestDatabase() {}

    /** The reactive client's URL, {@code postgresql://host:port/database}. */
    public static String reactiveUrl() {
        return url("reactive");
    }

    /** Flyway's URL, {@code jdbc:postgresql://host:port/database}. */
    public static String jdbcUrl() {
        return url("jdbc");
    }

    private static String url(String kind) {
        String name = "%test.quarkus.datasource." + kind + ".url";
        String given = System.getProperty(name);
        if (given != null) {
            return given;
        }
        Properties properties = new Properties();
        try (InputStream in = TestDatabase.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is not on the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String configured = properties.getProperty(name);
        if (configured == null) {
            throw new IllegalStateException(name + " is not set in application.properties");
        }
        return configured;
    }
}
