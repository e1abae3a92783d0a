package io.tracegql.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Quotas small enough to run out of in a test: 5 requests at once, then one every 4 s; 4,000 ingest
 * bytes at once, then 500 a second. Slow refills, so that a test on a busy machine still runs out
 * before the bucket refilled. No request is held (that is {@link HeldRequestsProfile}'s): a request
 * over the quota is answered at once.
 */
public class SmallQuotasProfile implements QuarkusTestProfile {

    public static final int REQUEST_BURST = 5;
    static final int INGEST_BURST = 4000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tracegql.quotas.requests-per-second",
                "0.5",
                "tracegql.quotas.request-burst",
                String.valueOf(REQUEST_BURST),
                "tracegql.quotas.ingest-bytes-per-second",
                "500",
                "tracegql.quotas.ingest-burst",
                String.valueOf(INGEST_BURST),
                "tracegql.quotas.max-delay",
                "0");
    }
}
