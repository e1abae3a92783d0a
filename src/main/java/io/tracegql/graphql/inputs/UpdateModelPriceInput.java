package io.tracegql.graphql.inputs;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("UpdateModelPriceInput")
@Description(
        "Changes to a model price: only the fields given change. Stored runs keep their costs until" + " repriceRuns.")
public class UpdateModelPriceInput {

    @Description("A new model name: not blank.")
    public String modelName;

    @Description(
            "A new pattern: a PostgreSQL regular expression that the whole model name must match, ignoring" + " case.")
    public String matchPattern;

    @Description("A new provider; an empty string makes the price apply to any provider.")
    public String provider;

    @Description("A new start date.")
    public OffsetDateTime startDate;

    @Description("A new price in USD per million prompt tokens: 0 or more.")
    public BigDecimal promptPrice;

    @Description("A new price in USD per million completion tokens: 0 or more.")
    public BigDecimal completionPrice;

    @Description("New prompt detail prices, replacing the old ones as a whole; {} removes them.")
    public JsonValue promptDetailPrices;

    @Description("New completion detail prices, replacing the old ones as a whole; {} removes them.")
    public JsonValue completionDetailPrices;
}
