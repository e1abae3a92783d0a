package io.tracegql.security;

import java.util.UUID;

/**
 * Who a request acts for: a tenant (through one of its API keys) or the administrator, and the key
 * it came with, by {@link ApiKeys#idOf} (what quotas are counted against).
 */
public record Caller(UUID tenantId, boolean admin, String keyId) {

    /** Where the caller of the current request is kept (a Vert.x duplicated-context local). */
    static final String CONTEXT_KEY = "tracegql.caller";

    /** The caller of the current request, if it was authenticated. */
    public static java.util.Optional<Caller> current() {
        return io.smallrye.common.vertx.ContextLocals.get(CONTEXT_KEY);
    }

    static Caller tenant(UUID tenantId, String keyId) {
        return new Caller(tenantId, false, keyId);
    }

    static Caller administrator(String keyId) {
        return new Caller(null, true, keyId);
    }
}
