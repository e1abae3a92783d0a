package io.tracegql.live;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import graphql.GraphQLContext;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

/**
 * The network connections of WebSocket subscribers, so that a subscription can see when its client
 * stops reading. SmallRye GraphQL sends each event as soon as the previous one was handed to the
 * socket, whether or not the client took it; without this, events for a client that stopped reading
 * would pile up in the server's memory. A subscription takes no more changes while its connection's
 * write buffer is full, so its own bounded queue fills instead and ends it (SUBSCRIBER_TOO_SLOW).
 *
 * <p>Each GraphQL upgrade request is tagged with a header naming its connection: the resolvers see the
 * upgrade request's headers, not the connection itself.
 */
@ApplicationScoped
public class SubscriberConnections {

    static final String HEADER = "x-tracegql-connection";

    /**
     * Filters run in priority order as routes of order -priority; the GraphQL WebSocket handler is
     * route order -99, so a filter must have a priority above 99 to see upgrade requests.
     */
    private static final int PRIORITY = 110;

    private final Map<String, ConnectionBase> open = new ConcurrentHashMap<>();

    void register(@Observes Filters filters) {
        filters.register(this::tag, PRIORITY);
    }

    private void tag(RoutingContext rc) {
        // Only this filter names connections: a client's own value is never trusted.
        rc.request().headers().remove(HEADER);
        if (rc.normalizedPath().equals("/graphql")
                && rc.request().headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)
                && rc.request().connection() instanceof ConnectionBase connection) {
            String id = UUID.randomUUID().toString();
            open.put(id, connection);
            connection.closeFuture().onComplete(ignored -> open.remove(id));
            rc.request().headers().set(HEADER, id);
        }
        rc.next();
    }

    /**
     * Whether the subscriber's connection takes more now (its write buffer is not full); always true
     * when the connection is not known (a client that is not a WebSocket).
     */
    public BooleanSupplier writable(GraphQLContext connection) {
        String id = ConnectionRequest.header(connection, HEADER);
        ConnectionBase base = id == null ? null : open.get(id);
        return base == null ? () -> true : () -> !base.isNotWritable();
    }
}
