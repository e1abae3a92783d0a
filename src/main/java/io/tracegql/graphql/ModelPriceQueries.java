package io.tracegql.graphql;

import java.util.List;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.tracegql.graphql.types.ModelPrice;
import io.tracegql.security.Tenancy;
import io.tracegql.store.ModelPriceStore;

/** Root queries over the tenant's model prices. */
@GraphQLApi
public class ModelPriceQueries {

    private final ModelPriceStore prices;
    private final Tenancy tenancy;

    public ModelPriceQueries(ModelPriceStore prices, Tenancy tenancy) {
        this.prices = prices;
        this.tenancy = tenancy;
    }

    @Query("modelPrices")
    @Description("The tenant's model prices (built-in and its own), by model name, provider and start date.")
    public Uni<@NonNull List<@NonNull ModelPrice>> modelPrices(
            @Name("nameContains") @Description("Only prices whose model name contains this text, ignoring case.")
                    String nameContains) {
        return prices.list(tenancy.currentTenantId(), nameContains)
                .map(records -> records.stream().map(ModelPrice::new).toList());
    }
}
