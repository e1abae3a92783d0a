package io.tracegql.graphql.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import jakarta.enterprise.context.ApplicationScoped;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.graphql.BoundedCache;
import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.errors.PersistedQueryNotFoundException;

/**
 * Automatic persisted queries as Apollo clients send them: {@code extensions.persistedQuery} with
 * {@code version: 1} and the {@code sha256Hash} of the query text (lower-case hex). A request with the
 * hash alone is answered with the text registered under it, or refused with {@code
 * PERSISTED_QUERY_NOT_FOUND}, upon which the client sends hash and text together, which registers
 * them. At most {@code tracegql.graphql.persisted-query-cache-size} texts are kept, least recently used
 * first out; a dropped one is registered again the same way.
 */
@ApplicationScoped
public class PersistedQueries {

    private final BoundedCache<String, String> texts;

    public PersistedQueries(TracegqlConfig config) {
        this.texts = new BoundedCache<>(config.graphql().persistedQueryCacheSize());
    }

    /**
     * The query text of a request: its own, registered under its hash when it carries one (which must
     * be the text's), or the text registered under the hash it carries instead.
     */
    String resolve(String query, Object version, Object hash) {
        if (!Integer.valueOf(1).equals(version)) {
            throw new InvalidInputException(
                    "extensions.persistedQuery.version: only version 1 is supported, got " + version);
        }
        if (!(hash instanceof String sha256) || sha256.isBlank()) {
            throw new InvalidInputException("extensions.persistedQuery.sha256Hash: give the SHA-256 hash of the"
                    + " query text in hexadecimal");
        }
        String key = sha256.toLowerCase(Locale.ROOT);
        if (query == null) {
            String known = texts.get(key);
            if (known == null) {
                throw new PersistedQueryNotFoundException();
            }
            return known;
        }
        if (!sha256(query).equals(key)) {
            throw new InvalidInputException("extensions.persistedQuery.sha256Hash: " + sha256
                    + " is not the SHA-256 hash of the query text; send the hash of exactly the text sent");
        }
        texts.put(key, query);
        return query;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
