package io.tracegql.support;

import java.util.UUID;

import static io.tracegql.support.GraphQL.executeWithKey;

/** Tenants beside the default one, made through the administrator's mutation. */
public final class Tenants {

    private Tenants() {}

    /** Creates a tenant with a unique name that starts with this prefix; returns its API key. */
    public static String createWithKey(String namePrefix) {
        return executeWithKey(
                        Api.ADMIN_KEY,
                        "mutation ($name: String!) { createTenant(name: $name) { tenant { id name } apiKey { key } } }",
                        "name",
                        namePrefix + UUID.randomUUID())
                .get("data")
                .get("createTenant")
                .get("apiKey")
                .get("key")
                .asText();
    }
}
