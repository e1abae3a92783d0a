package io.tracegql.ingest;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.store.RunWriter;
import io.tracegql.store.Sql;

/**
 * Loads the demo data set at start when {@code tracegql.demo-data.enabled} is set (dev mode) and the
 * default tenant has no projects yet, so a new checkout shows real traces in GraphiQL at once.
 */
@Singleton
public class DemoDataLoader {

    private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);
    private static final int TRACES_PER_PROJECT = 25;

    private final TracegqlConfig config;
    private final Mutiny.SessionFactory sessions;
    private final RunWriter runWriter;
    private final Sql sql;

    public DemoDataLoader(TracegqlConfig config, Mutiny.SessionFactory sessions, RunWriter runWriter, Sql sql) {
        this.config = config;
        this.sessions = sessions;
        this.runWriter = runWriter;
        this.sql = sql;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!config.demoData().enabled()) {
            return;
        }
        UUID tenantId = config.defaultTenantId();
        VertxContextSupport.subscribeAndAwait(() -> isEmpty(tenantId).flatMap(empty -> {
            if (!empty) {
                return Uni.createFrom().voidItem();
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            DemoData.DataSet data = DemoData.generate(config.demoData().seed(), tenantId, TRACES_PER_PROJECT, now);
            return sessions.withTransaction(
                            session -> session.persistAll(data.projects().toArray()))
                    .flatMap(ignored -> runWriter.insert(tenantId, data.runs()))
                    .flatMap(ignored -> sessions.withTransaction(
                            session -> session.persistAll(data.feedback().toArray())))
                    .invoke(() -> LOG.infof(
                            "Loaded demo data: %d projects, %d runs, %d feedback",
                            data.projects().size(),
                            data.runs().size(),
                            data.feedback().size()));
        }));
    }

    private Uni<Boolean> isEmpty(UUID tenantId) {
        return sql.query(
                        "select not exists (select 1 from projects where tenant_id = $1) as empty",
                        io.vertx.mutiny.sqlclient.Tuple.of(tenantId))
                .map(rows -> rows.iterator().next().getBoolean("empty"));
    }
}
