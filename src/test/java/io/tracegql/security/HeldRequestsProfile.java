package io.tracegql.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Quotas that hold requests: 3 at once, then one every 10 s, each held up to 12 s; one request of
 * any key executing at a time. The refill is slow so that a busy machine does not refill the bucket
 * before the test ran out of it.
 */
public class HeldRequestsProfile implements QuarkusTestProfile {

    static final int REQUEST_BURST = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tracegql.quotas.requests-per-second",
                "0.1",
                "tracegql.quotas.request-burst",
                String.valueOf(REQUEST_BURST),
                "tracegql.quotas.max-delay",
                "12s",
                "tracegql.quotas.max-concurrent-requests",
                "1");
    }
}
