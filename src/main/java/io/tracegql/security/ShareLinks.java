package io.tracegql.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.store.Sql;

/**
 * Public share links of traces. A link's token is HMAC-SHA256(secret, nonce): the database keeps the
 * random nonce and the token's hash, so the link can be shown again while shared but a copy of the
 * database alone reveals no link. Tokens are never logged.
 */
@ApplicationScoped
public class ShareLinks {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Sql sql;
    private final Optional<byte[]> secret;
    private final String baseUrl;

    public ShareLinks(Sql sql, TracegqlConfig config) {
        this.sql = sql;
        this.secret = config.share().secret().filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8));
        this.baseUrl = config.share().baseUrl().replaceAll("/+$", "");
    }

    public boolean enabled() {
        return secret.isPresent();
    }

    /** Shares a trace (again: an existing link stays the same); returns its URL. */
    public Uni<String> share(UUID tenantId, UUID traceId) {
        return shareToken(tenantId, traceId).map(this::url);
    }

    /** Shares a trace like {@link #share}; returns the token of its link, the part of the URL that grants access. */
    public Uni<String> shareToken(UUID tenantId, UUID traceId) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String token = token(nonce);
        return sql.query(
                        "insert into run_shares (tenant_id, trace_id, nonce, token_hash) values ($1, $2, $3, $4)"
                                + " on conflict (tenant_id, trace_id) do nothing",
                        Tuple.of(tenantId, traceId, Buffer.buffer(nonce), Buffer.buffer(ApiKeys.hash(token))))
                .flatMap(ignored -> tokensByTraceIds(tenantId, List.of(traceId)))
                .map(tokens -> tokens.get(0));
    }

    public Uni<Boolean> unshare(UUID tenantId, UUID traceId) {
        return sql.query("delete from run_shares where tenant_id = $1 and trace_id = $2", Tuple.of(tenantId, traceId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The share URL of each trace (null where it is not shared), in the order of the trace ids. */
    public Uni<List<String>> urlsByTraceIds(UUID tenantId, List<UUID> traceIds) {
        return tokensByTraceIds(tenantId, traceIds).map(tokens -> tokens.stream()
                .map(token -> token == null ? null : url(token))
                .toList());
    }

    /** The link token of each trace (null where it is not shared), in the order of the trace ids. */
    public Uni<List<String>> tokensByTraceIds(UUID tenantId, List<UUID> traceIds) {
        if (traceIds.isEmpty() || secret.isEmpty()) {
            List<String> none = new ArrayList<>();
            traceIds.forEach(id -> none.add(null));
            return Uni.createFrom().item(none);
        }
        return sql.query(
                        "select trace_id, nonce from run_shares where tenant_id = $1 and trace_id = any($2::uuid[])",
                        Tuple.of(tenantId, traceIds.stream().distinct().toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, String> byTrace = new HashMap<>();
                    for (Row row : rows) {
                        byTrace.put(
                                row.getUUID("trace_id"),
                                token(row.getBuffer("nonce").getBytes()));
                    }
                    List<String> tokens = new ArrayList<>(traceIds.size());
                    traceIds.forEach(id -> tokens.add(byTrace.get(id)));
                    return tokens;
                });
    }

    /** The tenant and trace a token shares, if it is a live link. */
    public Uni<Optional<SharedTrace>> resolve(String token) {
        return sql.query(
                        "select tenant_id, trace_id from run_shares where token_hash = $1",
                        Tuple.of(Buffer.buffer(ApiKeys.hash(token))))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row row = it.next();
                    return Optional.of(new SharedTrace(row.getUUID("tenant_id"), row.getUUID("trace_id")));
                });
    }

    private String url(String token) {
        return baseUrl + "/public/" + token + "/r";
    }

    private String token(byte[] nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.orElseThrow(), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    public record SharedTrace(UUID tenantId, UUID traceId) {}
}
