package io.tracegql.security;

import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which tenant a request acts for, as its API key says. Every store call takes this tenant, so
 * isolation is enforced in the data layer: a query can only ever see its own tenant's rows.
 */
@ApplicationScoped
public class Tenancy {

    /** The tenant of the current request; fails when the request has no tenant key. */
    public UUID currentTenantId() {
        Caller caller = caller();
        if (caller.tenantId() == null) {
            throw new UnauthenticatedException("this operation needs a tenant's API key");
        }
        return caller.tenantId();
    }

    /** Fails unless the current request carries the administrator key. */
    public void requireAdministrator() {
        if (!caller().admin()) {
            throw new ForbiddenException("only the administrator key (TRACEGQL_ADMIN_KEY) may manage tenants and keys");
        }
    }

    private static Caller caller() {
        return Caller.current().orElseThrow(() -> new UnauthenticatedException(UnauthenticatedException.KEY_REQUIRED));
    }
}
