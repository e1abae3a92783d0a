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

    static FaultyTcpProxy proxy;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxyResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // Fail fast in the test: a request waits for the database at most two seconds.
        return Map.of("tracegql.database.request-timeout", "2s");
    }

    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                proxy = new FaultyTcpProxy(new InetSocketAddress("127.0.0.1", 5432));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String hostAndPort = "127.0.0.1:" + proxy.port();
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://" + hostAndPort + "/test",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostAndPort + "/test");
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
