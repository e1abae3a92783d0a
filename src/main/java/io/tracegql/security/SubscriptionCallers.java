package io.tracegql.security;

import java.util.concurrent.Executor;
import jakarta.enterprise.context.ApplicationScoped;

import graphql.GraphQLContext;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import io.tracegql.live.ConnectionRequest;

/**
 * Who a subscription acts for. Its events are resolved long after the WebSocket upgrade request and
 * outside of it, so the caller is taken from what the connection carried: the API key in the upgrade
 * request's headers (x-api-key or Authorization: Bearer) or, for browsers, which cannot set headers
 * on a WebSocket, in the connection_init payload ({@code {"x-api-key": "..."}} or
 * {@code {"Authorization": "Bearer ..."}}). Each subscription then resolves its events on a Vert.x
 * context of its own that carries the caller, so nested fields see the same tenant as the root.
 */
@ApplicationScoped
public class SubscriptionCallers {

    private final ApiKeys apiKeys;
    private final Vertx vertx;

    public SubscriptionCallers(ApiKeys apiKeys, Vertx vertx) {
        this.apiKeys = apiKeys;
        this.vertx = vertx;
    }

    /** The tenant caller of a subscription; fails with UNAUTHENTICATED when it has no valid tenant key. */
    public Uni<Caller> callerOf(GraphQLContext connection) {
        String key = keyOf(connection);
        if (key == null) {
            return Uni.createFrom()
                    .failure(new UnauthenticatedException("a subscription needs an API key: send it in the x-api-key"
                            + " header of the WebSocket request or as {\"x-api-key\": \"...\"} in the"
                            + " connection_init payload"));
        }
        String keyId = ApiKeys.idOf(key);
        return apiKeys.tenantOf(key).map(tenant -> tenant.map(id -> Caller.tenant(id, keyId))
                .orElseThrow(() ->
                        new UnauthenticatedException("the API key is not a valid tenant key (unknown or revoked)")));
    }

    /**
     * What the key of a subscription's connection is known by ({@link ApiKeys#idOf}), whether or not
     * it is valid; null when the connection carried none.
     */
    public String keyIdOf(GraphQLContext connection) {
        String key = keyOf(connection);
        return key == null ? null : ApiKeys.idOf(key);
    }

    /** The key in the connection_init payload, else in the upgrade request's headers; null if none. */
    private static String keyOf(GraphQLContext connection) {
        String key = ApiKeyFilter.keyOf(name -> ConnectionRequest.initPayloadValue(connection, name));
        return key != null ? key : ApiKeyFilter.keyOf(name -> ConnectionRequest.header(connection, name));
    }

    /** Runs tasks on a fresh Vert.x context that carries this caller, one after the other. */
    public Executor contextOf(Caller caller) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        context.putLocal(Caller.CONTEXT_KEY, caller);
        return task -> context.runOnContext(ignored -> task.run());
    }
}
