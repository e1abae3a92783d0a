package io.tracegql.store;

import java.time.OffsetDateTime;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/** Tenants: the owners of projects, runs and feedback. */
@ApplicationScoped
public class TenantStore {

    private final Sql sql;
    private final BuiltInPrices builtInPrices;

    public TenantStore(Sql sql, BuiltInPrices builtInPrices) {
        this.sql = sql;
        this.builtInPrices = builtInPrices;
    }

    /** Creates a tenant, with the built-in model prices; null when the name is taken. */
    public Uni<TenantRecord> create(String name) {
        return sql.query(
                        "insert into tenants (id, name) values ($1, $2) on conflict (name) do nothing"
                                + " returning id, name, created_at",
                        Tuple.of(UUID.randomUUID(), name))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    var row = it.next();
                    return new TenantRecord(
                            row.getUUID("id"), row.getString("name"), row.getOffsetDateTime("created_at"));
                })
                .flatMap(tenant -> tenant == null
                        ? Uni.createFrom().<TenantRecord>nullItem()
                        : builtInPrices.seed(tenant.id()).replaceWith(tenant));
    }

    public Uni<Boolean> exists(UUID id) {
        return sql.query("select 1 from tenants where id = $1", Tuple.of(id)).map(rows -> rows.size() == 1);
    }

    public record TenantRecord(UUID id, String name, OffsetDateTime createdAt) {}
}
