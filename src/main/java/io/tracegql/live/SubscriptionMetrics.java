package io.tracegql.live;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;

/**
 * Subscriptions open and events sent, per subscription field: {@code tracegql_subscriptions_open}
 * and {@code tracegql_subscription_events_total} at /q/metrics.
 */
@ApplicationScoped
public class SubscriptionMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public SubscriptionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The stream of one subscription, counted while it is open and for every event it sends. */
    public <T> Multi<T> measured(String subscription, Multi<T> events) {
        AtomicInteger opened = open.computeIfAbsent(subscription, name -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("tracegql.subscriptions.open", count, AtomicInteger::get)
                    .description("GraphQL subscriptions open")
                    .tag("subscription", name)
                    .register(registry);
            return count;
        });
        Counter sent = Counter.builder("tracegql.subscription.events")
                .description("Events sent to GraphQL subscribers")
                .tag("subscription", subscription)
                .register(registry);
        return events.onSubscription()
                .invoke(() -> opened.incrementAndGet())
                .onItem()
                .invoke(() -> sent.increment())
                .onTermination()
                .invoke(() -> opened.decrementAndGet());
    }
}
