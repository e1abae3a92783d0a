package io.tracegql.graphql.types;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.store.ModelPriceRecord;

/**
 * A model price of the tenant. Private fields are named unlike the GraphQL fields, which SmallRye
 * GraphQL would otherwise read directly.
 */
@Type("ModelPrice")
@Description("What a model costs, in USD per million tokens, from a start date on: the costs of llm runs that"
        + " carry token counts but no costs are estimated from the best matching price when they are ingested.")
public class ModelPrice {

    private final ModelPriceRecord price;

    public ModelPrice(ModelPriceRecord price) {
        this.price = price;
    }

    @NonNull
    @Id
    @Description("The price's id: runs priced with it name it in priceModelId.")
    public UUID getId() {
        return price.id();
    }

    @NonNull
    @Description("The model the price is for, as shown to people.")
    public String getModelName() {
        return price.modelName();
    }

    @NonNull
    @Description("A PostgreSQL regular expression that the whole model name of a run (metadata ls_model_name)"
            + " must match, ignoring case, e.g. `gpt-4o-mini(-\\d{4}-\\d{2}-\\d{2})?`.")
    public String getMatchPattern() {
        return price.matchPattern();
    }

    @Description("The provider (metadata ls_provider, ignoring case) a run must name; null for any provider.")
    public String getProvider() {
        return price.provider();
    }

    @Description("The price applies to runs that started at or after this time; null: since always. Of the"
            + " prices of one model, the newest start not after a run's start applies.")
    public OffsetDateTime getStartDate() {
        return price.startDate();
    }

    @NonNull
    @Description("USD per million prompt (input) tokens.")
    public BigDecimal getPromptPrice() {
        return price.promptPrice();
    }

    @NonNull
    @Description("USD per million completion (output) tokens.")
    public BigDecimal getCompletionPrice() {
        return price.completionPrice();
    }

    @Description("USD per million prompt tokens of a detail (a key of promptTokenDetails, such as cache_read), as a"
            + " JSON object of detail name to price; the other prompt tokens cost promptPrice.")
    public JsonValue getPromptDetailPrices() {
        return JsonOutput.of(price.promptDetailPrices());
    }

    @Description("USD per million completion tokens of a detail (a key of completionTokenDetails, such as"
            + " reasoning), as a JSON object of detail name to price; the other completion tokens cost"
            + " completionPrice.")
    public JsonValue getCompletionDetailPrices() {
        return JsonOutput.of(price.completionDetailPrices());
    }

    @NonNull
    @Description("Whether the price was copied from the gateway's built-in price file (changing it keeps it so).")
    public boolean isBuiltIn() {
        return price.builtinKey() != null;
    }

    @NonNull
    @Description("When the price was created.")
    public OffsetDateTime getCreatedAt() {
        return price.createdAt();
    }

    @NonNull
    @Description("When the price was last changed.")
    public OffsetDateTime getUpdatedAt() {
        return price.updatedAt();
    }
}
