package io.tracegql.store;

import java.util.Set;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Keeps the database client metrics true. The client registers its metrics once per connection under
 * the pool's name: timers and counters ({@code postgresql_processing_seconds}, {@code
 * postgresql_completed_total}) add up over the connections, but a gauge can have only one registrant,
 * so {@code postgresql_queue_size} and {@code postgresql_current} would show the first connection
 * alone (and the second one's registration logs a warning). They are left out; the pool's own
 * figures, {@code sql_pool_*} (connections active and idle, usage ratio, waiting requests, time
 * connections are held), cover every connection.
 */
public class DatabaseClientMetrics {

    /** The gauges that the database client registers per connection. */
    private static final Set<String> PER_CONNECTION_GAUGES = Set.of("postgresql.queue.size", "postgresql.current");

    @Produces
    @Singleton
    MeterFilter withoutPerConnectionGauges() {
        return MeterFilter.deny(id -> PER_CONNECTION_GAUGES.contains(id.getName()));
    }
}
