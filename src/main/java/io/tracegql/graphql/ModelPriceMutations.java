package io.tracegql.graphql;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import jakarta.json.JsonValue;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.CreateModelPriceInput;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.inputs.UpdateModelPriceInput;
import io.tracegql.graphql.types.ModelPrice;
import io.tracegql.security.Tenancy;
import io.tracegql.store.ModelPriceStore;
import io.tracegql.store.RejectedWriteException;
import io.tracegql.store.RunPricing;

/**
 * Mutations of the tenant's model prices. A change prices the runs ingested after it; stored runs keep
 * their costs until {@code repriceRuns} is asked to price them again, so that a change never rewrites
 * history silently.
 */
@GraphQLApi
public class ModelPriceMutations {

    /** Longest pattern accepted. */
    static final int MAX_PATTERN_LENGTH = 1000;

    private final ModelPriceStore prices;
    private final RunPricing pricing;
    private final Tenancy tenancy;

    public ModelPriceMutations(ModelPriceStore prices, RunPricing pricing, Tenancy tenancy) {
        this.prices = prices;
        this.pricing = pricing;
        this.tenancy = tenancy;
    }

    @Mutation("createModelPrice")
    @Description("Creates a model price. There is one price per pattern, provider and start date.")
    public Uni<@NonNull ModelPrice> createModelPrice(@Name("input") @NonNull CreateModelPriceInput input) {
        ModelPriceStore.NewPrice price = new ModelPriceStore.NewPrice(
                requireText(input.modelName, "input.modelName", "a name such as gpt-4o-mini"),
                requirePattern(input.matchPattern),
                input.provider == null
                        ? null
                        : requireText(input.provider, "input.provider", "a provider, or leave it out for any"),
                input.startDate,
                requireAmount(input.promptPrice, "input.promptPrice", "prompt"),
                requireAmount(input.completionPrice, "input.completionPrice", "completion"),
                emptyAsNone(detailPrices(input.promptDetailPrices, "input.promptDetailPrices")),
                emptyAsNone(detailPrices(input.completionDetailPrices, "input.completionDetailPrices")));
        return rejectedAsInput(prices.create(tenancy.currentTenantId(), price)).map(ModelPrice::new);
    }

    @Mutation("updateModelPrice")
    @Description("Changes the fields given of a model price, built-in or not.")
    public Uni<@NonNull ModelPrice> updateModelPrice(
            @Name("id") @NonNull @Id String id, @Name("input") @NonNull UpdateModelPriceInput input) {
        UUID priceId = Ids.parse(id, "id");
        Map<String, Object> promptDetails = detailPrices(input.promptDetailPrices, "input.promptDetailPrices");
        Map<String, Object> completionDetails =
                detailPrices(input.completionDetailPrices, "input.completionDetailPrices");
        ModelPriceStore.PriceChanges changes = new ModelPriceStore.PriceChanges(
                input.modelName == null
                        ? null
                        : requireText(input.modelName, "input.modelName", "a name such as gpt-4o-mini"),
                input.matchPattern == null ? null : requirePattern(input.matchPattern),
                input.provider != null,
                input.provider == null || input.provider.isBlank() ? null : input.provider,
                input.startDate != null,
                input.startDate,
                input.promptPrice == null ? null : requireAmount(input.promptPrice, "input.promptPrice", "prompt"),
                input.completionPrice == null
                        ? null
                        : requireAmount(input.completionPrice, "input.completionPrice", "completion"),
                promptDetails != null,
                emptyAsNone(promptDetails),
                completionDetails != null,
                emptyAsNone(completionDetails));
        return rejectedAsInput(prices.update(tenancy.currentTenantId(), priceId, changes))
                .map(updated -> {
                    if (updated == null) {
                        throw unknown(priceId);
                    }
                    return new ModelPrice(updated);
                });
    }

    @Mutation("deleteModelPrice")
    @Description("Deletes a model price (a built-in one is not copied again at start); false when there is no"
            + " such price. Runs priced with it keep their costs until repriceRuns.")
    public Uni<@NonNull Boolean> deleteModelPrice(@Name("id") @NonNull @Id String id) {
        return prices.delete(tenancy.currentTenantId(), Ids.parse(id, "id"));
    }

    @Mutation("repriceRuns")
    @Description("Estimates again, from the current prices, the costs of the llm runs that started in the window"
            + " (of one project, or all): those with estimated costs and those without costs. Costs sent by clients"
            + " are kept. Returns how many runs' costs changed. One statement: a window too large for the database"
            + " request timeout fails as a whole; split it.")
    public Uni<@NonNull Integer> repriceRuns(
            @Name("window") @NonNull @Description("Runs that started in [from, to) are priced again.")
                    RunFilterInput.TimeRange window,
            @Name("projectId") @Id @Description("Only this project's runs; every project's when left out.")
                    String projectId) {
        if (window.from == null || window.to == null) {
            throw new InvalidInputException("window: both from and to are required");
        }
        if (!window.from.isBefore(window.to)) {
            throw new InvalidInputException("window: from (" + window.from + ") must be before to (" + window.to + ")");
        }
        UUID project = projectId == null ? null : Ids.parse(projectId, "projectId");
        return pricing.repriceRuns(tenancy.currentTenantId(), window.from, window.to, project);
    }

    private static <T> Uni<T> rejectedAsInput(Uni<T> write) {
        return write.onFailure(RejectedWriteException.class)
                .transform(rejected -> new InvalidInputException(rejected.getMessage()));
    }

    private static InvalidInputException unknown(UUID id) {
        return new InvalidInputException(
                "id: there is no model price " + id + "; modelPrices lists the prices and their ids");
    }

    private static String requireText(String value, String field, String expected) {
        if (value.isBlank()) {
            throw new InvalidInputException(field + " must not be blank: give " + expected);
        }
        return value.strip();
    }

    private static String requirePattern(String pattern) {
        if (pattern.isBlank()) {
            throw new InvalidInputException("input.matchPattern must not be blank: give a regular expression that"
                    + " the whole model name must match, e.g. \"gpt-4o-mini(-\\\\d{4}-\\\\d{2}-\\\\d{2})?\"");
        }
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw new InvalidInputException("input.matchPattern is " + pattern.length() + " characters long; at most "
                    + MAX_PATTERN_LENGTH + " are accepted");
        }
        return pattern;
    }

    private static BigDecimal requireAmount(BigDecimal amount, String field, String side) {
        if (amount.signum() < 0) {
            throw new InvalidInputException(field + ": " + amount.toPlainString() + " is negative; give USD per"
                    + " million " + side + " tokens, 0 or more");
        }
        return amount;
    }

    private static Map<String, Object> emptyAsNone(Map<String, Object> detailPrices) {
        return detailPrices == null || detailPrices.isEmpty() ? null : detailPrices;
    }

    /** Detail name to USD per million tokens; null when absent; {} stays empty (it removes them). */
    private static Map<String, Object> detailPrices(JsonValue value, String field) {
        Map<String, Object> prices = JsonInput.object(value, field);
        if (prices == null) {
            return null;
        }
        prices.forEach((detail, price) -> {
            if (detail.isBlank()) {
                throw new InvalidInputException(field + ": a detail name must not be blank");
            }
            if (!(price instanceof Number number) || new BigDecimal(number.toString()).signum() < 0) {
                throw new InvalidInputException(field + "." + detail + ": " + price + " is not a price; give USD per"
                        + " million tokens of " + detail + ", a number, 0 or more, e.g. {\"cache_read\": 0.075}");
            }
        });
        return prices;
    }
}
