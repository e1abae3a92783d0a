package io.tracegql.security;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;

import io.tracegql.config.TracegqlConfig;

/**
 * Ensures at start that TRACEGQL_DEFAULT_TENANT_KEY, when set, is an API key of the default tenant,
 * so a new installation is usable with one configured key and no administration step.
 */
@Singleton
public class KeyBootstrap {

    private final TracegqlConfig config;
    private final ApiKeys apiKeys;

    public KeyBootstrap(TracegqlConfig config, ApiKeys apiKeys) {
        this.config = config;
        this.apiKeys = apiKeys;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        var key = config.defaultTenantKey().filter(k -> !k.isBlank());
        if (key.isPresent()) {
            VertxContextSupport.subscribeAndAwait(
                    () -> apiKeys.ensure(config.defaultTenantId(), "default tenant key (configured)", key.get()));
        }
    }
}
