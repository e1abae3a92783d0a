package io.tracegql.security;

import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.common.vertx.ContextLocals;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.live.SubscriberConnections;
import io.tracegql.live.TooManyConnectionsException;
import io.tracegql.store.ReadRouting;

/**
 * Authenticates every request before it reaches GraphQL or REST: an API key in {@code x-api-key}
 * (what LangSmith SDKs send) or {@code Authorization: Bearer}. Health, the GraphQL UI and schema,
 * /info, public share views and the trace explorer's static files (which hold no data) need none. The caller is kept for the request in a context local,
 * where {@link Tenancy} reads it. Keys are never logged. An authenticated request is then held to its
 * key's request quota ({@link KeyQuotas}) before any of its body is read; requests without a valid key
 * are not counted against any key.
 */
@ApplicationScoped
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    /** Runs before the GraphQL and REST handlers. */
    private static final int PRIORITY = 100;

    private final ApiKeys apiKeys;
    private final KeyQuotas quotas;
    private final SubscriberConnections connections;
    private final FairTurns turns;
    private final Optional<byte[]> adminKeyHash;
    private final int maxHeld;
    /** Requests waiting for their key's token. */
    private final AtomicInteger held = new AtomicInteger();

    public ApiKeyFilter(
            ApiKeys apiKeys,
            KeyQuotas quotas,
            SubscriberConnections connections,
            FairTurns turns,
            TracegqlConfig config) {
        this.apiKeys = apiKeys;
        this.quotas = quotas;
        this.connections = connections;
        this.turns = turns;
        this.maxHeld = config.quotas().maxHeldRequests();
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
            // Anonymous GraphQL: the endpoint answers what needs no key (share views, the schema's
            // introspection) and refuses anything else with 401, as this filter refuses a wrong key.
            rc.next();
            return;
        }
        if (key == null) {
            refuse(rc, UnauthenticatedException.KEY_REQUIRED);
            return;
        }
        String keyId = ApiKeys.idOf(key);
        if (adminKeyHash.isPresent() && MessageDigest.isEqual(adminKeyHash.get(), ApiKeys.hash(key))) {
            admit(rc, Caller.administrator(keyId));
            return;
        }
        apiKeys.tenantOf(key)
                .subscribe()
                .with(
                        tenant -> {
                            if (tenant.isEmpty()) {
                                refuse(rc, UnauthenticatedException.KEY_NOT_VALID);
                            } else {
                                // The key's id (a hash), not the key, names the reader whose writes its reads see.
                                ReadRouting.readFor(keyId, onlyReads(rc));
                                admit(rc, Caller.tenant(tenant.get(), keyId));
                            }
                        },
                        failure -> {
                            LOG.warnf("could not check an API key: %s", failure.getMessage());
                            respond(rc, 503, "UNAVAILABLE", "the database is unavailable; retry later");
                        });
    }

    /**
     * Lets an authenticated request through within its key's request quota, before its body is read
     * (held for at most tracegql.quotas.max-delay when over it), then in its key's turn
     * ({@link FairTurns}); a WebSocket upgrade also within the key's cap of connections, and without
     * a turn, which it would keep as long as it is open.
     */
    private void admit(RoutingContext rc, Caller caller) {
        KeyQuotas.Admission admission = quotas.admitRequest(caller.keyId(), mayHold());
        if (admission.delayNanos() == 0) {
            if (admission.refused()) {
                overQuota(rc, admission.retryAfterSeconds());
            } else {
                enter(rc, caller);
            }
            return;
        }
        held.incrementAndGet();
        // Whole milliseconds, rounded up: the token is there when the timer fires.
        long millis = Math.max(1, (admission.delayNanos() + 999_999) / 1_000_000);
        rc.vertx().setTimer(millis, ignored -> {
            held.decrementAndGet();
            if (rc.response().closed()) {
                return;
            }
            if (admission.refused()) {
                overQuota(rc, admission.retryAfterSeconds());
            } else {
                enter(rc, caller);
            }
        });
    }

    private boolean mayHold() {
        return held.get() + turns.waiting() < maxHeld;
    }

    private void enter(RoutingContext rc, Caller caller) {
        if (!connections.admitConnection(rc, caller.keyId())) {
            TooManyConnectionsException refusal = connections.tooManyConnections();
            respond(rc, 429, refusal.code(), refusal.getMessage());
            return;
        }
        ContextLocals.put(Caller.CONTEXT_KEY, caller);
        if (!turns.enabled() || isWebSocket(rc)) {
            rc.next();
            return;
        }
        FairTurns.Turn turn = turns.newTurn();
        // Both: the GraphQL endpoint replaces the response's end handler, which addEndHandler relies
        // on; the body's end comes with every answer, the end handler also when the client closes.
        rc.addBodyEndHandler(ignored -> turn.leave());
        rc.addEndHandler(ignored -> turn.leave());
        Context context = Vertx.currentContext();
        if (!turns.enter(turn, caller.keyId(), mayHold(), start -> context.runOnContext(ignored -> start.run()), () -> {
            if (!rc.response().closed()) {
                rc.next();
            }
        })) {
            rateLimited(
                    rc,
                    1,
                    "the gateway holds as many waiting requests as it may (tracegql.quotas.max-held-requests);"
                            + " retry after 1 s");
        }
    }

    private static void overQuota(RoutingContext rc, long retryAfter) {
        rateLimited(
                rc,
                retryAfter,
                "this API key made more requests than its quota allows (tracegql.quotas.requests-per-second);"
                        + " retry after " + retryAfter + " s");
    }

    /** A 429 with Retry-After (whole seconds), which the LangSmith SDKs and OTLP exporters honour. */
    private static void rateLimited(RoutingContext rc, long retryAfterSeconds, String message) {
        rc.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        respond(rc, 429, "RATE_LIMITED", message);
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
            return !isWebSocket(rc);
        }
        return rc.request().method() == HttpMethod.POST
                && (path.equals("/graphql")
                        || path.endsWith("/query")
                        || path.endsWith("/runs/stats")
                        || path.endsWith("/runs/group"));
    }

    private static boolean isWebSocket(RoutingContext rc) {
        return "websocket".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.UPGRADE));
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
        challenge(rc.response());
        respond(rc, 401, UnauthenticatedException.CODE, message);
    }

    /** The header of every 401: how to authenticate. */
    public static void challenge(HttpServerResponse response) {
        response.putHeader("WWW-Authenticate", "Bearer");
    }

    /** An error answer in the shape of the API the request was sent to: GraphQL's errors or REST's JSON. */
    static Future<Void> respond(RoutingContext rc, int status, String code, String message) {
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
        return rc.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.encode());
    }
}
