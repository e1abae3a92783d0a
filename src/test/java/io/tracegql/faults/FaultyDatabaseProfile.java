package io.tracegql.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Runs the gateway against PostgreSQL through a {@link FaultyTcpProxy} that tests can cut. */
public class FaultyDatabaseProfile implements QuarkusTestProfile {

    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    private static final String PROXIED = "faulty-proxy.";

    static FaultyTcpProxy proxy;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxyResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // Fail fast in the test: a request waits for the database at most two seconds. The URLs are
        // the proxy's (see ProxyResource), under the %test. keys too: a clone that tests against its
        // own database passes those on the command line, and only a profile's overrides win over them.
        // The test key stays known for the whole test, so that what an outage does to each request is
        // what the tests see, not a key that could not be checked because a slow machine outlasted its cache.
        return Map.of(
                "tracegql.database.request-timeout",
                "2s",
                "tracegql.api-keys.cache-ttl",
                "10m",
                REACTIVE_URL,
                "${" + PROXIED + REACTIVE_URL + "}",
                JDBC_URL,
                "${" + PROXIED + JDBC_URL + "}",
                "%test." + REACTIVE_URL,
                "${" + PROXIED + REACTIVE_URL + "}",
                "%test." + JDBC_URL,
                "${" + PROXIED + JDBC_URL + "}");
    }

    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                proxy = new FaultyTcpProxy(new InetSocketAddress("127.0.0.1", 5432));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String proxied = "127.0.0.1:" + proxy.port() + "/" + database();
            return Map.of(
                    PROXIED + REACTIVE_URL, "postgresql://" + proxied,
                    PROXIED + JDBC_URL, "jdbc:postgresql://" + proxied);
        }

        /** The database the tests use: "test", or the one given on the command line. */
        private static String database() {
            String url = System.getProperty("%test." + REACTIVE_URL, "postgresql://127.0.0.1:5432/test");
            return url.substring(url.lastIndexOf('/') + 1);
        }

        @Override
        public void stop() {
            try {
                proxy.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
