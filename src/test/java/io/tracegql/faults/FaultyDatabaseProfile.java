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

    static FaultyTcpProxy proxy;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxyResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // Fail fast in the test: a request waits for the database at most two seconds. The URLs are
        // the proxy's, under the %test. keys too: a clone that tests against its own database passes
        // those on the command line, and only a profile's overrides win over them. They are given as
        // values: an expression naming a test resource's property does not resolve on every Quarkus.
        String proxied = "127.0.0.1:" + proxy().port() + "/" + database();
        // The test key stays known for the whole test, so that what an outage does to each request is
        // what the tests see, not a key that could not be checked because a slow machine outlasted its cache.
        return Map.of(
                "tracegql.database.request-timeout",
                "2s",
                "tracegql.api-keys.cache-ttl",
                "10m",
                REACTIVE_URL,
                "postgresql://" + proxied,
                JDBC_URL,
                "jdbc:postgresql://" + proxied,
                "%test." + REACTIVE_URL,
                "postgresql://" + proxied,
                "%test." + JDBC_URL,
                "jdbc:postgresql://" + proxied);
    }

    /** The proxy of this test run, opened when the profile's configuration is first asked for. */
    private static synchronized FaultyTcpProxy proxy() {
        if (proxy == null) {
            try {
                proxy = new FaultyTcpProxy(new InetSocketAddress("127.0.0.1", 5432));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return proxy;
    }

    /** The database the tests use: "test", or the one given on the command line. */
    private static String database() {
        String url = System.getProperty("%test." + REACTIVE_URL, "postgresql://127.0.0.1:5432/test");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Closes the proxy when the tests of the profile are done. */
    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            proxy();
            return Map.of();
        }

        @Override
        public void stop() {
            synchronized (FaultyDatabaseProfile.class) {
                try {
                    if (proxy != null) {
                        proxy.close();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    proxy = null;
                }
            }
        }
    }
}
