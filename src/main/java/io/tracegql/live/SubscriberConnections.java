package io.tracegql.live;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import graphql.GraphQLContext;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

import io.tracegql.config.TracegqlConfig;

/**
 * The network connections of WebSocket subscribers: whether a subscription's client still reads,
 * and how many connections and subscriptions each API key has open (the caps of
 * tracegql.subscriptions.*, counted in this instance only).
 *
 * <p>SmallRye GraphQL sends each event as soon as the previous one was handed to the socket, whether
 * or not the client took it; without this, events for a client that stopped reading would pile up in
 * the server's memory. A subscription takes no more changes while its connection's write buffer is
 * full, so its own bounded queue fills instead and ends it (SUBSCRIBER_TOO_SLOW).
 *
 * <p>Each GraphQL upgrade request is tagged with a header naming its connection: the resolvers see the
 * upgrade request's headers, not the connection itself. A connection counts against a key from the
 * moment the key is known: at the handshake when the key is in the upgrade request's headers, else at
 * its first subscription (a browser's key comes in connection_init, after the handshake). Everything a
 * connection holds is given back when it closes, however it closes.
 */
@ApplicationScoped
public class SubscriberConnections {

    static final String HEADER = "x-tracegql-connection";

    /** The WebSocket close code of a connection over a key's cap: 4000 plus HTTP's 429. */
    public static final short TOO_MANY_CONNECTIONS_CLOSE_CODE = 4429;

    /**
     * Filters run in priority order as routes of order -priority; the GraphQL WebSocket handler is
     * route order -99, so a filter must have a priority above 99 to see upgrade requests.
     */
    private static final int PRIORITY = 110;

    private final int maxPerConnection;
    private final int maxPerKey;
    private final int maxConnectionsPerKey;
    private final Map<String, Connection> open = new ConcurrentHashMap<>();
    private final Map<String, KeyUsage> keys = new ConcurrentHashMap<>();

    public SubscriberConnections(TracegqlConfig config) {
        TracegqlConfig.Subscriptions settings = config.subscriptions();
        this.maxPerConnection = settings.maxPerConnection();
        this.maxPerKey = settings.maxPerKey();
        this.maxConnectionsPerKey = settings.maxConnectionsPerKey();
    }

    void register(@Observes Filters filters) {
        filters.register(this::tag, PRIORITY);
    }

