package io.tracegql.support;

import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Tuple;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.store.BuiltInPrices;
import io.tracegql.store.Sql;

/** The default tenant's model prices back to the built-in ones, as on a new installation. */
@ApplicationScoped
public class PriceFixture {

    private final Sql sql;
    private final BuiltInPrices builtInPrices;
    private final TracegqlConfig config;

    public PriceFixture(Sql sql, BuiltInPrices builtInPrices, TracegqlConfig config) {
        this.sql = sql;
        this.builtInPrices = builtInPrices;
        this.config = config;
    }

    /** Drops the tenant's own prices and its changes to built-in ones, then seeds the built-in ones again. */
    public void restoreBuiltIns() {
        UUID tenant = config.defaultTenantId();
        try {
            VertxContextSupport.subscribeAndAwait(
                    () -> sql.query("delete from model_prices where tenant_id = $1", Tuple.of(tenant))
                            .flatMap(ignored ->
                                    sql.query("delete from model_price_seeds where tenant_id = $1", Tuple.of(tenant)))
                            .flatMap(ignored -> builtInPrices.seed(tenant)));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Seeds the built-in prices the tenant was not given yet, as a start does. */
    public int seedAgain() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> builtInPrices.seed(config.defaultTenantId()));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
