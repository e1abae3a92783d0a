package io.tracegql.graphql.inputs;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("TraceTotalsFilter")
@Description("Conditions on the totals of a whole trace, every one of which must hold; conditions on its root run"
        + " go in the RunFilter.")
public class TraceTotalsFilterInput {

    @Description("Only traces with this many runs.")
    public RunFilterInput.IntRange runCount;

    @Description("Only traces with this many failed runs.")
    public RunFilterInput.IntRange errorCount;

    @Description("true: only traces with a failed run (at any depth); false: only traces without one.")
    public Boolean hasErrors;

    @Description("Only traces whose llm runs used this many tokens in all.")
    public RunFilterInput.IntRange totalTokens;

    @Description("Only traces whose llm runs cost this much in all (USD); traces without a cost never match.")
    public RunFilterInput.DecimalRange totalCost;
}
