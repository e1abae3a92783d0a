package io.tracegql.live;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.tracegql.domain.RunChange;

/**
 * The run changes of every tenant, as the database announces them on the channel
 * {@value #CHANNEL} (triggers on runs and feedback, see V7__run_change_notifications.sql). Every
 * gateway instance listens on one connection of its own, so a change written through any instance
 * reaches the subscribers of all of them, in commit order.
 *
 * <p>Listeners are called on the listening connection's event loop and must not block: each
 * subscription only queues what it wants (see {@link ChangeQueue}), so a slow subscriber never holds
 * up this feed, the other subscribers or ingest. While the connection is down (a database restart)
 * changes are missed; the connection is re-established every second until it succeeds, and checked
 * every few seconds so that a connection that died silently is replaced too.
 */
@ApplicationScoped
public class RunChangeFeed {

    static final String CHANNEL = "tracegql_run_changes";
    /**
     * The feed's connection in the database client metrics: {@code postgresql_*{clientName="change-feed"}},
     * apart from the request pool's connections (the part before | is the metrics' prefix).
     */
    static final String METRICS_NAME = "postgresql|change-feed";

    private static final Logger LOG = Logger.getLogger(RunChangeFeed.class);
    private static final long RECONNECT_DELAY_MS = 1000;
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private final Set<Consumer<RunChange>> listeners = new CopyOnWriteArraySet<>();
    private final Vertx vertx;
    private final PgSubscriber subscriber;
    private final Counter received;
    private final Timer lag;
    private volatile boolean listening;
    private volatile boolean stopped;

    public RunChangeFeed(
            Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            MeterRegistry metrics) {
        this.vertx = vertx;
        this.received = Counter.builder("tracegql.change.feed.notifications")
                .description("Run changes received from the database")
                .register(metrics);
        this.lag = Timer.builder("tracegql.change.feed.lag")
                .description("Time from a run change's write in the database to its delivery to the subscriptions")
                .register(metrics);
        Gauge.builder("tracegql.change.feed.listening", this, feed -> feed.listening ? 1 : 0)
                .description("1 while run changes are being received, 0 while the feed reconnects")
                .register(metrics);
        // Its own name in the database client metrics, apart from the request pool's connections.
        PgConnectOptions options = PgConnectOptions.fromUri(url)
                .setUser(user)
                .setPassword(password.orElse(""))
                .setMetricsName(METRICS_NAME);
        this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> RECONNECT_DELAY_MS);
        subscriber.closeHandler(() -> {
            if (listening) {
                LOG.warn("stopped listening for run changes: the database connection closed");
            }
            listening = false;
        });
        subscriber
                .channel(CHANNEL)
                .subscribeHandler(() -> {
                    listening = true;
                    LOG.debugf("listening for run changes on %s", CHANNEL);
                })
                .handler(this::publish);
    }

    void start(@Observes StartupEvent event) {
        connect();
        vertx.setPeriodic(HEARTBEAT.toMillis(), id -> heartbeat());
    }

    /**
     * A connection can die without closing (a cut network): ask it something now and then, and drop
     * it when it does not answer, so that it is replaced.
     */
    private void heartbeat() {
        PgConnection connection = subscriber.actualConnection();
        if (connection == null) {
            listening = false;
            return;
        }
        connection
                .query("select 1")
                .execute()
                .ifNoItem()
                .after(HEARTBEAT)
                .fail()
                .subscribe()
                .with(ignored -> {}, failure -> {
                    if (listening) {
                        LOG.warnf(
                                "the run change feed's connection did not answer (%s); reconnecting",
                                failure.getMessage());
                    }
                    listening = false;
                    connection.closeAndForget();
                });
    }

    /** Connects; a first connection that fails is retried like a lost one. */
    private void connect() {
        subscriber.connect().subscribe().with(ignored -> {}, failure -> {
            LOG.warnf("cannot listen for run changes yet (%s); retrying", failure.getMessage());
            vertx.setTimer(RECONNECT_DELAY_MS, id -> {
                if (!stopped) {
                    connect();
                }
            });
        });
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        listening = false;
        subscriber.closeAndForget();
    }

    /** Whether changes are being received right now. */
    public boolean listening() {
        return listening;
    }

    /** Calls the listener with every change from now on, until the returned handle is run. */
    public Runnable listen(Consumer<RunChange> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void publish(String payload) {
        received.increment();
        RunChange change = RunChange.parse(payload);
        if (change == null) {
            LOG.debugf("ignored a notification that is not a run change");
            return;
        }
        for (Consumer<RunChange> listener : listeners) {
            listener.accept(change);
        }
        if (change.writtenAt() != null) {
            // The database's clock against the gateway's: a server ahead of the gateway would make it negative.
            Duration since = Duration.between(change.writtenAt(), Instant.now());
            lag.record(since.isNegative() ? Duration.ZERO : since);
        }
    }
}
