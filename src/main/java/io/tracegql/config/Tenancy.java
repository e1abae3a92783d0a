package io.tracegql.config;

import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which tenant a request acts for. Every store call takes this tenant, so isolation is enforced in
 * the data layer; until API keys exist, every request acts for the default tenant.
 */
@ApplicationScoped
public class Tenancy {

    private final UUID defaultTenantId;

    public Tenancy(TracegqlConfig config) {
        this.defaultTenantId = config.defaultTenantId();
    }

    public UUID currentTenantId() {
        return defaultTenantId;
    }
}
