package io.tracegql.graphql;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.security.ApiKeys;
import io.tracegql.security.Tenancy;
import io.tracegql.store.TenantStore;

/** Administration of tenants and API keys: only the administrator key (TRACEGQL_ADMIN_KEY) may call these. */
@GraphQLApi
public class TenantMutations {

    private final TenantStore tenants;
    private final ApiKeys apiKeys;
    private final Tenancy tenancy;

    public TenantMutations(TenantStore tenants, ApiKeys apiKeys, Tenancy tenancy) {
        this.tenants = tenants;
        this.apiKeys = apiKeys;
        this.tenancy = tenancy;
    }

    @Mutation("createTenant")
    @Description("Creates a tenant and its first API key. The key is shown only in this answer.")
    public Uni<@NonNull NewTenant> createTenant(@Name("name") @NonNull String name) {
        tenancy.requireAdministrator();
        if (name.isBlank()) {
            throw new InvalidInputException("name must not be empty");
        }
        return tenants.create(name.strip()).flatMap(tenant -> {
            if (tenant == null) {
                return Uni.createFrom()
                        .failure(new InvalidInputException("a tenant named '" + name.strip() + "' exists"));
            }
            return apiKeys.create(tenant.id(), "first key")
                    .map(key -> new NewTenant(
                            new Tenant(tenant.id(), tenant.name(), tenant.createdAt()), NewApiKey.of(key)));
        });
    }

    @Mutation("createApiKey")
    @Description("Creates another API key for a tenant. The key is shown only in this answer.")
    public Uni<@NonNull NewApiKey> createApiKey(
            @Name("tenantId") @NonNull @Id String tenantId, @Name("name") @NonNull String name) {
        tenancy.requireAdministrator();
        UUID id = Ids.parse(tenantId, "tenantId");
        return tenants.exists(id)
                .flatMap(exists -> exists
                        ? apiKeys.create(id, name).map(NewApiKey::of)
                        : Uni.createFrom().failure(new InvalidInputException("tenant " + id + " does not exist")));
    }

    @Mutation("revokeApiKey")
    @Description("Revokes an API key (within seconds); false when there is no such active key.")
    public Uni<@NonNull Boolean> revokeApiKey(@Name("id") @NonNull @Id String id) {
        tenancy.requireAdministrator();
        return apiKeys.revoke(Ids.parse(id, "id"));
    }

    @Type("Tenant")
    @Description("An owner of projects, runs and feedback; tenants never see each other's data.")
    public record Tenant(
            @NonNull @Id @Description("The tenant's id.") UUID id,

            @NonNull @Description("The tenant's unique name.")
            String name,

            @NonNull @Description("When the tenant was created.")
            OffsetDateTime createdAt) {}

    @Type("NewApiKey")
    @Description("An API key just created. `key` is the secret: it is shown only here and stored only as a hash.")
    public record NewApiKey(
            @NonNull @Id @Description("The key's id (to revoke it).")
            UUID id,

            @NonNull @Id @Description("The tenant the key acts for.")
            UUID tenantId,

            @NonNull @Description("A name to recognise the key by.")
            String name,

            @NonNull @Description("The secret: send it as x-api-key or Authorization: Bearer.")
            String key) {

        static NewApiKey of(ApiKeys.CreatedKey key) {
            return new NewApiKey(key.id(), key.tenantId(), key.name(), key.key());
        }
    }

    @Type("NewTenant")
    @Description("A tenant just created, with its first API key.")
    public record NewTenant(
            @NonNull @Description("The tenant.") Tenant tenant,
            @NonNull @Description("Its first API key.") NewApiKey apiKey) {}
}
