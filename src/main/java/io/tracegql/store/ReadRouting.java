package io.tracegql.store;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PoolOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.tracegql.config.TracegqlConfig;

/**
 * The one place that decides where a read goes: the read replica (TRACEGQL_READ_DATASOURCE_URL) when
 * one is configured and serves, the primary otherwise. Only reads made through {@link Sql#read} by a
 * request that named its reader ({@link #readFor}) may go to the replica; everything else (writes,
 * transactions, key lookups, the change feed's and subscriptions' reads, jobs) stays on the primary.
 *
 * <p>A read goes to the primary when the replica is down or further behind than
 * TRACEGQL_READ_DATASOURCE_MAX_LAG, when its reader wrote something the replica has not replayed yet
 * (see {@link ReplicaPosition}), and when it failed on the replica: the client sees no error of the
 * replica's.
 */
@ApplicationScoped
public class ReadRouting {

    private static final Logger LOG = Logger.getLogger(ReadRouting.class);
    /** Where the reader of the current request is kept (a Vert.x duplicated-context local). */
    private static final String READER = "tracegql.reader";
    /** Tells the replica's connections apart in pg_stat_activity. */
    static final String APPLICATION_NAME = "tracegql-read";

    private static final String PRIMARY_POSITION = "select (pg_current_wal_lsn() - '0/0'::pg_lsn)::int8";
    /** Null when the server is not in recovery, i.e. not (or no longer) a replica. */
    private static final String REPLAY_POSITION = "select (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::int8";

    private final Pool primary;
    private final Pool replica;
    private final Vertx vertx;
    private final Duration pollInterval;
    private final Duration pollTimeout;
    private final ReplicaPosition position;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final Counter primaryReads;
    private final Counter replicaReads;
    private volatile ReplicaPosition.State reported = ReplicaPosition.State.DOWN;
    private long timer = -1;

    public ReadRouting(
            Pool primary,
            Vertx vertx,
            MeterRegistry registry,
            TracegqlConfig config,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String primaryUser,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> primaryPassword) {
        TracegqlConfig.ReadDatasource settings = config.readDatasource();
        this.primary = primary;
        this.vertx = vertx;
        this.pollInterval = settings.pollInterval();
        this.pollTimeout = Duration.ofMillis(Math.max(1000, 10 * pollInterval.toMillis()));
        this.position = new ReplicaPosition(settings.maxLag().toNanos());
        this.replica = settings.url()
                .filter(url -> !url.isBlank())
                .map(url -> replicaPool(url, settings, config, primaryUser, primaryPassword, vertx, pollTimeout))
                .orElse(null);
        this.primaryReads = reads(registry, "primary");
        this.replicaReads = reads(registry, "replica");
    }

    private static Counter reads(MeterRegistry registry, String server) {
        return Counter.builder("tracegql.reads")
                .description("Reads of requests, by the server that answered them")
                .tag("server", server)
                .register(registry);
    }

