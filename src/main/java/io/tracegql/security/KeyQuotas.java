package io.tracegql.security;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.TokenBucket;

/**
 * The quotas of each API key (tracegql.quotas): requests a second and ingest bytes a second, each a
 * {@link TokenBucket} per key in this instance's memory. Several instances behind a load balancer
 * each keep their own, so a key's quota is per instance. Keys are known by {@link ApiKeys#idOf}, never
 * by the secret.
 */
@ApplicationScoped
public class KeyQuotas {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final boolean enabled;
    private final int maxKeys;
    private final long maxDelayNanos;
    private final Function<String, TokenBucket> newRequestBucket;
    private final Function<String, TokenBucket> newIngestBucket;
    private final Map<String, TokenBucket> requests = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> ingestBytes = new ConcurrentHashMap<>();

    public KeyQuotas(TracegqlConfig config) {
        TracegqlConfig.Quotas quotas = config.quotas();
        this.enabled = quotas.enabled();
        this.maxKeys = Math.max(1, quotas.maxKeys());
        this.maxDelayNanos = Math.max(0, quotas.maxDelay().toNanos());
        double requestRate = quotas.requestsPerSecond();
        long requestBurst = quotas.requestBurst();
        double byteRate = quotas.ingestBytesPerSecond().asLongValue();
        long byteBurst = quotas.ingestBurst().asLongValue();
        if (enabled) {
            // Refuse a setting that cannot work at start rather than at the first request.
            new TokenBucket(requestRate, requestBurst, 0);
            new TokenBucket(byteRate, byteBurst, 0);
        }
        this.newRequestBucket = ignored -> new TokenBucket(requestRate, requestBurst, System.nanoTime());
        this.newIngestBucket = ignored -> new TokenBucket(byteRate, byteBurst, System.nanoTime());
    }

    /**
     * One more request of the key. Over the quota, it may be held (when {@code mayHold}) for at most
     * tracegql.quotas.max-delay: served at the end of it if its token comes by then (reserved, so
     * that later requests do not overtake it), else refused then. A client that sends its next
     * request when the last is answered is so slowed to its quota instead of spinning on refusals.
     */
    public Admission admitRequest(String keyId, boolean mayHold) {
        if (!enabled) {
            return Admission.NOW;
        }
        long maxWait = mayHold ? maxDelayNanos : 0;
        long wait = bucket(requests, newRequestBucket, keyId).take(1, System.nanoTime(), maxWait);
        if (wait == 0) {
            return Admission.NOW;
        }
        if (wait <= maxWait) {
            return new Admission(wait, 0);
        }
        // Retry-After counts from the refusal, which comes after the hold.
        return new Admission(maxWait, Math.max(1, seconds(wait - maxWait)));
    }

    /**
     * What becomes of a request: served after {@code delayNanos} (0: at once), or, when {@code
     * retryAfterSeconds} is above 0, refused after that delay with that Retry-After.
     */
    public record Admission(long delayNanos, long retryAfterSeconds) {
        static final Admission NOW = new Admission(0, 0);

        public boolean refused() {
            return retryAfterSeconds > 0;
        }
    }

    /** An ingest body of this many bytes from the key: 0 when admitted, else the seconds to wait. */
    public long admitIngestBytes(String keyId, long bytes) {
        return take(ingestBytes, newIngestBucket, keyId, bytes);
    }

    /** Counts bytes already received (a body without Content-Length), whatever the bucket holds. */
    public void chargeIngestBytes(String keyId, long bytes) {
        if (enabled && bytes > 0) {
            bucket(ingestBytes, newIngestBucket, keyId).charge(bytes, System.nanoTime());
        }
    }

    private long take(Map<String, TokenBucket> buckets, Function<String, TokenBucket> create, String keyId, long cost) {
        if (!enabled) {
            return 0;
        }
        return seconds(bucket(buckets, create, keyId).take(cost, System.nanoTime()));
    }

    /** Retry-After is whole seconds: rounded up, so that a client that waits that long is served. */
    private static long seconds(long nanos) {
        return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }

    private TokenBucket bucket(Map<String, TokenBucket> buckets, Function<String, TokenBucket> create, String keyId) {
        TokenBucket bucket = buckets.get(keyId);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= maxKeys) {
            evict(buckets);
        }
        return buckets.computeIfAbsent(keyId, create);
    }

    /** Drops full buckets (nothing is lost: a new one is full too); if every one is busy, some of them. */
    private void evict(Map<String, TokenBucket> buckets) {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
        Iterator<String> keys = buckets.keySet().iterator();
        while (buckets.size() >= maxKeys && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
