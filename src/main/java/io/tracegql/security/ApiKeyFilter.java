package io.tracegql.security;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.common.vertx.ContextLocals;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.store.ReadRouting;

/**
 * Authenticates every request before it reaches GraphQL or REST: an API key in {@code x-api-key}
 * (what LangSmith SDKs send) or {@code Authorization: Bearer}. Health, the GraphQL UI and schema,
 * /info, public share views and the trace explorer's static files (which hold no data) need none. The caller is kept for the request in a context local,
 * where {@link Tenancy} reads it. Keys are never logged.
 */
@ApplicationScoped
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    /** Runs before the GraphQL and REST handlers. */
    private static final int PRIORITY = 100;

    private final ApiKeys apiKeys;
    private final Optional<byte[]> adminKeyHash;

    public ApiKeyFilter(ApiKeys apiKeys, TracegqlConfig config) {
        this.apiKeys = apiKeys;
        this.adminKeyHash = config.adminKey().filter(k -> !k.isBlank()).map(ApiKeys::hash);
    }

    void register(@Observes Filters filters) {
        filters.register(this::authenticate, PRIORITY);
    }

    private void authenticate(RoutingContext rc) {
        if (isPublic(rc)) {
            rc.next();
            return;
        }
        String key = keyOf(rc);
        if (key == null && rc.normalizedPath().equals("/graphql")) {
            // Anonymous GraphQL: only public share views answer; every other field reports UNAUTHENTICATED.
            rc.next();
            return;
        }
        if (key == null) {
            refuse(rc, "an API key is required: send it in the x-api-key header or as Authorization: Bearer <key>");
            return;
        }
        if (adminKeyHash.isPresent() && MessageDigest.isEqual(adminKeyHash.get(), ApiKeys.hash(key))) {
            ContextLocals.put(Caller.CONTEXT_KEY, Caller.administrator());
            rc.next();
            return;
        }
        apiKeys.tenantOf(key)
                .subscribe()
                .with(
                        tenant -> {
                            if (tenant.isEmpty()) {
                                refuse(rc, "the API key is not valid (unknown or revoked)");
                            } else {
                                ContextLocals.put(Caller.CONTEXT_KEY, Caller.tenant(tenant.get()));
                                // The key's hash, not the key, names the reader whose writes its reads see.
                                ReadRouting.readFor(HexFormat.of().formatHex(ApiKeys.hash(key)), onlyReads(rc));
                                rc.next();
                            }
                        },
                        failure -> {
                            LOG.warnf("could not check an API key: %s", failure.getMessage());
                            respond(rc, 503, "UNAVAILABLE", "the database is unavailable; retry later");
                        });
    }

    /**
     * Whether the request only reads, and so may be answered by the read replica: GET requests other
     * than a WebSocket's (subscriptions read what the change feed announced, from the primary),
     * GraphQL over POST (the endpoint sends mutations back to the primary) and LangSmith's read calls
     * that take a body ({@code runs/query}, {@code traces/query}, {@code threads/query},
     * {@code runs/stats}, {@code runs/group}).
     */
    private static boolean onlyReads(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (rc.request().method() == HttpMethod.GET) {
            return !"websocket".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.UPGRADE));
        }
        return rc.request().method() == HttpMethod.POST
                && (path.equals("/graphql")
                        || path.endsWith("/query")
                        || path.endsWith("/runs/stats")
                        || path.endsWith("/runs/group"));
    }

    private static boolean isPublic(RoutingContext rc) {
        String path = rc.normalizedPath();
        return path.startsWith("/q/")
                || path.equals("/graphql/schema.graphql")
                || path.equals("/info")
                || path.startsWith("/public/")
                || path.equals("/ui")
                || path.startsWith("/ui/");
    }

    private static String keyOf(RoutingContext rc) {
        return keyOf(rc.request()::getHeader);
    }

    /** The key in x-api-key or Authorization: Bearer, given a header lookup by (any case) name; null if none. */
    static String keyOf(Function<String, String> header) {
        String key = header.apply("x-api-key");
        if (key != null && !key.isBlank()) {
            return key.strip();
        }
        String authorization = header.apply(HttpHeaders.AUTHORIZATION.toString());
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    private static void refuse(RoutingContext rc, String message) {
        rc.response().putHeader("WWW-Authenticate", "Bearer");
        respond(rc, 401, "UNAUTHENTICATED", message);
    }

    /** A GraphQL-shaped error on the GraphQL endpoint, LangSmith-style JSON elsewhere. */
    private static void respond(RoutingContext rc, int status, String code, String message) {
        JsonObject body = rc.normalizedPath().startsWith("/graphql")
                ? new JsonObject()
                        .put(
                                "errors",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("message", message)
                                                .put("extensions", new JsonObject().put("code", code))))
                : new JsonObject()
                        .put("error", code.toLowerCase(java.util.Locale.ROOT))
                        .put("message", message);
        rc.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.encode());
    }
}