    private static Pool replicaPool(
            String url,
            TracegqlConfig.ReadDatasource settings,
            TracegqlConfig config,
            String primaryUser,
            Optional<String> primaryPassword,
            Vertx vertx,
            Duration connectTimeout) {
        PgConnectOptions options = StatementCachePool.keepPrepared(PgConnectOptions.fromUri(url));
        boolean urlHasUser = URI.create(url).getRawUserInfo() != null;
        options.setUser(settings.username().orElse(urlHasUser ? options.getUser() : primaryUser));
        options.setPassword(
                settings.password().orElse(urlHasUser ? options.getPassword() : primaryPassword.orElse("")));
        // An unreachable replica must not hold a read for long: the primary answers instead.
        options.setConnectTimeout((int) connectTimeout.toMillis())
                .setCachePreparedStatements(true)
                .addProperty("application_name", APPLICATION_NAME)
                .addProperty(
                        "statement_timeout",
                        String.valueOf(config.database().requestTimeout().toMillis()));
        // The URL's user and password are not logged: only where the replica is.
        LOG.infof(
                "reads may be served by the replica at %s:%d/%s",
                options.getHost(), options.getPort(), options.getDatabase());
        return Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(settings.maxSize()))
                .connectingTo(options)
                .using(vertx)
                .build());
    }

    void start(@Observes StartupEvent event) {
        if (replica != null) {
            timer = vertx.setPeriodic(pollInterval.toMillis(), id -> poll());
            poll();
        }
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (replica != null) {
            replica.closeAndForget();
        }
    }

    /**
     * Who a request reads for (its key, by a name that is not the key) and whether the replica may
     * answer its reads: the key's writes mark it, so that its later reads see them.
     */
    record Reader(String name, boolean replicaAllowed) {}

    /**
     * Names the reader of the current request, whose writes its later reads must see, and whether
     * the request only reads (then the replica may answer it).
     */
    public static void readFor(String reader, boolean onlyReads) {
        ContextLocals.put(READER, new Reader(reader, onlyReads));
    }

    /** The current request reads from the primary only (a request that may write). */
    public static void primaryOnly() {
        Reader reader = currentReader();
        if (reader != null) {
            ContextLocals.put(READER, new Reader(reader.name(), false));
        }
    }

    /** The reader of the current request, or null (outside a request, or one that named none). */
    static Reader currentReader() {
        Context context = Vertx.currentContext();
        return context != null && VertxContext.isDuplicatedContext(context) ? context.getLocal(READER) : null;
    }

    /**
     * Runs a read on the server that should answer it: the replica when it serves this reader, else
     * (or when it fails there) the primary.
     */
    <T> Uni<T> read(Function<SqlClient, Uni<T>> statement) {
        Reader reader = currentReader();
        if (replica == null
                || reader == null
                || !reader.replicaAllowed()
                || !position.serves(reader.name(), System.nanoTime())) {
            return onPrimary(statement);
        }
        return statement
                .apply(replica)
                .invoke(() -> replicaReads.increment())
                .onFailure()
                .recoverWithUni(e -> {
                    failedOnReplica(e);
                    return onPrimary(statement);
                });
    }

    private <T> Uni<T> onPrimary(Function<SqlClient, Uni<T>> statement) {
        return statement.apply(primary).invoke(() -> primaryReads.increment());
    }

    /** A write of this reader (null: of no one) committed: its next reads must see it. */
    void wrote(Reader reader) {
        if (replica != null && reader != null) {
            position.wrote(reader.name());
        }
    }

    private void failedOnReplica(Throwable e) {
        if (Sql.isConnectionFailure(e)
                || e instanceof DatabaseUnavailableException
                || e instanceof PgException pg
                        && pg.getSqlState() != null
                        && pg.getSqlState().startsWith("57")) {
            position.replicaDown();
            report();
        }
        // Anything else (a conflict with recovery, a table that the replica has not replayed yet, or an
        // error the primary will report again) is answered by the primary.
        LOG.debugf("a read failed on the replica and was sent to the primary: %s", e.getMessage());
    }

    private void poll() {
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        long sample = position.sampleStarted();
        position(primary, PRIMARY_POSITION)
                .invoke(lsn -> {
                    if (lsn != null) {
                        position.primaryAt(sample, lsn, System.nanoTime());
                    }
                })
                .onFailure()
                .recoverWithNull()
                .chain(() -> position(replica, REPLAY_POSITION))
                .subscribe()
                .with(
                        lsn -> {
                            if (lsn == null) {
                                position.replicaDown();
                            } else {
                                position.replicaAt(lsn);
                            }
                            report();
                            polling.set(false);
                        },
                        failure -> {
                            position.replicaDown();
                            report();
                            polling.set(false);
                        });
    }

    private Uni<Long> position(Pool pool, String statement) {
        return pool.query(statement)
                .execute()
                .map(RowSet::iterator)
                .map(rows -> rows.hasNext() ? rows.next() : null)
                .map((Row row) -> row == null ? null : row.getLong(0))
                .ifNoItem()
                .after(pollTimeout)
                .fail();
    }

    /** Logs each change of the replica's state once. */
    private void report() {
        ReplicaPosition.State now = position.state(System.nanoTime());
        if (now != reported) {
            ReplicaPosition.State before = reported;
            reported = now;
            if (now == ReplicaPosition.State.UP) {
                LOG.infof(
                        "the read replica serves reads (it was %s)",
                        before.name().toLowerCase());
            } else {
                LOG.warnf(
                        "the read replica is %s: reads go to the primary",
                        now.name().toLowerCase());
            }
        }
    }

    /** The replica's state now: off, up, down or lagging. */
    public String state() {
        ReplicaPosition.State state = replica == null ? ReplicaPosition.State.OFF : position.state(System.nanoTime());
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** How far behind the replica is, in milliseconds. */
    public long lagMillis() {
        return Duration.ofNanos(position.lagNanos(System.nanoTime())).toMillis();
    }

    /** How far behind the replica is, in bytes of WAL. */
    public long lagBytes() {
        return position.lagBytes();
    }

    /** Readers whose reads go to the primary until the replica has replayed their writes. */
    public int writersWaiting() {
        return position.writersWaiting();
    }
}