    private void tag(RoutingContext rc) {
        // Only this filter names connections: a client's own value is never trusted.
        rc.request().headers().remove(HEADER);
        if (rc.normalizedPath().equals("/graphql")
                && rc.request().headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)
                && rc.request().connection() instanceof ConnectionBase base) {
            String id = UUID.randomUUID().toString();
            Connection connection = new Connection(base);
            open.put(id, connection);
            base.closeFuture().onComplete(ignored -> {
                open.remove(id);
                closed(connection);
            });
            rc.request().headers().set(HEADER, id);
        }
        rc.next();
    }

    /**
     * Counts the connection of a WebSocket upgrade request against the key it authenticated with;
     * false when the key already has as many connections as it may (the handshake is then refused).
     * Requests that are not WebSocket upgrades are always let through.
     */
    public boolean admitConnection(RoutingContext rc, String keyId) {
        String id = rc.request().getHeader(HEADER);
        Connection connection = id == null ? null : open.get(id);
        return connection == null || claim(connection, keyId);
    }

    /** How a connection over a key's cap is refused. */
    public TooManyConnectionsException tooManyConnections() {
        return new TooManyConnectionsException(maxConnectionsPerKey);
    }

    /**
     * Opens a subscription of the key on the subscriber's connection, within the caps; returns what
     * gives it back (once, however often it runs). Over a cap, throws
     * {@link TooManySubscriptionsException}; a connection whose key (first known now) already has as
     * many connections as it may is closed with {@link #TOO_MANY_CONNECTIONS_CLOSE_CODE} and the
     * subscription fails with {@link TooManyConnectionsException}. Without a key (the subscription
     * fails UNAUTHENTICATED) only the connection's own cap applies.
     */
    public Runnable openSubscription(GraphQLContext context, String keyId) {
        String id = ConnectionRequest.header(context, HEADER);
        Connection connection = id == null ? null : open.get(id);
        if (connection == null) {
            // Not a WebSocket this instance tracks: only the key's cap applies.
            if (keyId == null) {
                return () -> {};
            }
            if (!adjust(keyId, 0, 1)) {
                throw TooManySubscriptionsException.perKey(maxPerKey);
            }
            return once(() -> adjust(keyId, 0, -1));
        }
        synchronized (connection) {
            if (connection.closed) {
                // Closing: SmallRye GraphQL cancels the subscription at once; nothing to count.
                return () -> {};
            }
            if (keyId != null && !claim(connection, keyId)) {
                TooManyConnectionsException refusal = tooManyConnections();
                connection
                        .base
                        .channel()
                        .writeAndFlush(new CloseWebSocketFrame(TOO_MANY_CONNECTIONS_CLOSE_CODE, refusal.getMessage()))
                        .addListener(ChannelFutureListener.CLOSE);
                throw refusal;
            }
            if (connection.subscriptions >= maxPerConnection) {
                throw TooManySubscriptionsException.perConnection(maxPerConnection);
            }
            if (keyId != null) {
                if (!adjust(keyId, 0, 1)) {
                    throw TooManySubscriptionsException.perKey(maxPerKey);
                }
                connection.subscriptionKey = keyId;
            }
            connection.subscriptions++;
        }
        return once(() -> {
            synchronized (connection) {
                // A closed connection already gave back all it held.
                if (!connection.closed) {
                    connection.subscriptions--;
                    if (keyId != null) {
                        adjust(keyId, 0, -1);
                    }
                }
            }
        });
    }

    /**
     * Whether the subscriber's connection takes more now (its write buffer is not full); always true
     * when the connection is not known (a client that is not a WebSocket).
     */
    public BooleanSupplier writable(GraphQLContext context) {
        String id = ConnectionRequest.header(context, HEADER);
        Connection connection = id == null ? null : open.get(id);
        return connection == null ? () -> true : () -> !connection.base.isNotWritable();
    }

    private boolean claim(Connection connection, String keyId) {
        synchronized (connection) {
            if (connection.closed || connection.key != null) {
                return true;
            }
            if (!adjust(keyId, 1, 0)) {
                return false;
            }
            connection.key = keyId;
            return true;
        }
    }

    private void closed(Connection connection) {
        synchronized (connection) {
            connection.closed = true;
            if (connection.key != null) {
                adjust(connection.key, -1, 0);
            }
            if (connection.subscriptionKey != null && connection.subscriptions > 0) {
                adjust(connection.subscriptionKey, 0, -connection.subscriptions);
            }
            connection.subscriptions = 0;
        }
    }

    /**
     * Adds to a key's counts unless that takes one over its cap; false then. A key with nothing open
     * has no entry, so the map holds only keys in use.
     */
    private boolean adjust(String keyId, int connections, int subscriptions) {
        boolean[] admitted = {true};
        keys.compute(keyId, (id, usage) -> {
            KeyUsage next = usage == null ? new KeyUsage() : usage;
            if ((connections > 0 && next.connections + connections > maxConnectionsPerKey)
                    || (subscriptions > 0 && next.subscriptions + subscriptions > maxPerKey)) {
                admitted[0] = false;
            } else {
                next.connections += connections;
                next.subscriptions += subscriptions;
            }
            return next.connections <= 0 && next.subscriptions <= 0 ? null : next;
        });
        return admitted[0];
    }

    private static Runnable once(Runnable release) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                release.run();
            }
        };
    }

    /** A tracked WebSocket connection; its fields are guarded by itself. */
    private static final class Connection {
        final ConnectionBase base;
        /** The key the connection counts against, once known. */
        String key;
        /**
         * The key its subscriptions count against: the one they authenticate with, the same for all
         * of them (a connection's headers and connection_init payload do not change).
         */
        String subscriptionKey;

        int subscriptions;
        boolean closed;

        Connection(ConnectionBase base) {
            this.base = base;
        }
    }

    /** What one key has open; changed only inside the map's compute, one key at a time. */
    private static final class KeyUsage {
        int connections;
        int subscriptions;
    }
}
