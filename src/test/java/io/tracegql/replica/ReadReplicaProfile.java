package io.tracegql.replica;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Runs the gateway on a primary of its own with a streaming replica of it. */
public class ReadReplicaProfile implements QuarkusTestProfile {

    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    private static final String PAIR = "replica-pair.";

    static ReplicaPair pair;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PairResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // Under the %test. keys too: a clone that tests against its own database passes those on the
        // command line, and only a profile's overrides win over them.
        return Map.of(
                REACTIVE_URL,
                "${" + PAIR + "primary}",
                JDBC_URL,
                "jdbc:${" + PAIR + "primary}",
                "%test." + REACTIVE_URL,
                "${" + PAIR + "primary}",
                "%test." + JDBC_URL,
                "jdbc:${" + PAIR + "primary}",
                "tracegql.read-datasource.url",
                "${" + PAIR + "replica}",
                // A replica whose replay a test paused falls behind: a bound far above any test's
                // pause keeps it serving.
                "tracegql.read-datasource.max-lag",
                "60s",
                "tracegql.database.request-timeout",
                "5s");
    }

    public static class PairResource implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            pair = new ReplicaPair();
            return Map.of(PAIR + "primary", pair.primaryUrl(), PAIR + "replica", pair.replicaUrl());
        }

        @Override
        public void stop() {
            pair.close();
        }
    }
}
