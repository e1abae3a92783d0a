package io.tracegql.graphql.inputs;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import io.tracegql.domain.SortDirection;
import io.tracegql.domain.TraceSortField;

@Input("TraceOrder")
@Description("How to sort traces: by a field of the root run (START_TIME, LATENCY) or a total of the whole trace."
        + " Traces without a value come last; ties are broken by trace id.")
public class TraceOrderInput {

    @DefaultValue("START_TIME")
    @Description("What to sort by.")
    public TraceSortField field = TraceSortField.START_TIME;

    @DefaultValue("DESC")
    @Description("Ascending or descending.")
    public SortDirection direction = SortDirection.DESC;
}
