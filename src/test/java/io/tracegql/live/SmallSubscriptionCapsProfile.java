package io.tracegql.live;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Caps small enough to reach in a test: 2 subscriptions a connection, 3 a key, 2 connections a key. */
public class SmallSubscriptionCapsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tracegql.subscriptions.max-per-connection", "2",
                "tracegql.subscriptions.max-per-key", "3",
                "tracegql.subscriptions.max-connections-per-key", "2");
    }
}
