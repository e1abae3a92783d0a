package io.tracegql.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.store.Sql;

/**
 * API keys: 256 random bits, shown once when created, stored only as their SHA-256 (a fast hash is
 * enough for secrets that cannot be guessed). Lookups are cached for a few seconds, so a revoked key
 * stops working within {@code tracegql.api-keys.cache-ttl}.
 */
@ApplicationScoped
public class ApiKeys {

    private static final String PREFIX = "tgq_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Sql sql;
    private final long cacheTtlNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeys(Sql sql, TracegqlConfig config) {
        this.sql = sql;
        this.cacheTtlNanos = config.apiKeys().cacheTtl().toNanos();
    }

    /** A new secret key; the caller shows it once and stores only {@link #hash}. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /**
     * What a key is known by in memory (caches, quotas, subscription counts): its hash, never the
     * secret itself.
     */
    public static String idOf(String key) {
        return idOf(hash(key));
    }

    private static String idOf(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }

    /** The tenant of an active key, or empty for an unknown or revoked key. */
    public Uni<Optional<UUID>> tenantOf(String key) {
        byte[] hash = hash(key);
        String cacheKey = idOf(hash);
        Cached cached = cache.get(cacheKey);
        long now = System.nanoTime();
        if (cached != null && now - cached.at < cacheTtlNanos) {
            return Uni.createFrom().item(cached.tenant);
        }
        return sql.query(
                        "select tenant_id from api_keys where key_hash = $1 and revoked_at is null",
                        Tuple.of(Buffer.buffer(hash)))
                .map(rows -> {
                    var it = rows.iterator();
                    Optional<UUID> tenant =
                            it.hasNext() ? Optional.of(it.next().getUUID("tenant_id")) : Optional.empty();
                    if (cache.size() > 10_000) {
                        cache.clear();
                    }
                    cache.put(cacheKey, new Cached(tenant, now));
                    return tenant;
                });
    }

    /** Creates a key for a tenant; returns its id and the secret (shown once). */
    public Uni<CreatedKey> create(UUID tenantId, String name) {
        String key = newKey();
        UUID id = UUID.randomUUID();
        return sql.query(
                        "insert into api_keys (id, tenant_id, name, key_hash) values ($1, $2, $3, $4)",
                        Tuple.of(id, tenantId, name, Buffer.buffer(hash(key))))
                .map(ignored -> new CreatedKey(id, tenantId, name, key));
    }

    /** Makes sure this key belongs to the tenant (used to bootstrap a configured key). */
    public Uni<Void> ensure(UUID tenantId, String name, String key) {
        return sql.query(
                        "insert into api_keys (id, tenant_id, name, key_hash) values ($1, $2, $3, $4)"
                                + " on conflict (key_hash) do nothing",
                        Tuple.of(UUID.randomUUID(), tenantId, name, Buffer.buffer(hash(key))))
                .replaceWithVoid();
    }

    /** Revokes a key; false when there is no such active key. */
    public Uni<Boolean> revoke(UUID id) {
        return sql.query("update api_keys set revoked_at = now() where id = $1 and revoked_at is null", Tuple.of(id))
                .map(rows -> rows.rowCount() == 1)
                .invoke(cache::clear);
    }

    /** A key just created: the secret is only ever available here. */
    public record CreatedKey(UUID id, UUID tenantId, String name, String key) {}

    private record Cached(Optional<UUID> tenant, long at) {}
}
