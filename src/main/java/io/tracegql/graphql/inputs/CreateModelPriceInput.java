package io.tracegql.graphql.inputs;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

@Input("CreateModelPriceInput")
@Description("A new model price. Runs ingested from now on are priced with it where it is the best match; runs"
        + " already stored keep their costs until repriceRuns.")
public class CreateModelPriceInput {

    @NonNull
    @Description("The model the price is for, as shown to people: not blank.")
    public String modelName;

    @NonNull
    @Description("A PostgreSQL regular expression that the whole model name (metadata ls_model_name) must match,"
            + " ignoring case, e.g. `gpt-4o-mini(-\\d{4}-\\d{2}-\\d{2})?`.")
    public String matchPattern;

    @Description("Only runs of this provider (metadata ls_provider, ignoring case); any provider when left out.")
    public String provider;

    @Description("The price applies to runs that started at or after this time; since always when left out.")
    public OffsetDateTime startDate;

    @NonNull
    @Description("USD per million prompt (input) tokens: 0 or more.")
    public BigDecimal promptPrice;

    @NonNull
    @Description("USD per million completion (output) tokens: 0 or more.")
    public BigDecimal completionPrice;

    @Description("USD per million prompt tokens of named details, e.g. {\"cache_read\": 0.075}: a JSON object of"
            + " numbers, 0 or more.")
    public JsonValue promptDetailPrices;

    @Description("USD per million completion tokens of named details, e.g. {\"reasoning\": 4.4}: a JSON object of"
            + " numbers, 0 or more.")
    public JsonValue completionDetailPrices;
}
