package io.tracegql.graphql.inputs;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import io.tracegql.domain.RunSortField;
import io.tracegql.domain.SortDirection;

@Input("RunOrder")
@Description("How to sort runs. Runs without a value for the field come last; ties are broken by id.")
public class RunOrderInput {

    @DefaultValue("START_TIME")
    @Description("What to sort by.")
    public RunSortField field = RunSortField.START_TIME;

    @DefaultValue("DESC")
    @Description("Ascending or descending.")
    public SortDirection direction = SortDirection.DESC;
}
